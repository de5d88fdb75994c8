using WebNN.Graph;
using WebNN.Tests.Validation;
using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.Optimization;

public sealed class BatchNormalizationFoldingTests
{
    private static MLOperand Constant(MLGraphBuilder b, int seed, params int[] shape) =>
        b.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, shape), RandomFloats(seed, shape.Aggregate(1, (x, y) => x * y), 0.5f, 1.5f));

    private static MLBatchNormalizationOptions Parameters(MLGraphBuilder b, int channels, int axis = 1) => new()
    {
        Scale = Constant(b, 3, channels), Bias = Constant(b, 4, channels), Axis = axis,
    };

    [Fact]
    public async Task Conv2d_batchNormalization_and_relu_become_one_conv2d_with_a_bias()
    {
        var b = NullBackendContext.CreateBuilder();
        var conv = b.Conv2d(b.F32(1, 4, 5, 5), Constant(b, 1, 8, 4, 3, 3));
        var normalized = b.BatchNormalization(conv, Constant(b, 2, 8), Constant(b, 5, 8), Parameters(b, 8));
        var graph = await NullBackendContext.CompiledDescriptionAsync(b, new() { ["y"] = b.Relu(normalized) });
        var op = Assert.Single(graph.Operators);
        Assert.Equal("conv2d", op.Name);
        Assert.Equal([8], op.Input("bias")!.Dimensions);
        Assert.Equal("relu", op.AttributesAs<Conv2dAttributes>().Activation!.Operator);
        // The folded filter and bias are the graph's constants now; the originals are read by nothing.
        Assert.Equal(2, graph.Constants.Count);
        Assert.Contains(op.Input("filter")!, graph.Constants);
        Assert.Contains(op.Input("bias")!, graph.Constants);
    }

    [Fact]
    public async Task Normalization_along_another_axis_is_not_folded()
    {
        var b = NullBackendContext.CreateBuilder();
        var conv = b.Conv2d(b.F32(1, 4, 5, 5), Constant(b, 1, 5, 4, 1, 1));
        var graph = await NullBackendContext.CompiledDescriptionAsync(b, new() { ["y"] = b.BatchNormalization(conv, Constant(b, 2, 5), Constant(b, 5, 5), Parameters(b, 5, axis: 3)) });
        Assert.Equal(["conv2d", "batchNormalization"], graph.Operators.Select(o => o.Name));
    }

    [Fact]
    public async Task Parameters_that_are_not_constants_are_not_folded()
    {
        var b = NullBackendContext.CreateBuilder();
        var filterInput = b.Conv2d(b.F32(1, 4, 5, 5), b.F32(8, 4, 3, 3));
        var meanInput = b.Conv2d(b.F32(1, 4, 5, 5), Constant(b, 1, 8, 4, 3, 3));
        var graph = await NullBackendContext.CompiledDescriptionAsync(b, new()
        {
            ["filter"] = b.BatchNormalization(filterInput, Constant(b, 2, 8), Constant(b, 5, 8), Parameters(b, 8)),
            ["mean"] = b.BatchNormalization(meanInput, b.F32(8), Constant(b, 5, 8), Parameters(b, 8)),
        });
        Assert.Equal(2, graph.Operators.Count(o => o.Name == "batchNormalization"));
    }

    [Fact]
    public async Task A_convolution_read_elsewhere_is_not_folded()
    {
        var b = NullBackendContext.CreateBuilder();
        var conv = b.Conv2d(b.F32(1, 4, 5, 5), Constant(b, 1, 8, 4, 3, 3));
        var normalized = b.BatchNormalization(conv, Constant(b, 2, 8), Constant(b, 5, 8), Parameters(b, 8));
        var graph = await NullBackendContext.CompiledDescriptionAsync(b, new() { ["y"] = normalized, ["conv"] = conv });
        Assert.Equal(["conv2d", "batchNormalization"], graph.Operators.Select(o => o.Name));
    }

    /// <summary>Each filter layout, with and without the conv2d's own bias and the normalization's scale and bias.</summary>
    [Theory]
    [InlineData(MLInputOperandLayout.Nchw, MLConv2dFilterOperandLayout.Oihw, true, true)]
    [InlineData(MLInputOperandLayout.Nchw, MLConv2dFilterOperandLayout.Hwio, false, true)]
    [InlineData(MLInputOperandLayout.Nhwc, MLConv2dFilterOperandLayout.Ohwi, true, false)]
    [InlineData(MLInputOperandLayout.Nhwc, MLConv2dFilterOperandLayout.Ihwo, false, false)]
    public async Task Folded_graphs_compute_what_the_unfolded_operations_define(MLInputOperandLayout layout, MLConv2dFilterOperandLayout filterLayout, bool convBias, bool scaleAndBias)
    {
        // Grouped (2 groups of 3 input channels), strided and padded, batch 2, 5 output channels (not a vector width).
        const int batch = 2, inputChannels = 6, outputChannels = 5 * 2, groups = 2, kernel = 3;
        int[] nchwShape = [batch, inputChannels, 7, 6];
        float epsilon = 1e-3f;
        var input = RandomFloats(60, nchwShape.Aggregate(1, (x, y) => x * y));
        var filterOihw = RandomFloats(61, outputChannels * (inputChannels / groups) * kernel * kernel);
        var bias = convBias ? RandomFloats(62, outputChannels) : [];
        var mean = RandomFloats(63, outputChannels);
        var variance = RandomFloats(64, outputChannels, 0.1f, 2f);
        var scale = RandomFloats(65, outputChannels, 0.5f, 2f);
        var shift = RandomFloats(66, outputChannels);
        int[] padding = [1, 0, 2, 1];
        var reference = Cpu.ConvolutionOperationTests.ReferenceConv2d(input, nchwShape, filterOihw, [outputChannels, inputChannels / groups, kernel, kernel], bias,
            padding, 2, 1, groups, out var outputShape);
        int pixels = outputShape[2] * outputShape[3];
        for (int i = 0; i < reference.Length; i++)
        {
            int o = i / pixels % outputChannels;
            double normalized = (reference[i] - mean[o]) / Math.Sqrt(variance[o] + epsilon);
            reference[i] = scaleAndBias ? normalized * scale[o] + shift[o] : normalized;
        }
        bool nhwc = layout == MLInputOperandLayout.Nhwc;
        var expected = nhwc ? Permute([.. reference.Select(v => (float)v)], outputShape, [0, 2, 3, 1]).Select(v => (double)v).ToArray() : reference;
        int[] oihwShape = [outputChannels, inputChannels / groups, kernel, kernel];
        int[] toFilterLayout = filterLayout switch
        {
            MLConv2dFilterOperandLayout.Oihw => [0, 1, 2, 3],
            MLConv2dFilterOperandLayout.Hwio => [2, 3, 1, 0],
            MLConv2dFilterOperandLayout.Ohwi => [0, 2, 3, 1],
            _ => [1, 2, 3, 0],
        };
        var filter = Permute(filterOihw, oihwShape, toFilterLayout);
        int[] filterShape = [.. toFilterLayout.Select(axis => oihwShape[axis])];
        int[] inputShape = nhwc ? [batch, nchwShape[2], nchwShape[3], inputChannels] : nchwShape;

        MLOperand Vector(MLGraphBuilder g, float[] values) => g.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, values.Length), values);
        var actual = await RunFloatsAsync((g, x) =>
        {
            var conv = g.Conv2d(x[0], g.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, filterShape), filter), new MLConv2dOptions
            {
                Padding = padding, Strides = [2, 2], Groups = groups, InputLayout = layout, FilterLayout = filterLayout,
                Bias = convBias ? Vector(g, bias) : null,
            });
            return g.BatchNormalization(conv, Vector(g, mean), Vector(g, variance), new MLBatchNormalizationOptions
            {
                Axis = nhwc ? 3 : 1, Epsilon = epsilon, Scale = scaleAndBias ? Vector(g, scale) : null, Bias = scaleAndBias ? Vector(g, shift) : null,
            });
        }, Input.Floats(nhwc ? inputShape : nchwShape, nhwc ? Permute(input, nchwShape, [0, 2, 3, 1]) : input));
        AssertClose(expected, actual, 1e-5);
    }
}
