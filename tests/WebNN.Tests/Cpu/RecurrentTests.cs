using static WebNN.Tests.Cpu.CpuGraphRunner;
using static WebNN.Tests.RecurrentCaseNames;

namespace WebNN.Tests.Cpu;

/// <summary>
/// gru, gruCell, lstm and lstmCell on the CPU against scalar double-precision references written from the
/// spec: the cells from their formulas, the networks from the spec's decomposition into cells.
/// </summary>
public sealed class RecurrentTests
{
    [Theory]
    [InlineData(F32, 1, 1, 3, Forward, MLGruWeightLayout.Zrn, true, false, false, false, false, null)]
    [InlineData(F32, 3, 2, 3, Forward, MLGruWeightLayout.Rzn, false, true, true, true, true, null)]
    [InlineData(F32, 3, 2, 4, Backward, MLGruWeightLayout.Zrn, true, true, false, true, true, new[] { Tanh, Relu })]
    [InlineData(F32, 4, 3, 3, Backward, MLGruWeightLayout.Rzn, true, false, true, false, false, null)]
    [InlineData(F32, 3, 2, 3, Both, MLGruWeightLayout.Zrn, false, true, true, true, true, new[] { Sigmoid, Relu })]
    [InlineData(F32, 2, 7, 19, Both, MLGruWeightLayout.Rzn, true, true, true, true, true, null)]
    [InlineData(F32, 2, 7, 19, Both, MLGruWeightLayout.Zrn, false, false, true, false, true, new[] { Relu, Tanh })]
    [InlineData(F16, 3, 2, 3, Both, MLGruWeightLayout.Rzn, false, true, true, true, true, new[] { Sigmoid, Relu })]
    [InlineData(F16, 3, 2, 4, Backward, MLGruWeightLayout.Zrn, true, true, true, true, true, null)]
    public async Task Gru_matches_the_spec_decomposition(MLOperandDataType dataType, int steps, int batch, int hidden, MLRecurrentNetworkDirection direction,
        MLGruWeightLayout layout, bool resetAfter, bool withBias, bool withRecurrentBias, bool withInitialState, bool returnSequence,
        MLRecurrentNetworkActivation[]? activations)
    {
        int directions = direction == Both ? 2 : 1, gates = 3 * hidden;
        var operands = new Operands(dataType, seed: steps * 100 + hidden);
        var input = operands.Required([steps, batch, InputSize]);
        var weight = operands.Required([directions, gates, InputSize]);
        var recurrentWeight = operands.Required([directions, gates, hidden]);
        var bias = operands.Optional(withBias, [directions, gates]);
        var recurrentBias = operands.Optional(withRecurrentBias, [directions, gates]);
        var initialHiddenState = operands.Optional(withInitialState, [directions, batch, hidden]);
        var f = Function(activations?[0] ?? Sigmoid);
        var g = Function(activations?[1] ?? Tanh);

        var expectedHidden = new double[directions * batch * hidden];
        var expectedSequence = new double[steps * directions * batch * hidden];
        for (int d = 0; d < directions; d++)
        {
            double[] h = initialHiddenState.State(d, batch * hidden);
            for (int step = 0; step < steps; step++)
            {
                int t = d == 1 || direction == Backward ? steps - step - 1 : step;
                h = GruCellReference(input.Values.AsSpan(t * batch * InputSize, batch * InputSize), weight.Slice(d, gates * InputSize), recurrentWeight.Slice(d, gates * hidden),
                    bias.Slice(d, gates), recurrentBias.Slice(d, gates), h, hidden, resetAfter, layout, f, g);
                h.CopyTo(expectedSequence, (t * directions + d) * batch * hidden);
            }
            h.CopyTo(expectedHidden, d * batch * hidden);
        }

        var actual = await RunOutputsAsync((builder, x) => builder.Gru(x[0], x[1], x[2], steps, hidden, new MLGruOptions
        {
            Bias = bias.From(x), RecurrentBias = recurrentBias.From(x), InitialHiddenState = initialHiddenState.From(x),
            ResetAfter = resetAfter, ReturnSequence = returnSequence, Direction = direction, Layout = layout, Activations = activations,
        }), operands.Inputs);

        Assert.Equal(returnSequence ? 2 : 1, actual.Length);
        AssertClose(expectedHidden, Floats(actual[0]), Tolerance(dataType));
        if (returnSequence)
        {
            AssertClose(expectedSequence, Floats(actual[1]), Tolerance(dataType));
        }
    }

