using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.WebGpu;

/// <summary>
/// Randomly generated small graphs, built the same way on the WebGPU and CPU contexts: both backends give
/// the same results. Each graph chains operations drawn from a catalogue on the shape the chain has reached.
/// </summary>
[Collection(GpuContextCollection.Name)]
public sealed class CrossBackendTests(GpuContextFixture fixture)
{
    private delegate MLOperand Step(MLGraphBuilder g, MLOperand x, Random random);

    /// <summary>Operations that keep values in a moderate range, so that float32 rounding differences stay small.</summary>
    private static readonly (string Name, Step Apply)[] Catalogue =
    [
        ("relu", (g, x, _) => g.Relu(x)),
        ("sigmoid", (g, x, _) => g.Sigmoid(x)),
        ("tanh", (g, x, _) => g.Tanh(x)),
        ("abs", (g, x, _) => g.Abs(x)),
        ("neg", (g, x, _) => g.Neg(x)),
        ("sin", (g, x, _) => g.Sin(x)),
        ("softsign", (g, x, _) => g.Softsign(x)),
        ("elu", (g, x, _) => g.Elu(x)),
        ("gelu", (g, x, _) => g.Gelu(x)),
        ("hardSwish", (g, x, _) => g.HardSwish(x)),
        ("leakyRelu", (g, x, _) => g.LeakyRelu(x, new MLLeakyReluOptions { Alpha = 0.2 })),
        ("clamp", (g, x, _) => g.Clamp(x, new MLClampOptions { MinValue = -0.5, MaxValue = 0.7 })),
        ("add", (g, x, r) => g.Add(x, BroadcastConstant(g, x, r))),
        ("sub", (g, x, r) => g.Sub(BroadcastConstant(g, x, r), x)),
        ("mul", (g, x, r) => g.Mul(x, BroadcastConstant(g, x, r))),
        ("max", (g, x, r) => g.Max(x, BroadcastConstant(g, x, r))),
        ("min", (g, x, r) => g.Min(BroadcastConstant(g, x, r), x)),
        ("div", (g, x, r) => g.Div(x, g.Add(g.Abs(BroadcastConstant(g, x, r)), g.Constant(MLOperandDataType.Float32, 1)))),
        ("transpose", (g, x, r) => g.Transpose(x, new MLTransposeOptions { Permutation = Enumerable.Range(0, x.Shape.Length).OrderBy(_ => r.Next()).ToArray() })),
        ("reshape", (g, x, _) => g.Reshape(x, x.Shape.Length > 1 ? [x.Shape[0], (int)Shapes.ElementCount(x.Shape.AsSpan(1))] : x.Shape)),
        ("softmax", (g, x, r) => g.Softmax(x, r.Next(x.Shape.Length))),
        ("matmul", (g, x, r) => g.Mul(g.Matmul(x, RandomConstant(g, r, x.Shape[^1], 1 + r.Next(5))), g.Constant(MLOperandDataType.Float32, 0.5))),
        ("conv2d", Conv2d),
        // Dimensions are dropped only while some remain: later steps (softmax, reverse) need rank 1 or more.
        ("reduceMean", (g, x, r) => { var axes = RandomAxes(x, r); return g.ReduceMean(x, new MLReduceOptions { Axes = axes, KeepDimensions = r.Next(2) == 0 || axes.Length == x.Shape.Length }); }),
        ("reduceMax", (g, x, r) => g.ReduceMax(x, new MLReduceOptions { Axes = RandomAxes(x, r), KeepDimensions = true })),
        ("layerNormalization", (g, x, r) => g.LayerNormalization(x, new MLLayerNormalizationOptions { Axes = [x.Shape.Length - 1] })),
        // Reflection needs padding below the size, so axes of size 1 are not padded.
        ("pad", (g, x, r) => g.Pad(x, [.. x.Shape.Select(d => Math.Min(r.Next(2), d - 1))], [.. x.Shape.Select(d => Math.Min(r.Next(2), d - 1))], new MLPadOptions { Mode = (MLPaddingMode)r.Next(3) })),
        ("slice", (g, x, r) => g.Slice(x, [.. x.Shape.Select(d => d / 2)], [.. x.Shape.Select(d => d - d / 2)])),
        ("concat", (g, x, r) => g.Concat([x, g.Neg(x)], r.Next(x.Shape.Length))),
        ("averagePool2d", (g, x, r) => x.Shape.Length == 4 ? g.AveragePool2d(x, new MLPool2dOptions { WindowDimensions = [1, Math.Min(1 + r.Next(2), x.Shape[2])], Layout = MLInputOperandLayout.Nhwc }) : x),
        ("maxPool2d", (g, x, r) => x.Shape.Length == 4 ? g.MaxPool2d(x, new MLPool2dOptions { WindowDimensions = [Math.Min(1 + r.Next(2), x.Shape[1]), 1], Layout = MLInputOperandLayout.Nhwc }) : x),
        ("gemm", (g, x, r) => x.Shape.Length == 2 ? g.Gemm(x, RandomConstant(g, r, x.Shape[1], 3), new MLGemmOptions { Alpha = 0.5, C = RandomConstant(g, r, 3) }) : g.Tanh(x)),
        ("reverse", (g, x, r) => g.Reverse(x, new MLReverseOptions { Axes = RandomAxes(x, r) })),
        ("tile", (g, x, r) => g.Tile(x, [.. x.Shape.Select(_ => 1 + r.Next(2))])),
        ("triangular", (g, x, r) => x.Shape.Length >= 2 ? g.Triangular(x, new MLTriangularOptions { Upper = r.Next(2) == 0, Diagonal = r.Next(-1, 2) }) : x),
        ("cumulativeSum", (g, x, r) => g.Mul(g.CumulativeSum(x, r.Next(x.Shape.Length), new MLCumulativeSumOptions { Exclusive = r.Next(2) == 0, Reversed = r.Next(2) == 0 }), g.Constant(MLOperandDataType.Float32, 0.5))),
        // A comparison is discontinuous, but both backends' values straddle a random constant with negligible probability.
        ("where", (g, x, r) => g.Where(g.Greater(x, BroadcastConstant(g, x, r)), x, g.Neg(x))),
    ];

