using WebNN.Graph;
using WebNN.Tests.Validation;
using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.Optimization;

public sealed class Conv2dSummandFusionTests
{
    private static MLOperand NhwcConv(MLGraphBuilder b, MLOperand x) => Conv2dFusionTests.NhwcConv(b, x, 4);

    [Fact]
    public async Task A_residual_add_and_its_relu_become_the_convolutions_summand_and_activation()
    {
        var b = NullBackendContext.CreateBuilder(fusesConv2dSummand: true);
        var x = b.F32(1, 5, 5, 4);
        var graph = await NullBackendContext.CompiledDescriptionAsync(b, new() { ["y"] = b.Relu(b.Add(NhwcConv(b, x), x)) });
        var op = Assert.Single(graph.Operators);
        Assert.Equal("conv2d", op.Name);
        Assert.Same(x, op.Input("summand"));
        Assert.Equal("relu", op.AttributesAs<Conv2dAttributes>().Activation!.Operator);
        Assert.Same(graph.Outputs["y"], op.Outputs[0]);
    }

    [Fact]
    public async Task Nothing_is_fused_for_a_backend_without_summands_or_where_the_add_broadcasts_or_follows_an_activation()
    {
        var plain = NullBackendContext.CreateBuilder();
        var x = plain.F32(1, 5, 5, 4);
        Assert.Equal(3, (await NullBackendContext.CompiledDescriptionAsync(plain, new() { ["y"] = plain.Relu(plain.Add(NhwcConv(plain, x), x)) })).Operators.Count);

        var broadcast = NullBackendContext.CreateBuilder(fusesConv2dSummand: true);
        var row = broadcast.F32(1, 1, 5, 4);
        Assert.Equal(2, (await NullBackendContext.CompiledDescriptionAsync(broadcast, new() { ["y"] = broadcast.Add(NhwcConv(broadcast, broadcast.F32(1, 5, 5, 4)), row) })).Operators.Count);

        // relu(conv) + x is not relu(conv + x): the conv2d that already has an activation keeps its add.
        var activated = NullBackendContext.CreateBuilder(fusesConv2dSummand: true);
        var input = activated.F32(1, 5, 5, 4);
        var graph = await NullBackendContext.CompiledDescriptionAsync(activated, new() { ["y"] = activated.Add(activated.Relu(NhwcConv(activated, input)), input) });
        Assert.Equal(["conv2d", "add"], graph.Operators.Select(o => o.Name));
    }

    [Fact]
    public async Task A_sum_read_elsewhere_keeps_its_add()
    {
        var b = NullBackendContext.CreateBuilder(fusesConv2dSummand: true);
        var x = b.F32(1, 5, 5, 4);
        var sum = b.Add(NhwcConv(b, x), x);
        var graph = await NullBackendContext.CompiledDescriptionAsync(b, new() { ["y"] = b.Relu(sum), ["sum"] = sum });
        Assert.Equal(["conv2d", "relu"], graph.Operators.Select(o => o.Name));
        Assert.Same(x, graph.Operators[0].Input("summand"));
        Assert.Null(graph.Operators[0].AttributesAs<Conv2dAttributes>().Activation);
    }

    public static TheoryData<string, int, int, int, string> Residuals => new()
    {
        // layout, groups, kernel, input channels, activation
        { "nhwc", 1, 3, 16, "relu" },   // in place, the GEMM adds to the summand
        { "nchw", 1, 3, 16, "relu" },   // the residual is an NCHW graph input: the add stays after the layout pass
        { "nhwc", 1, 1, 24, "relu" },   // 1×1: one GEMM with beta 1
        { "nhwc", 1, 3, 5, "sigmoid" }, // unfolded panels, an activation in a pass after
        { "nhwc", 8, 3, 8, "relu" },    // depthwise: the summand added in a pass after
        { "nhwc", 2, 3, 40, "none" },   // groups
    };

    [Theory]
    [MemberData(nameof(Residuals))]
    public async Task The_cpu_computes_activation_of_convolution_plus_summand(string layout, int groups, int kernel, int channels, string activation)
    {
        int h = 9, w = 7, pad = kernel / 2, perGroup = channels / groups;
        bool nchw = layout == "nchw";
        int[] shape = nchw ? [2, channels, h, w] : [2, h, w, channels];
        var x = RandomFloats(1, shape.Aggregate(1, (a, c) => a * c));
        var filter = RandomFloats(2, kernel * kernel * perGroup * channels);
        var residual = RandomFloats(3, x.Length);
        var bias = RandomFloats(4, channels);
        var actual = await RunFloatsAsync((g, inputs) =>
        {
            var conv = g.Conv2d(inputs[0], g.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, kernel, kernel, perGroup, channels), filter),
                new MLConv2dOptions
                {
                    Padding = [pad, pad, pad, pad], Groups = groups, InputLayout = nchw ? MLInputOperandLayout.Nchw : MLInputOperandLayout.Nhwc,
                    FilterLayout = MLConv2dFilterOperandLayout.Hwio, Bias = g.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, channels), bias),
                });
            var sum = g.Add(conv, inputs[1]);
            return activation switch { "relu" => g.Relu(sum), "sigmoid" => g.Sigmoid(sum), _ => sum };
        }, Input.Floats(shape, x), Input.Floats(shape, residual));

        var expected = new double[x.Length];
        for (int n = 0; n < 2; n++)
            for (int oy = 0; oy < h; oy++)
                for (int ox = 0; ox < w; ox++)
                    for (int o = 0; o < channels; o++)
                    {
                        int group = o / perGroup;
                        double s = bias[o];
                        for (int ky = 0; ky < kernel; ky++)
                            for (int kx = 0; kx < kernel; kx++)
                            {
                                int iy = oy + ky - pad, ix = ox + kx - pad;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                for (int i = 0; i < perGroup; i++)
                                {
                                    int c = group * perGroup + i;
                                    int xi = nchw ? ((n * channels + c) * h + iy) * w + ix : ((n * h + iy) * w + ix) * channels + c;
                                    s += (double)x[xi] * filter[((ky * kernel + kx) * perGroup + i) * channels + o];
                                }
                            }
                        int yi = nchw ? ((n * channels + o) * h + oy) * w + ox : ((n * h + oy) * w + ox) * channels + o;
                        s += residual[yi];
                        expected[yi] = activation switch { "relu" => Math.Max(s, 0), "sigmoid" => 1 / (1 + Math.Exp(-s)), _ => s };
                    }
        AssertClose(expected, actual, 1e-4);
    }
}
