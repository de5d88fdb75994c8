namespace WebNN.Tests.Validation;

public sealed class RecurrentValidationTests
{
    private const int Steps = 3, Batch = 2, InputSize = 5, Hidden = 4;

    private readonly MLGraphBuilder b = NullBackendContext.CreateBuilder();

    [Fact]
    public void Gru_both_directions_returns_the_sequence()
    {
        var outputs = b.Gru(b.F32(Steps, Batch, InputSize), b.F32(2, 3 * Hidden, InputSize), b.F32(2, 3 * Hidden, Hidden), Steps, Hidden,
            new MLGruOptions
            {
                Direction = MLRecurrentNetworkDirection.Both, ReturnSequence = true,
                Bias = b.F32(2, 3 * Hidden), RecurrentBias = b.F32(2, 3 * Hidden), InitialHiddenState = b.F32(2, Batch, Hidden),
            });
        Assert.Equal(2, outputs.Length);
        Assert.Equal([2, Batch, Hidden], outputs[0].Shape);
        Assert.Equal([Steps, 2, Batch, Hidden], outputs[1].Shape);
        var attributes = outputs[0].Attributes<GruAttributes>();
        Assert.Equal([MLRecurrentNetworkActivation.Sigmoid, MLRecurrentNetworkActivation.Tanh], attributes.Activations);
        Assert.True(attributes.ResetAfter);
        Assert.Equal(MLGruWeightLayout.Zrn, attributes.Layout);
        Assert.Equal((Steps, Hidden), (attributes.Steps, attributes.HiddenSize));
        Assert.Equal(6, outputs[0].Operator!.Inputs.Count);
    }

    [Fact]
    public void Gru_rules_each_throw()
    {
        var input = b.F32(Steps, Batch, InputSize);
        var weight = b.F32(1, 3 * Hidden, InputSize);
        var recurrentWeight = b.F32(1, 3 * Hidden, Hidden);
        MLOperand[] Gru(MLGruOptions? options = null, int steps = Steps, int hidden = Hidden) =>
            b.Gru(input, weight, recurrentWeight, steps, hidden, options);
        Assert.Single(Gru());
        var e = Assert.Throws<ArgumentException>(() => Gru(steps: 4));
        Assert.Contains("must equal steps (4)", e.Message);
        Assert.Throws<ArgumentException>(() => Gru(steps: -1));
        Assert.Throws<ArgumentException>(() => Gru(hidden: -4));
        Assert.Throws<ArgumentException>(() => Gru(hidden: 3));
        Assert.Throws<ArgumentException>(() => Gru(new MLGruOptions { Direction = MLRecurrentNetworkDirection.Both }));
        Assert.Throws<ArgumentException>(() => b.Gru(input, weight, b.F32(1, 3 * Hidden, InputSize), Steps, Hidden));
        Assert.Throws<ArgumentException>(() => b.Gru(b.F32(Steps, Batch), weight, recurrentWeight, Steps, Hidden));
        Assert.Throws<ArgumentException>(() => b.Gru(input, b.Operand(MLOperandDataType.Float16, 1, 3 * Hidden, InputSize), recurrentWeight, Steps, Hidden));
        Assert.Throws<ArgumentException>(() => Gru(new MLGruOptions { Bias = b.F32(1, 4 * Hidden) }));
        Assert.Throws<ArgumentException>(() => Gru(new MLGruOptions { RecurrentBias = b.F32(3 * Hidden) }));
        Assert.Throws<ArgumentException>(() => Gru(new MLGruOptions { InitialHiddenState = b.F32(1, Batch + 1, Hidden) }));
        Assert.Throws<ArgumentException>(() => Gru(new MLGruOptions { Activations = [MLRecurrentNetworkActivation.Relu] }));
        Assert.Throws<ArgumentException>(() => Gru(new MLGruOptions { Activations = [MLRecurrentNetworkActivation.Relu, (MLRecurrentNetworkActivation)8] }));
        Assert.Throws<ArgumentException>(() => Gru(new MLGruOptions { Layout = (MLGruWeightLayout)8 }));
        // 6 * hiddenSize must be a valid dimension.
        int huge = int.MaxValue / 6 + 1;
        Assert.Throws<ArgumentException>(() => b.Gru(b.F32(1, 1, 1), b.F32(1, 1, 1), b.F32(1, 1, 1), 1, huge));
    }

