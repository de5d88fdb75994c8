using WebNN.Graph;
using WebNN.Optimization;
using WebNN.Tests.Validation;
using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.Optimization;

public sealed class ChannelsLastLayoutTests
{
    /// <summary>The null backend prefers NCHW, so its graph is the one before this pass.</summary>
    private static Task<GraphDescription> NchwGraphAsync(MLGraphBuilder builder, Dictionary<string, MLOperand> outputs) =>
        NullBackendContext.CompiledDescriptionAsync(builder, outputs);

    /// <summary>A residual block: conv → relu → conv, + the relu's output, relu, maxPool2d; all NCHW.</summary>
    private static MLOperand ResidualBlock(MLGraphBuilder b, MLOperand x, out MLOperand firstRelu)
    {
        var filter = b.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, 4, 4, 3, 3), RandomFloats(1, 144));
        var options = new MLConv2dOptions { Padding = [1, 1, 1, 1] };
        firstRelu = b.Relu(b.Conv2d(x, filter, options));
        var sum = b.Add(b.Conv2d(firstRelu, filter, options), firstRelu);
        return b.MaxPool2d(b.Relu(sum), new MLPool2dOptions { WindowDimensions = [3, 3], Strides = [2, 2], Padding = [1, 1, 1, 1] });
    }

    [Fact]
    public async Task A_chain_of_nchw_convolutions_transposes_once_in_and_once_out()
    {
        var b = NullBackendContext.CreateBuilder();
        var graph = ChannelsLastLayout.Apply(await NchwGraphAsync(b, new() { ["y"] = ResidualBlock(b, b.F32(1, 4, 9, 9), out _) }), MLInputOperandLayout.Nhwc);
        Assert.Equal(["transpose", "conv2d", "conv2d", "add", "relu", "maxPool2d", "transpose"], graph.Operators.Select(o => o.Name));
        Assert.All(graph.Operators.Where(o => o.Name == "conv2d"), o => Assert.Equal(MLInputOperandLayout.Nhwc, o.AttributesAs<Conv2dAttributes>().InputLayout));
        Assert.Equal(MLInputOperandLayout.Nhwc, graph.Operators[5].AttributesAs<Pool2dAttributes>().Layout);
        Assert.Equal([1, 4, 5, 5], graph.Operators[^1].Outputs[0].Dimensions);
        Assert.Same(graph.Outputs["y"], graph.Operators[^1].Outputs[0]);
    }

    [Fact]
    public async Task A_value_read_in_nchw_too_is_transposed_back_once_before_its_first_such_reader()
    {
        var b = NullBackendContext.CreateBuilder();
        var y = ResidualBlock(b, b.F32(1, 4, 9, 9), out var firstRelu);
        var nchw = await NchwGraphAsync(b, new() { ["y"] = y, ["relu"] = firstRelu, ["flat"] = b.Reshape(firstRelu, [324]) });
        var graph = ChannelsLastLayout.Apply(nchw, MLInputOperandLayout.Nhwc);
        var transposesOfRelu = graph.Operators.Where(o => o.Name == "transpose" && ReferenceEquals(o.Outputs[0], firstRelu)).ToList();
        var made = Assert.Single(transposesOfRelu);
        Assert.True(graph.Operators.ToList().IndexOf(made) < graph.Operators.ToList().FindIndex(o => o.Name == "reshape"));
        Assert.Equal(3, graph.Operators.Count(o => o.Name == "transpose"));
    }

    [Fact]
    public async Task A_backend_that_prefers_nchw_keeps_the_graph()
    {
        var b = NullBackendContext.CreateBuilder();
        var graph = await NchwGraphAsync(b, new() { ["y"] = ResidualBlock(b, b.F32(1, 4, 9, 9), out _) });
        Assert.Same(graph, ChannelsLastLayout.Apply(graph, MLInputOperandLayout.Nchw));
    }

    /// <summary>On the CPU (which prefers NHWC) the NCHW residual block, its mid-graph value as an output too, against a double-precision reference.</summary>
    [Fact]
    public async Task The_rewritten_graph_computes_what_the_nchw_operations_define()
    {
        int[] shape = [2, 4, 9, 8];
        var input = RandomFloats(7, 2 * 4 * 9 * 8);
        var filter = RandomFloats(1, 144);
        int[] padding = [1, 1, 1, 1];
        var conv1 = Cpu.ConvolutionOperationTests.ReferenceConv2d(input, shape, filter, [4, 4, 3, 3], [], padding, 1, 1, 1, out _);
        var relu1 = conv1.Select(v => Math.Max(0, v)).ToArray();
        var conv2 = Cpu.ConvolutionOperationTests.ReferenceConv2d([.. relu1.Select(v => (float)v)], shape, filter, [4, 4, 3, 3], [], padding, 1, 1, 1, out _);
        var relu2 = conv2.Zip(relu1, (c, r) => Math.Max(0, c + r)).ToArray();
        var pooled = new double[2 * 4 * 5 * 4];
        for (int plane = 0; plane < 8; plane++)
            for (int oy = 0; oy < 5; oy++)
                for (int ox = 0; ox < 4; ox++)
                {
                    double max = double.NegativeInfinity;
                    for (int iy = 2 * oy - 1; iy <= 2 * oy + 1; iy++)
                        for (int ix = 2 * ox - 1; ix <= 2 * ox + 1; ix++)
                            if (iy >= 0 && iy < 9 && ix >= 0 && ix < 8) max = Math.Max(max, relu2[(plane * 9 + iy) * 8 + ix]);
                    pooled[(plane * 5 + oy) * 4 + ox] = max;
                }
        var results = await RunOutputsAsync((g, x) => [ResidualBlock(g, x[0], out var firstRelu), firstRelu], Input.Floats(shape, input));
        AssertClose(pooled, (float[])results[0], 1e-5);
        AssertClose(relu1, (float[])results[1], 1e-5);
    }
}
