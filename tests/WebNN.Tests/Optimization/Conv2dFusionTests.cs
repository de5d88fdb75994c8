using WebNN.Graph;
using WebNN.Tests.Validation;
using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.Optimization;

public sealed class Conv2dFusionTests
{
    /// <summary>A 3×3 "same" conv2d of an NHWC input of 4 channels (hwio filter).</summary>
    internal static MLOperand NhwcConv(MLGraphBuilder b, MLOperand x, int outputChannels) =>
        b.Conv2d(x, b.F32(3, 3, 4, outputChannels), new MLConv2dOptions
        {
            InputLayout = MLInputOperandLayout.Nhwc, FilterLayout = MLConv2dFilterOperandLayout.Hwio, Padding = [1, 1, 1, 1],
        });

    private static (MLGraphBuilder Builder, MLOperand Conv) NhwcConv()
    {
        var b = NullBackendContext.CreateBuilder();
        return (b, NhwcConv(b, b.F32(1, 5, 5, 4), 8));
    }

    [Fact]
    public async Task Conv2d_add_of_a_channel_vector_and_relu_become_one_operator()
    {
        var (b, conv) = NhwcConv();
        var bias = b.F32(8);
        var graph = await NullBackendContext.CompiledDescriptionAsync(b, new() { ["y"] = b.Relu(b.Add(conv, bias)) });
        var op = Assert.Single(graph.Operators);
        Assert.Equal("conv2d", op.Name);
        Assert.Same(bias, op.Input("bias"));
        Assert.Equal("relu", op.AttributesAs<Conv2dAttributes>().Activation!.Operator);
        Assert.Same(graph.Outputs["y"], op.Outputs[0]);
    }

    [Fact]
    public async Task Nchw_bias_must_run_along_the_channel_axis()
    {
        var b = NullBackendContext.CreateBuilder();
        var conv = b.Conv2d(b.F32(1, 4, 5, 5), b.F32(8, 4, 3, 3));
        var fused = await NullBackendContext.CompiledDescriptionAsync(b, new() { ["y"] = b.Add(conv, b.F32(8, 1, 1)) });
        Assert.Single(fused.Operators);

        var b2 = NullBackendContext.CreateBuilder();
        var conv2 = b2.Conv2d(b2.F32(1, 4, 3, 3), b2.F32(3, 4, 3, 3), new MLConv2dOptions { Padding = [1, 1, 1, 1] });
        var notFused = await NullBackendContext.CompiledDescriptionAsync(b2, new() { ["y"] = b2.Add(conv2, b2.F32(3)) });
        Assert.Equal(2, notFused.Operators.Count);
    }

    [Fact]
    public async Task Values_read_elsewhere_are_not_folded_away()
    {
        var (b, conv) = NhwcConv();
        var sum = b.Add(conv, b.F32(8));
        var graph = await NullBackendContext.CompiledDescriptionAsync(b, new() { ["y"] = b.Relu(sum), ["sum"] = sum });
        Assert.Equal(2, graph.Operators.Count);
        Assert.Equal(["conv2d", "relu"], graph.Operators.Select(o => o.Name));
        Assert.NotNull(graph.Operators[0].Input("bias"));
    }

    [Fact]
    public async Task A_conv2d_with_its_own_bias_still_takes_the_activation()
    {
        var b = NullBackendContext.CreateBuilder();
        var conv = b.Conv2d(b.F32(1, 2, 4, 4), b.F32(2, 2, 1, 1), new MLConv2dOptions { Bias = b.F32(2) });
        var graph = await NullBackendContext.CompiledDescriptionAsync(b, new() { ["y"] = b.Sigmoid(b.Add(conv, b.F32(2, 1, 1))) });
        Assert.Equal(["conv2d", "add", "sigmoid"], graph.Operators.Select(o => o.Name));
        var direct = NullBackendContext.CreateBuilder();
        var y = direct.Clamp(direct.Conv2d(direct.F32(1, 2, 4, 4), direct.F32(2, 2, 1, 1), new MLConv2dOptions { Bias = direct.F32(2) }), new MLClampOptions { MinValue = 0, MaxValue = 6 });
        var fused = Assert.Single((await NullBackendContext.CompiledDescriptionAsync(direct, new() { ["y"] = y })).Operators);
        Assert.Equal(new ClampAttributes(0, 6), fused.AttributesAs<Conv2dAttributes>().Activation!.Attributes);
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("clamp")]
    [InlineData("sigmoid")]
    [InlineData("leakyRelu")]
    public async Task Fused_graphs_compute_what_the_unfused_operations_define(string activation)
    {
        int[] inputShape = [1, 6, 5, 3];
        var input = RandomFloats(40, 90, -1, 1);
        var filter = RandomFloats(41, 3 * 3 * 3 * 7, -1, 1);
        var bias = RandomFloats(42, 7, -1, 1);
        var reference = Cpu.ConvolutionOperationTests.ReferenceConv2d(
            Permute(input, inputShape, [0, 3, 1, 2]), [1, 3, 6, 5], Permute(filter, [3, 3, 3, 7], [3, 2, 0, 1]), [7, 3, 3, 3], bias, [1, 1, 0, 2], 1, 1, 1, out var outputShape);
        var expected = Permute(reference.Select(v => (float)v).ToArray(), outputShape, [0, 2, 3, 1]).Select(v => activation switch
        {
            "relu" => Math.Max(0, (double)v),
            "clamp" => Math.Clamp(v, -0.5, 0.5),
            "sigmoid" => 1 / (1 + Math.Exp(-v)),
            _ => v >= 0 ? v : (double)0.1f * v,
        }).ToArray();
        var actual = await RunFloatsAsync((g, x) =>
        {
            var conv = g.Conv2d(x[0], g.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, 3, 3, 3, 7), filter), new MLConv2dOptions
            {
                Padding = [1, 1, 0, 2], InputLayout = MLInputOperandLayout.Nhwc, FilterLayout = MLConv2dFilterOperandLayout.Hwio,
            });
            var sum = g.Add(conv, x[1]);
            return activation switch
            {
                "relu" => g.Relu(sum),
                "clamp" => g.Clamp(sum, new MLClampOptions { MinValue = -0.5, MaxValue = 0.5 }),
                "sigmoid" => g.Sigmoid(sum),
                _ => g.LeakyRelu(sum, new MLLeakyReluOptions { Alpha = 0.1 }),
            };
        }, Input.Floats(inputShape, input), Input.Floats([7], bias));
        AssertClose(expected, actual, 1e-5);
    }
}