    [Fact]
    public void GruCell_outputs_the_next_hidden_state()
    {
        var y = b.GruCell(b.F32(Batch, InputSize), b.F32(3 * Hidden, InputSize), b.F32(3 * Hidden, Hidden), b.F32(Batch, Hidden), Hidden,
            new MLGruCellOptions { Bias = b.F32(3 * Hidden), ResetAfter = false, Layout = MLGruWeightLayout.Rzn, Activations = [MLRecurrentNetworkActivation.Relu, MLRecurrentNetworkActivation.Relu] });
        Assert.Equal([Batch, Hidden], y.Shape);
        var attributes = y.Attributes<GruAttributes>();
        Assert.False(attributes.ResetAfter);
        Assert.Equal(MLGruWeightLayout.Rzn, attributes.Layout);
        Assert.Equal([MLRecurrentNetworkActivation.Relu, MLRecurrentNetworkActivation.Relu], attributes.Activations);
    }

    [Fact]
    public void GruCell_rules_each_throw()
    {
        var input = b.F32(Batch, InputSize);
        var weight = b.F32(3 * Hidden, InputSize);
        var recurrentWeight = b.F32(3 * Hidden, Hidden);
        var hiddenState = b.F32(Batch, Hidden);
        Assert.Throws<ArgumentException>(() => b.GruCell(input, b.F32(3 * Hidden, InputSize + 1), recurrentWeight, hiddenState, Hidden));
        Assert.Throws<ArgumentException>(() => b.GruCell(input, weight, b.F32(3 * Hidden, Hidden + 1), hiddenState, Hidden));
        var e = Assert.Throws<ArgumentException>(() => b.GruCell(input, weight, recurrentWeight, b.F32(Batch + 1, Hidden), Hidden));
        Assert.Contains("hiddenState's shape [3, 4] must be [2, 4]", e.Message);
        Assert.Throws<ArgumentException>(() => b.GruCell(input, weight, recurrentWeight, b.F32(1, Batch, Hidden), Hidden));
        Assert.Throws<ArgumentException>(() => b.GruCell(input, weight, recurrentWeight, hiddenState, Hidden, new MLGruCellOptions { Bias = b.F32(Hidden) }));
        Assert.Throws<ArgumentException>(() => b.GruCell(input, weight, recurrentWeight, hiddenState, Hidden, new MLGruCellOptions { RecurrentBias = b.F32(1, 3 * Hidden) }));
        Assert.Throws<ArgumentException>(() => b.GruCell(input, weight, recurrentWeight, hiddenState, Hidden, new MLGruCellOptions { Activations = [] }));
    }

    [Fact]
    public void Lstm_returns_hidden_and_cell_states_then_the_sequence()
    {
        var outputs = b.Lstm(b.F32(Steps, Batch, InputSize), b.F32(1, 4 * Hidden, InputSize), b.F32(1, 4 * Hidden, Hidden), Steps, Hidden,
            new MLLstmOptions
            {
                Direction = MLRecurrentNetworkDirection.Backward, ReturnSequence = true, Layout = MLLstmWeightLayout.Ifgo,
                PeepholeWeight = b.F32(1, 3 * Hidden), InitialCellState = b.F32(1, Batch, Hidden),
            });
        Assert.Equal(3, outputs.Length);
        Assert.Equal([1, Batch, Hidden], outputs[0].Shape);
        Assert.Equal([1, Batch, Hidden], outputs[1].Shape);
        Assert.Equal([Steps, 1, Batch, Hidden], outputs[2].Shape);
        var attributes = outputs[0].Attributes<LstmAttributes>();
        Assert.Equal([MLRecurrentNetworkActivation.Sigmoid, MLRecurrentNetworkActivation.Tanh, MLRecurrentNetworkActivation.Tanh], attributes.Activations);
        Assert.Equal(MLRecurrentNetworkDirection.Backward, attributes.Direction);
        Assert.Equal(2, b.Lstm(b.F32(Steps, Batch, InputSize), b.F32(1, 4 * Hidden, InputSize), b.F32(1, 4 * Hidden, Hidden), Steps, Hidden).Length);
    }

