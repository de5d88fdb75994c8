using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.WebGpu;

/// <summary>The WebGPU backend's poolings, reductions and normalizations agree with the CPU backend.</summary>
[Collection(GpuContextCollection.Name)]
public sealed class PoolingReductionNormalizationKernelTests(GpuContextFixture fixture)
{
    private static void AssertAgree(float[] cpu, float[] gpu, double tolerance) =>
        AssertClose(cpu.Select(v => (double)v).ToArray(), gpu, tolerance);

    private static readonly string[] PoolingNames = ["averagePool2d", "l2Pool2d", "maxPool2d"];

    private static readonly string[] ReductionNames =
        ["reduceL1", "reduceL2", "reduceLogSum", "reduceLogSumExp", "reduceMax", "reduceMean", "reduceMin", "reduceProduct", "reduceSum", "reduceSumSquare"];

    private static MLOperand Pool(MLGraphBuilder g, string op, MLOperand x, MLPool2dOptions options) => op switch
    {
        "averagePool2d" => g.AveragePool2d(x, options),
        "l2Pool2d" => g.L2Pool2d(x, options),
        _ => g.MaxPool2d(x, options),
    };

    private static MLOperand Reduce(MLGraphBuilder g, string op, MLOperand x, MLReduceOptions options) => op switch
    {
        "reduceL1" => g.ReduceL1(x, options),
        "reduceL2" => g.ReduceL2(x, options),
        "reduceLogSum" => g.ReduceLogSum(x, options),
        "reduceLogSumExp" => g.ReduceLogSumExp(x, options),
        "reduceMax" => g.ReduceMax(x, options),
        "reduceMean" => g.ReduceMean(x, options),
        "reduceMin" => g.ReduceMin(x, options),
        "reduceProduct" => g.ReduceProduct(x, options),
        "reduceSum" => g.ReduceSum(x, options),
        _ => g.ReduceSumSquare(x, options),
    };

    /// <summary>Option sets by name: global, padded and strided and dilated, windows wholly in padding, ceil rounding, outputSizes.</summary>
    private static MLPool2dOptions PoolingOptions(string name, MLInputOperandLayout layout) => name switch
    {
        "global" => new() { Layout = layout },
        "padded strided dilated" => new() { Layout = layout, WindowDimensions = [3, 2], Padding = [1, 2, 0, 1], Strides = [2, 1], Dilations = [1, 2] },
        "windows wholly in padding" => new() { Layout = layout, WindowDimensions = [2, 2], Padding = [3, 0, 0, 3] },
        "ceil rounding" => new() { Layout = layout, WindowDimensions = [2, 2], Strides = [2, 2], OutputShapeRounding = MLRoundingType.Ceil },
        _ => new() { Layout = layout, WindowDimensions = [2, 3], Strides = [3, 2], OutputSizes = [3, 2] },
    };