    [Theory]
    [InlineData(F32, 1, 3, MLGruWeightLayout.Zrn, true, false, false, null)]
    [InlineData(F32, 2, 3, MLGruWeightLayout.Rzn, true, true, true, null)]
    [InlineData(F32, 2, 4, MLGruWeightLayout.Zrn, false, true, true, new[] { Relu, Sigmoid })]
    [InlineData(F32, 5, 17, MLGruWeightLayout.Rzn, false, false, true, new[] { Tanh, Tanh })]
    [InlineData(F16, 2, 3, MLGruWeightLayout.Rzn, false, true, true, new[] { Sigmoid, Relu })]
    public async Task GruCell_matches_the_spec_formulas(MLOperandDataType dataType, int batch, int hidden, MLGruWeightLayout layout, bool resetAfter,
        bool withBias, bool withRecurrentBias, MLRecurrentNetworkActivation[]? activations)
    {
        int gates = 3 * hidden;
        var operands = new Operands(dataType, seed: batch * 10 + hidden);
        var input = operands.Required([batch, InputSize]);
        var weight = operands.Required([gates, InputSize]);
        var recurrentWeight = operands.Required([gates, hidden]);
        var hiddenState = operands.Required([batch, hidden]);
        var bias = operands.Optional(withBias, [gates]);
        var recurrentBias = operands.Optional(withRecurrentBias, [gates]);

        var expected = GruCellReference(input.Values, weight.Values, recurrentWeight.Values, bias.Slice(0, gates), recurrentBias.Slice(0, gates),
            hiddenState.State(0, batch * hidden), hidden, resetAfter, layout, Function(activations?[0] ?? Sigmoid), Function(activations?[1] ?? Tanh));

        var actual = await RunOutputsAsync((builder, x) => [builder.GruCell(x[0], x[1], x[2], x[3], hidden, new MLGruCellOptions
        {
            Bias = bias.From(x), RecurrentBias = recurrentBias.From(x), ResetAfter = resetAfter, Layout = layout, Activations = activations,
        })], operands.Inputs);

        AssertClose(expected, Floats(actual[0]), Tolerance(dataType));
    }