    [Fact]
    public void Lstm_rules_each_throw()
    {
        var input = b.F32(Steps, Batch, InputSize);
        var weight = b.F32(2, 4 * Hidden, InputSize);
        var recurrentWeight = b.F32(2, 4 * Hidden, Hidden);
        var both = MLRecurrentNetworkDirection.Both;
        MLOperand[] Lstm(MLLstmOptions options, int steps = Steps) => b.Lstm(input, weight, recurrentWeight, steps, Hidden, options);
        Assert.Equal(2, Lstm(new MLLstmOptions { Direction = both }).Length);
        var e = Assert.Throws<ArgumentException>(() => Lstm(new MLLstmOptions { Direction = both }, steps: 0));
        Assert.Contains("steps (0) must be greater than zero", e.Message);
        Assert.Throws<ArgumentException>(() => Lstm(new MLLstmOptions { Direction = both }, steps: 2));
        Assert.Throws<ArgumentException>(() => Lstm(new MLLstmOptions()));
        Assert.Throws<ArgumentException>(() => b.Lstm(input, b.F32(2, 3 * Hidden, InputSize), recurrentWeight, Steps, Hidden, new MLLstmOptions { Direction = both }));
        Assert.Throws<ArgumentException>(() => Lstm(new MLLstmOptions { Direction = both, Bias = b.F32(1, 4 * Hidden) }));
        Assert.Throws<ArgumentException>(() => Lstm(new MLLstmOptions { Direction = both, RecurrentBias = b.F32(2, 3 * Hidden) }));
        Assert.Throws<ArgumentException>(() => Lstm(new MLLstmOptions { Direction = both, PeepholeWeight = b.F32(2, 4 * Hidden) }));
        Assert.Throws<ArgumentException>(() => Lstm(new MLLstmOptions { Direction = both, InitialHiddenState = b.F32(1, Batch, Hidden) }));
        Assert.Throws<ArgumentException>(() => Lstm(new MLLstmOptions { Direction = both, InitialCellState = b.F32(2, Batch, Hidden + 1) }));
        Assert.Throws<ArgumentException>(() => Lstm(new MLLstmOptions { Direction = both, InitialCellState = b.Operand(MLOperandDataType.Float16, 2, Batch, Hidden) }));
        Assert.Throws<ArgumentException>(() => Lstm(new MLLstmOptions { Direction = both, Activations = [MLRecurrentNetworkActivation.Tanh, MLRecurrentNetworkActivation.Tanh] }));
        Assert.Throws<ArgumentException>(() => Lstm(new MLLstmOptions { Direction = (MLRecurrentNetworkDirection)3 }));
    }

    [Fact]
    public void LstmCell_returns_hidden_and_cell_states()
    {
        var outputs = b.LstmCell(b.F32(Batch, InputSize), b.F32(4 * Hidden, InputSize), b.F32(4 * Hidden, Hidden), b.F32(Batch, Hidden), b.F32(Batch, Hidden), Hidden,
            new MLLstmCellOptions { Bias = b.F32(4 * Hidden), RecurrentBias = b.F32(4 * Hidden), PeepholeWeight = b.F32(3 * Hidden) });
        Assert.Equal(2, outputs.Length);
        Assert.All(outputs, o => Assert.Equal([Batch, Hidden], o.Shape));
        Assert.Equal(MLLstmWeightLayout.Iofg, outputs[0].Attributes<LstmAttributes>().Layout);
        Assert.Equal(8, outputs[0].Operator!.Inputs.Count);
    }

    [Fact]
    public void LstmCell_rules_each_throw()
    {
        var input = b.F32(Batch, InputSize);
        var weight = b.F32(4 * Hidden, InputSize);
        var recurrentWeight = b.F32(4 * Hidden, Hidden);
        var state = b.F32(Batch, Hidden);
        MLOperand[] Cell(MLLstmCellOptions? options = null, MLOperand? cellState = null, int hidden = Hidden) =>
            b.LstmCell(input, weight, recurrentWeight, state, cellState ?? state, hidden, options);
        Assert.Throws<ArgumentException>(() => Cell(hidden: 3));
        var e = Assert.Throws<ArgumentException>(() => Cell(cellState: b.F32(Batch, Hidden + 1)));
        Assert.Contains("cellState's shape", e.Message);
        Assert.Throws<ArgumentException>(() => Cell(cellState: b.F32(Batch)));
        Assert.Throws<ArgumentException>(() => b.LstmCell(input, b.F32(3 * Hidden, InputSize), recurrentWeight, state, state, Hidden));
        Assert.Throws<ArgumentException>(() => Cell(new MLLstmCellOptions { Bias = b.F32(3 * Hidden) }));
        Assert.Throws<ArgumentException>(() => Cell(new MLLstmCellOptions { RecurrentBias = b.F32(4 * Hidden + 1) }));
        Assert.Throws<ArgumentException>(() => Cell(new MLLstmCellOptions { PeepholeWeight = b.F32(4 * Hidden) }));
        Assert.Throws<ArgumentException>(() => Cell(new MLLstmCellOptions { Activations = [MLRecurrentNetworkActivation.Tanh] }));
        Assert.Throws<ArgumentException>(() => Cell(new MLLstmCellOptions { Layout = (MLLstmWeightLayout)2 }));
    }
}
