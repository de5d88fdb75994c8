using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.Cpu;

/// <summary>Element-wise binary, unary and activation operations on the CPU against double-precision references.</summary>
public sealed class ElementwiseOperationTests
{
    public static TheoryData<string, int[], int[]> BinaryCases()
    {
        var data = new TheoryData<string, int[], int[]>();
        int[][][] shapes =
        [
            [[2, 3, 5], [2, 3, 5]], [[2, 3, 17], [17]], [[4, 1, 3], [5, 1]], [[7], []], [[], [1, 33]], [[1, 100, 100, 100], [100]],
            // Whole or scalar inputs with enough elements to be chunked over the cores.
            [[300, 301], [300, 301]], [[300, 301], []], [[], [300, 301]],
        ];
        foreach (var op in new[] { "add", "sub", "mul", "div", "max", "min", "pow" })
        {
            foreach (var pair in shapes)
            {
                data.Add(op, pair[0], pair[1]);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public async Task Binary_operations_broadcast_both_ways(string op, int[] aShape, int[] bShape)
    {
        var outputShape = WebNN.Validation.Broadcasting.Bidirectional(aShape, bShape)!;
        var a = RandomFloats(1, (int)Shapes.ElementCount(aShape), op == "pow" ? 0.1f : -2, 2);
        var b = RandomFloats(2, (int)Shapes.ElementCount(bShape), op == "pow" ? -2 : 0.5f, 2);
        if (op is "max" or "min" && a.Length > 3)
        {
            a[3] = float.NaN;
        }
        var actual = await RunFloatsAsync((g, x) => op switch
        {
            "add" => g.Add(x[0], x[1]),
            "sub" => g.Sub(x[0], x[1]),
            "mul" => g.Mul(x[0], x[1]),
            "div" => g.Div(x[0], x[1]),
            "max" => g.Max(x[0], x[1]),
            "min" => g.Min(x[0], x[1]),
            _ => g.Pow(x[0], x[1]),
        }, Input.Floats(aShape, a), Input.Floats(bShape, b));
        var expected = new double[Shapes.ElementCount(outputShape)];
        for (int i = 0; i < expected.Length; i++)
        {
            double x = a[BroadcastIndex(i, outputShape, aShape)], y = b[BroadcastIndex(i, outputShape, bShape)];
            expected[i] = op switch
            {
                "add" => x + y,
                "sub" => x - y,
                "mul" => x * y,
                "div" => x / y,
                "max" => double.IsNaN(x) || double.IsNaN(y) ? double.NaN : Math.Max(x, y),
                "min" => double.IsNaN(x) || double.IsNaN(y) ? double.NaN : Math.Min(x, y),
                _ => Math.Pow(x, y),
            };
        }
        AssertClose(expected, actual);
    }

    public static TheoryData<string, int> UnaryCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var op in new[] { "abs", "ceil", "cos", "erf", "exp", "floor", "identity", "log", "neg", "reciprocal", "roundEven", "sign", "sin", "sqrt", "tan",
            "relu", "sigmoid", "tanh", "softsign", "softplus", "hardSwish", "gelu", "elu", "hardSigmoid", "leakyRelu", "linear", "clamp" })
        {
            data.Add(op, 37);
        }
        data.Add("exp", 70001);
        data.Add("gelu", 70001);
        return data;
    }

    [Theory]
    [MemberData(nameof(UnaryCases))]
    public async Task Unary_operations_match_their_definitions(string op, int length)
    {
        bool positiveOnly = op is "log" or "sqrt";
        var x = RandomFloats(3, length, positiveOnly ? 0.01f : -4, 4);
        if (op == "roundEven")
        {
            x[0] = 2.5f;
            x[1] = -3.5f;
            x[2] = 0.5f;
        }
        var actual = await RunFloatsAsync((g, i) => op switch
        {
            "abs" => g.Abs(i[0]), "ceil" => g.Ceil(i[0]), "cos" => g.Cos(i[0]), "erf" => g.Erf(i[0]), "exp" => g.Exp(i[0]),
            "floor" => g.Floor(i[0]), "identity" => g.Identity(i[0]), "log" => g.Log(i[0]), "neg" => g.Neg(i[0]),
            "reciprocal" => g.Reciprocal(i[0]), "roundEven" => g.RoundEven(i[0]), "sign" => g.Sign(i[0]), "sin" => g.Sin(i[0]),
            "sqrt" => g.Sqrt(i[0]), "tan" => g.Tan(i[0]), "relu" => g.Relu(i[0]), "sigmoid" => g.Sigmoid(i[0]), "tanh" => g.Tanh(i[0]),
            "softsign" => g.Softsign(i[0]), "softplus" => g.Softplus(i[0]), "hardSwish" => g.HardSwish(i[0]), "gelu" => g.Gelu(i[0]),
            "elu" => g.Elu(i[0], new MLEluOptions { Alpha = 0.7 }),
            "hardSigmoid" => g.HardSigmoid(i[0], new MLHardSigmoidOptions { Alpha = 0.3, Beta = 0.4 }),
            "leakyRelu" => g.LeakyRelu(i[0], new MLLeakyReluOptions { Alpha = 0.2 }),
            "linear" => g.Linear(i[0], new MLLinearOptions { Alpha = 1.5, Beta = -0.5 }),
            _ => g.Clamp(i[0], new MLClampOptions { MinValue = -1.5, MaxValue = 2 }),
        }, Input.Floats([length], x));
        var expected = x.Select(v => Reference(op, v)).ToArray();
        AssertClose(expected, actual, op is "tan" or "erf" or "gelu" ? 1e-5 : 3e-6);
    }

    private static double Reference(string op, double x) => op switch
    {
        "abs" => Math.Abs(x),
        "ceil" => Math.Ceiling(x),
        "cos" => Math.Cos(x),
        "erf" => ErfReference(x),
        "exp" => Math.Exp(x),
        "floor" => Math.Floor(x),
        "identity" => x,
        "log" => Math.Log(x),
        "neg" => -x,
        "reciprocal" => 1 / x,
        "roundEven" => Math.Round(x, MidpointRounding.ToEven),
        "sign" => Math.Sign(x),
        "sin" => Math.Sin(x),
        "sqrt" => Math.Sqrt(x),
        "tan" => Math.Tan(x),
        "relu" => Math.Max(0, x),
        "sigmoid" => 1 / (1 + Math.Exp(-x)),
        "tanh" => Math.Tanh(x),
        "softsign" => x / (1 + Math.Abs(x)),
        "softplus" => Math.Log(1 + Math.Exp(x)),
        "hardSwish" => x * Math.Max(0, Math.Min(6, x + 3)) / 6,
        "gelu" => 0.5 * x * (1 + ErfReference(x / Math.Sqrt(2))),
        "elu" => x >= 0 ? x : 0.7 * (Math.Exp(x) - 1),
        "hardSigmoid" => Math.Max(0, Math.Min(1, (double)0.3f * x + (double)0.4f)),
        "leakyRelu" => x >= 0 ? x : (double)0.2f * x,
        "linear" => 1.5 * x - 0.5,
        _ => Math.Clamp(x, -1.5, 2),
    };

    /// <summary>erf by its Maclaurin series (|x| ≤ 3) or continued fraction for erfc — independent of the kernel's approximation.</summary>
    private static double ErfReference(double x)
    {
        double ax = Math.Abs(x);
        double result;
        if (ax <= 3)
        {
            double term = ax, sum = ax;
            for (int n = 1; n < 200; n++)
            {
                term *= -ax * ax / n;
                sum += term / (2 * n + 1);
            }
            result = 2 / Math.Sqrt(Math.PI) * sum;
        }
        else
        {
            double fraction = 0;
            for (int n = 60; n >= 1; n--)
            {
                fraction = n / 2.0 / (ax + fraction);
            }
            result = 1 - Math.Exp(-ax * ax) / Math.Sqrt(Math.PI) / (ax + fraction);
        }
        return x < 0 ? -result : result;
    }

    [Theory]
    [InlineData(new[] { 2, 3, 1, 4 }, new[] { 4 })]
    [InlineData(new[] { 2, 3 }, new[] { 2, 1 })]
    [InlineData(new[] { 5 }, new int[0])]
    public async Task Prelu_multiplies_negatives_by_the_broadcast_slope(int[] shape, int[] slopeShape)
    {
        var x = RandomFloats(4, (int)Shapes.ElementCount(shape), -3, 3);
        var slope = RandomFloats(5, (int)Shapes.ElementCount(slopeShape), 0, 1);
        var actual = await RunFloatsAsync((g, i) => g.Prelu(i[0], i[1]), Input.Floats(shape, x), Input.Floats(slopeShape, slope));
        var expected = x.Select((v, i) => v >= 0 ? v : (double)v * slope[BroadcastIndex(i, shape, slopeShape)]).ToArray();
        AssertClose(expected, actual);
    }

    [Theory]
    [InlineData(new[] { 3, 7 }, 1)]
    [InlineData(new[] { 3, 7 }, 0)]
    [InlineData(new[] { 2, 5, 3 }, 1)]
    public async Task Softmax_normalizes_along_the_axis_without_overflow(int[] shape, int axis)
    {
        var x = RandomFloats(6, (int)Shapes.ElementCount(shape), -5, 5);
        x[0] = 1000;
        var actual = await RunFloatsAsync((g, i) => g.Softmax(i[0], axis), Input.Floats(shape, x));
        var expected = new double[x.Length];
        int inner = (int)Shapes.ElementCount(shape.AsSpan(axis + 1)), size = shape[axis];
        for (int i = 0; i < x.Length; i++)
        {
            int first = i - (i / inner % size) * inner;
            double max = Enumerable.Range(0, size).Max(k => (double)x[first + k * inner]);
            double sum = Enumerable.Range(0, size).Sum(k => Math.Exp(x[first + k * inner] - max));
            expected[i] = Math.Exp(x[i] - max) / sum;
        }
        AssertClose(expected, actual);
    }

    [Fact]
    public async Task Float16_graphs_run_through_float32_and_round_once()
    {
        var x = new[] { (Half)1.5, (Half)(-2), (Half)0.25, (Half)3 };
        var y = (Half[])await RunAsync((g, i) => g.Relu(g.Add(i[0], i[0])), new Input(MLOperandDataType.Float16, [4], x));
        Assert.Equal(new[] { (Half)3, (Half)0, (Half)0.5, (Half)6 }, y);
    }

    /// <summary>The index into an operand of <paramref name="shape"/> broadcast to <paramref name="outputShape"/> for output element <paramref name="index"/>.</summary>
    internal static int BroadcastIndex(int index, int[] outputShape, int[] shape)
    {
        int result = 0, stride = 1;
        for (int d = outputShape.Length - 1, s = shape.Length - 1; d >= 0; d--, s--)
        {
            int coordinate = index % outputShape[d];
            index /= outputShape[d];
            if (s >= 0)
            {
                result += (shape[s] == 1 ? 0 : coordinate) * stride;
                stride *= shape[s];
            }
        }
        return result;
    }
}