    /// <summary>A random non-empty subset of <paramref name="x"/>'s axes, in order.</summary>
    private static int[] RandomAxes(MLOperand x, Random random)
    {
        var axes = Enumerable.Range(0, x.Shape.Length).Where(_ => random.Next(2) == 0).ToArray();
        return axes.Length > 0 ? axes : [random.Next(x.Shape.Length)];
    }

    private static MLOperand RandomConstant(MLGraphBuilder g, Random random, params int[] shape)
    {
        var values = new float[Shapes.ElementCount(shape)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return g.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, shape), values);
    }

    /// <summary>A constant whose shape broadcasts to <paramref name="x"/>'s: a random suffix of it with some dimensions set to 1.</summary>
    private static MLOperand BroadcastConstant(MLGraphBuilder g, MLOperand x, Random random)
    {
        int rank = random.Next(x.Shape.Length + 1);
        var shape = x.Shape[(x.Shape.Length - rank)..].Select(d => random.Next(3) == 0 ? 1 : d).ToArray();
        return RandomConstant(g, random, shape);
    }

    private static MLOperand Conv2d(MLGraphBuilder g, MLOperand x, Random random)
    {
        if (x.Shape.Length != 4 || x.Shape[1] < 2 || x.Shape[2] < 2)
        {
            return g.Relu(x);
        }
        int outputChannels = 1 + random.Next(6);
        var filter = RandomConstant(g, random, 2, 2, x.Shape[3], outputChannels);
        var conv = g.Conv2d(x, filter, new MLConv2dOptions
        {
            InputLayout = MLInputOperandLayout.Nhwc, FilterLayout = MLConv2dFilterOperandLayout.Hwio, Padding = [random.Next(2), 1, 0, random.Next(2)],
        });
        return g.Mul(conv, g.Constant(MLOperandDataType.Float32, 0.3));
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task A_random_graph_gives_the_same_results_on_both_backends(int seed)
    {
        int[] inputShape = [1 + seed % 2, 2 + seed % 4, 3 + seed % 3, 1 + seed % 5];
        var input = RandomFloats(seed, (int)Shapes.ElementCount(inputShape), -2, 2);
        var chains = new List<string>();
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) =>
        {
            var random = new Random(seed);
            chains.Add("");
            var value = x[0];
            for (int i = 0, length = 3 + random.Next(5); i < length; i++)
            {
                var (name, apply) = Catalogue[random.Next(Catalogue.Length)];
                chains[^1] += $"{name} ";
                value = apply(g, value, random);
            }
            return value;
        }, (inputShape, input));
        Assert.Equal(chains[0], chains[1]);
        try
        {
            AssertClose(cpu.Select(v => (double)v).ToArray(), gpu, 1e-4);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException($"graph {chains[0]}: {e.Message}");
        }
    }
}