    [Theory]
    [InlineData(F32, 1, 1, 3, Forward, MLLstmWeightLayout.Iofg, false, false, false, false, false, null)]
    [InlineData(F32, 3, 2, 3, Forward, MLLstmWeightLayout.Ifgo, true, true, true, true, true, null)]
    [InlineData(F32, 3, 2, 4, Backward, MLLstmWeightLayout.Iofg, true, false, true, true, true, new[] { Tanh, Relu, Sigmoid })]
    [InlineData(F32, 4, 3, 3, Backward, MLLstmWeightLayout.Ifgo, false, true, false, false, false, null)]
    [InlineData(F32, 3, 2, 3, Both, MLLstmWeightLayout.Iofg, true, true, true, true, true, new[] { Sigmoid, Relu, Tanh })]
    [InlineData(F32, 2, 7, 19, Both, MLLstmWeightLayout.Ifgo, true, true, true, true, true, null)]
    [InlineData(F32, 2, 7, 19, Both, MLLstmWeightLayout.Iofg, false, true, false, true, false, new[] { Relu, Tanh, Relu })]
    [InlineData(F16, 3, 2, 3, Both, MLLstmWeightLayout.Ifgo, true, true, true, true, true, new[] { Sigmoid, Relu, Tanh })]
    [InlineData(F16, 3, 2, 4, Forward, MLLstmWeightLayout.Iofg, true, false, true, false, true, null)]
    public async Task Lstm_matches_the_spec_decomposition(MLOperandDataType dataType, int steps, int batch, int hidden, MLRecurrentNetworkDirection direction,
        MLLstmWeightLayout layout, bool withBias, bool withRecurrentBias, bool withPeephole, bool withInitialStates, bool returnSequence,
        MLRecurrentNetworkActivation[]? activations)
    {
        int directions = direction == Both ? 2 : 1, gates = 4 * hidden;
        var operands = new Operands(dataType, seed: steps * 100 + hidden + 1);
        var input = operands.Required([steps, batch, InputSize]);
        var weight = operands.Required([directions, gates, InputSize]);
        var recurrentWeight = operands.Required([directions, gates, hidden]);
        var bias = operands.Optional(withBias, [directions, gates]);
        var recurrentBias = operands.Optional(withRecurrentBias, [directions, gates]);
        var peepholeWeight = operands.Optional(withPeephole, [directions, 3 * hidden]);
        var initialHiddenState = operands.Optional(withInitialStates, [directions, batch, hidden]);
        var initialCellState = operands.Optional(withInitialStates, [directions, batch, hidden]);
        var f = Function(activations?[0] ?? Sigmoid);
        var g = Function(activations?[1] ?? Tanh);
        var h = Function(activations?[2] ?? Tanh);

        var expectedHidden = new double[directions * batch * hidden];
        var expectedCell = new double[directions * batch * hidden];
        var expectedSequence = new double[steps * directions * batch * hidden];
        for (int d = 0; d < directions; d++)
        {
            double[] hiddenState = initialHiddenState.State(d, batch * hidden);
            double[] cellState = initialCellState.State(d, batch * hidden);
            for (int step = 0; step < steps; step++)
            {
                int t = d == 1 || direction == Backward ? steps - step - 1 : step;
                (hiddenState, cellState) = LstmCellReference(input.Values.AsSpan(t * batch * InputSize, batch * InputSize),
                    weight.Slice(d, gates * InputSize), recurrentWeight.Slice(d, gates * hidden), bias.Slice(d, gates), recurrentBias.Slice(d, gates),
                    peepholeWeight.Slice(d, 3 * hidden), hiddenState, cellState, hidden, layout, f, g, h);
                hiddenState.CopyTo(expectedSequence, (t * directions + d) * batch * hidden);
            }
            hiddenState.CopyTo(expectedHidden, d * batch * hidden);
            cellState.CopyTo(expectedCell, d * batch * hidden);
        }

        var actual = await RunOutputsAsync((builder, x) => builder.Lstm(x[0], x[1], x[2], steps, hidden, new MLLstmOptions
        {
            Bias = bias.From(x), RecurrentBias = recurrentBias.From(x), PeepholeWeight = peepholeWeight.From(x),
            InitialHiddenState = initialHiddenState.From(x), InitialCellState = initialCellState.From(x),
            ReturnSequence = returnSequence, Direction = direction, Layout = layout, Activations = activations,
        }), operands.Inputs);

        Assert.Equal(returnSequence ? 3 : 2, actual.Length);
        AssertClose(expectedHidden, Floats(actual[0]), Tolerance(dataType));
        AssertClose(expectedCell, Floats(actual[1]), Tolerance(dataType));
        if (returnSequence)
        {
            AssertClose(expectedSequence, Floats(actual[2]), Tolerance(dataType));
        }
    }

    [Theory]
    [InlineData(F32, 1, 3, MLLstmWeightLayout.Iofg, false, false, false, null)]
    [InlineData(F32, 2, 3, MLLstmWeightLayout.Ifgo, true, true, true, null)]
    [InlineData(F32, 2, 4, MLLstmWeightLayout.Iofg, true, false, true, new[] { Relu, Sigmoid, Tanh })]
    [InlineData(F32, 5, 17, MLLstmWeightLayout.Ifgo, false, true, true, new[] { Tanh, Tanh, Relu })]
    [InlineData(F16, 2, 3, MLLstmWeightLayout.Ifgo, true, true, true, new[] { Sigmoid, Relu, Tanh })]
    public async Task LstmCell_matches_the_spec_formulas(MLOperandDataType dataType, int batch, int hidden, MLLstmWeightLayout layout,
        bool withBias, bool withRecurrentBias, bool withPeephole, MLRecurrentNetworkActivation[]? activations)
    {
        int gates = 4 * hidden;
        var operands = new Operands(dataType, seed: batch * 10 + hidden + 1);
        var input = operands.Required([batch, InputSize]);
        var weight = operands.Required([gates, InputSize]);
        var recurrentWeight = operands.Required([gates, hidden]);
        var hiddenState = operands.Required([batch, hidden]);
        var cellState = operands.Required([batch, hidden]);
        var bias = operands.Optional(withBias, [gates]);
        var recurrentBias = operands.Optional(withRecurrentBias, [gates]);
        var peepholeWeight = operands.Optional(withPeephole, [3 * hidden]);

        var (expectedHidden, expectedCell) = LstmCellReference(input.Values, weight.Values, recurrentWeight.Values, bias.Slice(0, gates),
            recurrentBias.Slice(0, gates), peepholeWeight.Slice(0, 3 * hidden), hiddenState.State(0, batch * hidden), cellState.State(0, batch * hidden),
            hidden, layout, Function(activations?[0] ?? Sigmoid), Function(activations?[1] ?? Tanh), Function(activations?[2] ?? Tanh));

        var actual = await RunOutputsAsync((builder, x) => builder.LstmCell(x[0], x[1], x[2], x[3], x[4], hidden, new MLLstmCellOptions
        {
            Bias = bias.From(x), RecurrentBias = recurrentBias.From(x), PeepholeWeight = peepholeWeight.From(x), Layout = layout, Activations = activations,
        }), operands.Inputs);

        Assert.Equal(2, actual.Length);
        AssertClose(expectedHidden, Floats(actual[0]), Tolerance(dataType));
        AssertClose(expectedCell, Floats(actual[1]), Tolerance(dataType));
    }

