using static WebNN.Tests.Cpu.CpuGraphRunner;
using static WebNN.Tests.RecurrentCaseNames;

namespace WebNN.Tests.WebGpu;

/// <summary>
/// The WebGPU backend's gru, gruCell, lstm and lstmCell agree with the CPU backend (itself checked against the spec's
/// decomposition in <c>Cpu.RecurrentTests</c>) over every option: directions, layouts, each optional input, resetAfter,
/// returnSequence, activations, several steps and batch rows, float16.
/// </summary>
[Collection(GpuContextCollection.Name)]
public sealed class RecurrentKernelTests(GpuContextFixture fixture)
{
    [Theory]
    [InlineData(F32, 1, 1, 3, Forward, MLGruWeightLayout.Zrn, true, false, false, false, false, null)]
    [InlineData(F32, 3, 2, 3, Forward, MLGruWeightLayout.Rzn, false, true, true, true, true, null)]
    [InlineData(F32, 3, 2, 4, Backward, MLGruWeightLayout.Zrn, true, true, false, true, true, new[] { Tanh, Relu })]
    [InlineData(F32, 4, 3, 3, Backward, MLGruWeightLayout.Rzn, false, false, true, false, false, null)]
    [InlineData(F32, 3, 2, 3, Both, MLGruWeightLayout.Zrn, false, true, true, true, true, new[] { Sigmoid, Relu })]
    [InlineData(F32, 3, 2, 3, Both, MLGruWeightLayout.Rzn, true, false, true, false, true, new[] { Relu, Tanh })]
    [InlineData(F32, 2, 7, 19, Both, MLGruWeightLayout.Rzn, true, true, true, true, true, null)]
    [InlineData(F32, 2, 7, 19, Both, MLGruWeightLayout.Zrn, false, true, false, true, false, new[] { Tanh, Tanh })]
    [InlineData(F16, 3, 2, 4, Both, MLGruWeightLayout.Rzn, false, true, true, true, true, new[] { Sigmoid, Relu })]
    public async Task Gru_agrees(MLOperandDataType dataType, int steps, int batch, int hidden, MLRecurrentNetworkDirection direction, MLGruWeightLayout layout,
        bool resetAfter, bool withBias, bool withRecurrentBias, bool withInitialState, bool returnSequence, MLRecurrentNetworkActivation[]? activations)
    {
        int directions = direction == Both ? 2 : 1, gates = 3 * hidden;
        var inputs = new Inputs(dataType, seed: 70 + steps * 10 + hidden);
        inputs.Add([steps, batch, InputSize]);
        inputs.Add([directions, gates, InputSize]);
        inputs.Add([directions, gates, hidden]);
        int bias = inputs.Optional(withBias, [directions, gates]);
        int recurrentBias = inputs.Optional(withRecurrentBias, [directions, gates]);
        int initialHiddenState = inputs.Optional(withInitialState, [directions, batch, hidden]);
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => g.Gru(x[0], x[1], x[2], steps, hidden, new MLGruOptions
        {
            Bias = Optional(x, bias), RecurrentBias = Optional(x, recurrentBias), InitialHiddenState = Optional(x, initialHiddenState),
            ResetAfter = resetAfter, ReturnSequence = returnSequence, Direction = direction, Layout = layout, Activations = activations,
        }), [.. inputs.Values]);
        AssertAgree(cpu, gpu, dataType, outputs: returnSequence ? 2 : 1);
    }

    [Theory]
    [InlineData(F32, 1, 3, MLGruWeightLayout.Zrn, true, false, false, null)]
    [InlineData(F32, 2, 3, MLGruWeightLayout.Rzn, true, true, true, null)]
    [InlineData(F32, 2, 4, MLGruWeightLayout.Zrn, false, true, false, new[] { Relu, Sigmoid })]
    [InlineData(F32, 5, 17, MLGruWeightLayout.Rzn, false, false, true, new[] { Tanh, Tanh })]
    public async Task GruCell_agrees(MLOperandDataType dataType, int batch, int hidden, MLGruWeightLayout layout, bool resetAfter,
        bool withBias, bool withRecurrentBias, MLRecurrentNetworkActivation[]? activations)
    {
        int gates = 3 * hidden;
        var inputs = new Inputs(dataType, seed: 80 + batch * 10 + hidden);
        inputs.Add([batch, InputSize]);
        inputs.Add([gates, InputSize]);
        inputs.Add([gates, hidden]);
        inputs.Add([batch, hidden]);
        int bias = inputs.Optional(withBias, [gates]);
        int recurrentBias = inputs.Optional(withRecurrentBias, [gates]);
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => [g.GruCell(x[0], x[1], x[2], x[3], hidden, new MLGruCellOptions
        {
            Bias = Optional(x, bias), RecurrentBias = Optional(x, recurrentBias), ResetAfter = resetAfter, Layout = layout, Activations = activations,
        })], [.. inputs.Values]);
        AssertAgree(cpu, gpu, dataType, outputs: 1);
    }

    [Theory]
    [InlineData(F32, 1, 1, 3, Forward, MLLstmWeightLayout.Iofg, false, false, false, false, false, false, null)]
    [InlineData(F32, 3, 2, 3, Forward, MLLstmWeightLayout.Ifgo, true, true, true, true, true, true, null)]
    [InlineData(F32, 3, 2, 4, Backward, MLLstmWeightLayout.Iofg, true, false, true, true, false, true, new[] { Tanh, Relu, Sigmoid })]
    [InlineData(F32, 4, 3, 3, Backward, MLLstmWeightLayout.Ifgo, false, true, false, false, true, false, null)]
    [InlineData(F32, 3, 2, 3, Both, MLLstmWeightLayout.Iofg, true, true, true, true, true, true, new[] { Sigmoid, Relu, Tanh })]
    [InlineData(F32, 3, 2, 3, Both, MLLstmWeightLayout.Ifgo, false, false, true, false, false, true, new[] { Relu, Tanh, Relu })]
    [InlineData(F32, 2, 7, 19, Both, MLLstmWeightLayout.Ifgo, true, true, true, true, true, true, null)]
    [InlineData(F16, 3, 2, 4, Both, MLLstmWeightLayout.Iofg, true, true, true, true, true, true, new[] { Sigmoid, Relu, Tanh })]
    public async Task Lstm_agrees(MLOperandDataType dataType, int steps, int batch, int hidden, MLRecurrentNetworkDirection direction, MLLstmWeightLayout layout,
        bool withBias, bool withRecurrentBias, bool withPeephole, bool withInitialHiddenState, bool withInitialCellState, bool returnSequence,
        MLRecurrentNetworkActivation[]? activations)
    {
        int directions = direction == Both ? 2 : 1, gates = 4 * hidden;
        var inputs = new Inputs(dataType, seed: 90 + steps * 10 + hidden);
        inputs.Add([steps, batch, InputSize]);
        inputs.Add([directions, gates, InputSize]);
        inputs.Add([directions, gates, hidden]);
        int bias = inputs.Optional(withBias, [directions, gates]);
        int recurrentBias = inputs.Optional(withRecurrentBias, [directions, gates]);
        int peepholeWeight = inputs.Optional(withPeephole, [directions, 3 * hidden]);
        int initialHiddenState = inputs.Optional(withInitialHiddenState, [directions, batch, hidden]);
        int initialCellState = inputs.Optional(withInitialCellState, [directions, batch, hidden]);
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => g.Lstm(x[0], x[1], x[2], steps, hidden, new MLLstmOptions
        {
            Bias = Optional(x, bias), RecurrentBias = Optional(x, recurrentBias), PeepholeWeight = Optional(x, peepholeWeight),
            InitialHiddenState = Optional(x, initialHiddenState), InitialCellState = Optional(x, initialCellState),
            ReturnSequence = returnSequence, Direction = direction, Layout = layout, Activations = activations,
        }), [.. inputs.Values]);
        AssertAgree(cpu, gpu, dataType, outputs: returnSequence ? 3 : 2);
    }

    [Theory]
    [InlineData(F32, 1, 3, MLLstmWeightLayout.Iofg, false, false, false, null)]
    [InlineData(F32, 2, 3, MLLstmWeightLayout.Ifgo, true, true, true, null)]
    [InlineData(F32, 2, 4, MLLstmWeightLayout.Iofg, true, false, true, new[] { Relu, Sigmoid, Tanh })]
    [InlineData(F32, 5, 17, MLLstmWeightLayout.Ifgo, false, true, false, new[] { Tanh, Tanh, Relu })]
    public async Task LstmCell_agrees(MLOperandDataType dataType, int batch, int hidden, MLLstmWeightLayout layout,
        bool withBias, bool withRecurrentBias, bool withPeephole, MLRecurrentNetworkActivation[]? activations)
    {
        int gates = 4 * hidden;
        var inputs = new Inputs(dataType, seed: 100 + batch * 10 + hidden);
        inputs.Add([batch, InputSize]);
        inputs.Add([gates, InputSize]);
        inputs.Add([gates, hidden]);
        inputs.Add([batch, hidden]);
        inputs.Add([batch, hidden]);
        int bias = inputs.Optional(withBias, [gates]);
        int recurrentBias = inputs.Optional(withRecurrentBias, [gates]);
        int peepholeWeight = inputs.Optional(withPeephole, [3 * hidden]);
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => g.LstmCell(x[0], x[1], x[2], x[3], x[4], hidden, new MLLstmCellOptions
        {
            Bias = Optional(x, bias), RecurrentBias = Optional(x, recurrentBias), PeepholeWeight = Optional(x, peepholeWeight), Layout = layout, Activations = activations,
        }), [.. inputs.Values]);
        AssertAgree(cpu, gpu, dataType, outputs: 2);
    }

    [Fact]
    public void Limits_report_float32_and_float16_for_every_argument()
    {
        var limits = fixture.Gpu.OpSupportLimits();
        foreach (var op in new[] { "gru", "gruCell", "lstm", "lstmCell" })
        {
            Assert.All(limits[op]!.Values, argument => Assert.Equal([F32, F16], argument.DataTypes));
        }
    }

    /// <summary>The graph's inputs, random in [−1, 1] and of one data type; optional ones are added only when present.</summary>
    private sealed class Inputs(MLOperandDataType dataType, int seed)
    {
        public List<Input> Values { get; } = [];

        /// <summary>Adds an input and returns its index among the graph's inputs.</summary>
        public int Add(int[] shape)
        {
            var values = RandomFloats(seed + Values.Count, (int)Shapes.ElementCount(shape));
            Values.Add(dataType == F16 ? new Input(F16, shape, values.Select(v => (Half)v).ToArray()) : Input.Floats(shape, values));
            return Values.Count - 1;
        }

        /// <summary>Adds an optional input when present (a graph has no input that no operation reads); −1 when absent.</summary>
        public int Optional(bool present, int[] shape) => present ? Add(shape) : -1;
    }

    private static MLOperand? Optional(MLOperand[] operands, int index) => index < 0 ? null : operands[index];

    /// <summary>Every output agrees: float32 to float32's rounding of transcendental functions over the steps, float16 to one half's rounding.</summary>
    private static void AssertAgree(Array[] cpu, Array[] gpu, MLOperandDataType dataType, int outputs)
    {
        Assert.Equal(outputs, cpu.Length);
        Assert.Equal(outputs, gpu.Length);
        for (int i = 0; i < outputs; i++)
        {
            AssertClose(Floats(cpu[i]).Select(v => (double)v).ToArray(), Floats(gpu[i]), dataType == F16 ? 1e-3 : 1e-5);
        }
    }
}