    public static TheoryData<string, MLInputOperandLayout, string> PoolingCases()
    {
        var cases = new TheoryData<string, MLInputOperandLayout, string>();
        foreach (var op in PoolingNames)
        {
            foreach (var layout in new[] { MLInputOperandLayout.Nchw, MLInputOperandLayout.Nhwc })
            {
                foreach (var options in new[] { "global", "padded strided dilated", "windows wholly in padding", "ceil rounding", "outputSizes" })
                {
                    cases.Add(op, layout, options);
                }
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(PoolingCases))]
    public async Task Poolings_agree(string op, MLInputOperandLayout layout, string options)
    {
        int[] shape = layout == MLInputOperandLayout.Nchw ? [2, 3, 7, 5] : [2, 7, 5, 3];
        var x = RandomFloats(60, (int)Shapes.ElementCount(shape), -2, 2);
        var (gpu, cpu) = await fixture.RunBothAsync((g, i) => Pool(g, op, i[0], PoolingOptions(options, layout)), (shape, x));
        AssertAgree(cpu, gpu, 1e-5);
    }

    [Fact]
    public async Task Average_pooling_divides_by_the_window_positions_inside_the_input()
    {
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, i) => g.AveragePool2d(i[0], new MLPool2dOptions { WindowDimensions = [2, 2], Padding = [1, 0, 1, 0] }), ([1, 1, 2, 2], [1f, 2, 3, 4]));
        Assert.Equal([1f, 1.5f, 2f, 2.5f], gpu);
        Assert.Equal(cpu, gpu);
    }

    /// <summary>Axes sets by name over a [2, 3, 5, 7] input (the rank-0 case has its own input).</summary>
    private static int[]? ReductionAxes(string name) => name switch
    {
        "all" or "scalar" => null,
        "none" => [],
        "one" => [1],
        "last" => [3],
        "two out of order" => [2, 0],
        _ => [0, 1, 3],
    };

    public static TheoryData<string, string, bool> ReductionCases()
    {
        var cases = new TheoryData<string, string, bool>();
        foreach (var op in ReductionNames)
        {
            foreach (var axes in new[] { "all", "none", "one", "last", "two out of order", "three", "scalar" })
            {
                cases.Add(op, axes, false);
                cases.Add(op, axes, true);
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(ReductionCases))]
    public async Task Reductions_agree(string op, string axes, bool keepDimensions)
    {
        int[] shape = axes == "scalar" ? [] : [2, 3, 5, 7];
        // Positive values keep reduceLogSum defined and reduceProduct of 210 values in range.
        var (min, max) = op is "reduceLogSum" or "reduceProduct" ? (0.5f, 1.5f) : (-2f, 2f);
        var x = RandomFloats(61, (int)Shapes.ElementCount(shape), min, max);
        var (gpu, cpu) = await fixture.RunBothAsync((g, i) => Reduce(g, op, i[0], new MLReduceOptions { Axes = ReductionAxes(axes), KeepDimensions = keepDimensions }), (shape, x));
        AssertAgree(cpu, gpu, 1e-4);
    }

    [Theory]
    [InlineData("reduceMax")]
    [InlineData("reduceMin")]
    [InlineData("reduceLogSumExp")]
    [InlineData("maxPool2d")]
    public async Task NaN_and_infinities_reduce_like_the_cpu(string op)
    {
        // Rows: one NaN among numbers, all −∞, numbers and +∞.
        float[] x = [1, float.NaN, -3, 2, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, 1, float.PositiveInfinity, -1, 0];
        var (gpu, cpu) = await fixture.RunBothAsync((g, i) => op == "maxPool2d"
            ? g.MaxPool2d(i[0], new MLPool2dOptions { WindowDimensions = [1, 4] })
            : Reduce(g, op, g.Reshape(i[0], [3, 4]), new MLReduceOptions { Axes = [1] }), ([1, 3, 1, 4], x));
        Assert.True(float.IsNaN(gpu[0]), $"{op} of a row holding NaN gave {gpu[0]}");
        AssertAgree(cpu, gpu, 1e-6);
    }

    /// <summary>Adds an optional input (the graph has no input that no operation reads) and returns its index, or −1 when absent.</summary>
    private static int AddOptional(List<(int[] Shape, float[] Values)> inputs, bool present, int[] shape, float[] values)
    {
        if (!present)
        {
            return -1;
        }
        inputs.Add((shape, values));
        return inputs.Count - 1;
    }

    private static MLOperand? Optional(MLOperand[] operands, int index) => index < 0 ? null : operands[index];

    [Theory]
    [InlineData(new[] { 2, 3, 5, 7 }, 1, true, true)]
    [InlineData(new[] { 2, 3, 5, 7 }, 3, true, false)]
    [InlineData(new[] { 2, 3, 5, 7 }, 0, false, true)]
    [InlineData(new[] { 4, 5 }, 1, false, false)]
    [InlineData(new[] { 7 }, 0, true, true)]
    public async Task Batch_normalization_agrees(int[] shape, int axis, bool withScale, bool withBias)
    {
        int features = shape[axis];
        var x = RandomFloats(62, (int)Shapes.ElementCount(shape), -3, 3);
        var mean = RandomFloats(63, features);
        var variance = RandomFloats(64, features, 0.1f, 2);
        var inputs = new List<(int[] Shape, float[] Values)> { (shape, x), ([features], mean), ([features], variance) };
        int scale = AddOptional(inputs, withScale, [features], RandomFloats(65, features, 0.5f, 2));
        int bias = AddOptional(inputs, withBias, [features], RandomFloats(66, features));
        var (gpu, cpu) = await fixture.RunBothAsync((g, i) => g.BatchNormalization(i[0], i[1], i[2], new MLBatchNormalizationOptions
        {
            Axis = axis, Epsilon = 1e-3, Scale = Optional(i, scale), Bias = Optional(i, bias),
        }), [.. inputs]);
        AssertAgree(cpu, gpu, 1e-5);
    }

    [Theory]
    [InlineData(MLInputOperandLayout.Nchw, true, true)]
    [InlineData(MLInputOperandLayout.Nchw, false, false)]
    [InlineData(MLInputOperandLayout.Nhwc, true, false)]
    [InlineData(MLInputOperandLayout.Nhwc, false, true)]
    public async Task Instance_normalization_agrees(MLInputOperandLayout layout, bool withScale, bool withBias)
    {
        int[] shape = layout == MLInputOperandLayout.Nchw ? [2, 3, 5, 7] : [2, 5, 7, 3];
        var x = RandomFloats(67, (int)Shapes.ElementCount(shape), -3, 5);
        var inputs = new List<(int[] Shape, float[] Values)> { (shape, x) };
        int scale = AddOptional(inputs, withScale, [3], RandomFloats(68, 3, 0.5f, 2));
        int bias = AddOptional(inputs, withBias, [3], RandomFloats(69, 3));
        var (gpu, cpu) = await fixture.RunBothAsync((g, i) => g.InstanceNormalization(i[0], new MLInstanceNormalizationOptions
        {
            Layout = layout, Epsilon = 1e-4, Scale = Optional(i, scale), Bias = Optional(i, bias),
        }), [.. inputs]);
        AssertAgree(cpu, gpu, 1e-4);
    }

    [Theory]
    [InlineData(new[] { 2, 3, 5, 7 }, null, true, true)]
    [InlineData(new[] { 2, 3, 5, 7 }, new[] { 3 }, true, false)]
    [InlineData(new[] { 2, 3, 5, 7 }, new[] { 2, 0 }, false, true)]
    [InlineData(new[] { 2, 3, 5, 7 }, new[] { 1, 2, 3 }, false, false)]
    [InlineData(new[] { 4, 9 }, new int[0], true, true)]
    [InlineData(new int[0], null, true, true)]
    public async Task Layer_normalization_agrees(int[] shape, int[]? axes, bool withScale, bool withBias)
    {
        int[] parameterShape = (axes ?? Enumerable.Range(1, Math.Max(0, shape.Length - 1)).ToArray()).Select(a => shape[a]).ToArray();
        int parameterCount = (int)Shapes.ElementCount(parameterShape);
        var x = RandomFloats(70, (int)Shapes.ElementCount(shape), -3, 5);
        var inputs = new List<(int[] Shape, float[] Values)> { (shape, x) };
        int scale = AddOptional(inputs, withScale, parameterShape, RandomFloats(71, parameterCount, 0.5f, 2));
        int bias = AddOptional(inputs, withBias, parameterShape, RandomFloats(72, parameterCount));
        var (gpu, cpu) = await fixture.RunBothAsync((g, i) => g.LayerNormalization(i[0], new MLLayerNormalizationOptions
        {
            Axes = axes, Epsilon = 1e-4, Scale = Optional(i, scale), Bias = Optional(i, bias),
        }), [.. inputs]);
        AssertAgree(cpu, gpu, 1e-4);
    }

    [Fact]
    public void Op_support_limits_list_every_pooling_reduction_and_normalization()
    {
        var operators = fixture.Gpu.OpSupportLimits().Operators;
        foreach (var op in PoolingNames.Concat(ReductionNames).Concat(["batchNormalization", "instanceNormalization", "layerNormalization"]))
        {
            Assert.True(operators.ContainsKey(op), $"{op} is missing from the webgpu context's opSupportLimits.");
        }
    }
}