    /// <summary>
    /// The spec's gruCell on one step: z = f(x·Wzᵀ + h·Rzᵀ + bz + rbz), r likewise; n = g(x·Wnᵀ + bn + r ⊙ (h·Rnᵀ + rbn)) when
    /// resetAfter, else g(x·Wnᵀ + (r ⊙ h)·Rnᵀ + bn + rbn); h' = z ⊙ h + (1 − z) ⊙ n. Empty biases are zeros.
    /// </summary>
    private static double[] GruCellReference(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> recurrentWeight,
        ReadOnlySpan<float> bias, ReadOnlySpan<float> recurrentBias, double[] h, int hidden, bool resetAfter, MLGruWeightLayout layout,
        Func<double, double> f, Func<double, double> g)
    {
        int batch = h.Length / hidden;
        int zRow = layout == MLGruWeightLayout.Zrn ? 0 : hidden, rRow = layout == MLGruWeightLayout.Zrn ? hidden : 0, nRow = 2 * hidden;
        var next = new double[batch * hidden];
        for (int b = 0; b < batch; b++)
        {
            var xb = x.Slice(b * InputSize, InputSize);
            var hb = h.AsSpan(b * hidden, hidden);
            var z = new double[hidden];
            var r = new double[hidden];
            for (int j = 0; j < hidden; j++)
            {
                z[j] = f(GateSum(weight, recurrentWeight, bias, recurrentBias, zRow + j, xb, hb));
                r[j] = f(GateSum(weight, recurrentWeight, bias, recurrentBias, rRow + j, xb, hb));
            }
            var resetHidden = new double[hidden];
            for (int j = 0; j < hidden; j++)
            {
                resetHidden[j] = r[j] * hb[j];
            }
            for (int j = 0; j < hidden; j++)
            {
                double n = resetAfter
                    ? g(Dot(weight, nRow + j, xb) + At(bias, nRow + j) + r[j] * (Dot(recurrentWeight, nRow + j, hb) + At(recurrentBias, nRow + j)))
                    : g(Dot(weight, nRow + j, xb) + Dot(recurrentWeight, nRow + j, resetHidden) + At(bias, nRow + j) + At(recurrentBias, nRow + j));
                next[b * hidden + j] = z[j] * hb[j] + (1 - z[j]) * n;
            }
        }
        return next;
    }

    /// <summary>
    /// The spec's lstmCell on one step: i = f(c ⊙ pi + x·Wiᵀ + h·Riᵀ + bi + rbi), forget and output gates likewise with pf and po,
    /// g = g(x·Wgᵀ + h·Rgᵀ + bg + rbg); c' = f ⊙ c + i ⊙ g; h' = o ⊙ h(c'). Peepholes are [i, o, f] whatever the layout.
    /// </summary>
    private static (double[] Hidden, double[] Cell) LstmCellReference(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> recurrentWeight,
        ReadOnlySpan<float> bias, ReadOnlySpan<float> recurrentBias, ReadOnlySpan<float> peephole, double[] h, double[] c, int hidden,
        MLLstmWeightLayout layout, Func<double, double> f, Func<double, double> g, Func<double, double> cellActivation)
    {
        int batch = h.Length / hidden;
        bool iofg = layout == MLLstmWeightLayout.Iofg;
        int iRow = 0, oRow = iofg ? hidden : 3 * hidden, fRow = iofg ? 2 * hidden : hidden, gRow = iofg ? 3 * hidden : 2 * hidden;
        var nextHidden = new double[batch * hidden];
        var nextCell = new double[batch * hidden];
        for (int b = 0; b < batch; b++)
        {
            var xb = x.Slice(b * InputSize, InputSize);
            var hb = h.AsSpan(b * hidden, hidden);
            for (int j = 0; j < hidden; j++)
            {
                double cell = c[b * hidden + j];
                double i = f(cell * At(peephole, j) + GateSum(weight, recurrentWeight, bias, recurrentBias, iRow + j, xb, hb));
                double o = f(cell * At(peephole, hidden + j) + GateSum(weight, recurrentWeight, bias, recurrentBias, oRow + j, xb, hb));
                double forget = f(cell * At(peephole, 2 * hidden + j) + GateSum(weight, recurrentWeight, bias, recurrentBias, fRow + j, xb, hb));
                double candidate = g(GateSum(weight, recurrentWeight, bias, recurrentBias, gRow + j, xb, hb));
                nextCell[b * hidden + j] = forget * cell + i * candidate;
                nextHidden[b * hidden + j] = o * cellActivation(nextCell[b * hidden + j]);
            }
        }
        return (nextHidden, nextCell);
    }

    /// <summary>x·W[row]ᵀ + h·R[row]ᵀ + b[row] + rb[row]: what a gate sums before its activation (and peephole).</summary>
    private static double GateSum(ReadOnlySpan<float> weight, ReadOnlySpan<float> recurrentWeight, ReadOnlySpan<float> bias, ReadOnlySpan<float> recurrentBias,
        int row, ReadOnlySpan<float> x, ReadOnlySpan<double> h) =>
        Dot(weight, row, x) + Dot(recurrentWeight, row, h) + At(bias, row) + At(recurrentBias, row);

    /// <summary>Row <paramref name="row"/> of a row-major matrix with vector.Length columns, times the vector.</summary>
    private static double Dot(ReadOnlySpan<float> matrix, int row, ReadOnlySpan<float> vector)
    {
        double sum = 0;
        for (int k = 0; k < vector.Length; k++)
        {
            sum += (double)matrix[row * vector.Length + k] * vector[k];
        }
        return sum;
    }

    private static double Dot(ReadOnlySpan<float> matrix, int row, ReadOnlySpan<double> vector)
    {
        double sum = 0;
        for (int k = 0; k < vector.Length; k++)
        {
            sum += matrix[row * vector.Length + k] * vector[k];
        }
        return sum;
    }

    /// <summary>An optional operand's element; an absent operand (empty) is zeros.</summary>
    private static double At(ReadOnlySpan<float> values, int index) => values.IsEmpty ? 0 : values[index];

    private static Func<double, double> Function(MLRecurrentNetworkActivation activation) => activation switch
    {
        Relu => v => Math.Max(v, 0),
        Sigmoid => v => 1 / (1 + Math.Exp(-v)),
        Tanh => Math.Tanh,
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    private static double Tolerance(MLOperandDataType dataType) => dataType == F16 ? 3e-3 : 1e-5;

    /// <summary>One operand of a test: its values (rounded to the data type) and its index among the graph's inputs, or -1 when absent.</summary>
    private sealed record Operand(float[] Values, int Index)
    {
        public MLOperand? From(MLOperand[] inputs) => Index < 0 ? null : inputs[Index];

        /// <summary>Direction <paramref name="direction"/>'s <paramref name="length"/> values; empty when absent.</summary>
        public ReadOnlySpan<float> Slice(int direction, int length) => Index < 0 ? [] : Values.AsSpan(direction * length, length);

        /// <summary>Direction <paramref name="direction"/>'s state in double; zeros when absent, as the spec defaults it.</summary>
        public double[] State(int direction, int length)
        {
            var state = new double[length];
            var values = Slice(direction, length);
            for (int i = 0; i < values.Length; i++)
            {
                state[i] = values[i];
            }
            return state;
        }
    }

    /// <summary>The graph inputs of a test, in order, filled with seeded values in [−1, 1] of one data type.</summary>
    private sealed class Operands(MLOperandDataType dataType, int seed)
    {
        private readonly List<Input> _inputs = [];
        private int _seed = seed;

        public Input[] Inputs => [.. _inputs];

        public Operand Required(int[] shape)
        {
            var values = RandomFloats(_seed++, (int)Shapes.ElementCount(shape));
            if (dataType == F16)
            {
                var halves = values.Select(v => (Half)v).ToArray();
                values = [.. halves.Select(v => (float)v)];
                _inputs.Add(new Input(dataType, shape, halves));
            }
            else
            {
                _inputs.Add(Input.Floats(shape, values));
            }
            return new Operand(values, _inputs.Count - 1);
        }

        public Operand Optional(bool present, int[] shape) => present ? Required(shape) : new Operand([], -1);
    }
}
