using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.WebGpu;

/// <summary>
/// conv2d with groups = 1 runs the WebGPU backend's implicit-GEMM kernel (64×64 output tiles, K in steps of 16):
/// these shapes leave partial tiles along pixels, channels and K, and cover the vec4 and scalar memory paths of
/// every layout, against the CPU backend.
/// </summary>
[Collection(GpuContextCollection.Name)]
public sealed class Conv2dImplicitGemmTests(GpuContextFixture fixture)
{
    public static TheoryData<Conv2dCase> Cases => new()
    {
        // vec4 input, filter and output; K = 900 (57 steps), 30 pixels, 100 channels (a partial second tile).
        new Conv2dCase(MLInputOperandLayout.Nhwc, MLConv2dFilterOperandLayout.Hwio, 1, 100, 6, 5, 100, 3, 3, Epilogue: "bias+relu"),
        // Every path scalar: IC = 3, OC = 5, 5×5 window, stride 2, asymmetric padding, no bias or activation.
        new Conv2dCase(MLInputOperandLayout.Nhwc, MLConv2dFilterOperandLayout.Hwio, 1, 3, 9, 11, 5, 5, 5, Strides: [2, 2], Padding: [2, 1, 0, 3]),
        // NCHW / OIHW: strided channels; batch 2, dilation 2, OC = 37.
        new Conv2dCase(MLInputOperandLayout.Nchw, MLConv2dFilterOperandLayout.Oihw, 2, 4, 8, 7, 37, 3, 3, Dilations: [2, 2], Padding: [1, 2, 2, 1], Epilogue: "bias"),
        // 1×1 stride 1 (K = IC) over 126 pixels (two tiles, the second partial), OHWI filter, fused sigmoid.
        new Conv2dCase(MLInputOperandLayout.Nhwc, MLConv2dFilterOperandLayout.Ohwi, 2, 8, 7, 9, 37, 1, 1, Epilogue: "bias+sigmoid"),
        // IHWO puts output channels innermost (vec4 filter) under NCHW input and output.
        new Conv2dCase(MLInputOperandLayout.Nchw, MLConv2dFilterOperandLayout.Ihwo, 2, 3, 9, 8, 100, 3, 3, Strides: [2, 1], Dilations: [1, 2], Padding: [1, 1, 2, 2], Epilogue: "relu"),
        // 1×1 stride 2, everything vec4.
        new Conv2dCase(MLInputOperandLayout.Nhwc, MLConv2dFilterOperandLayout.Ihwo, 1, 12, 9, 9, 8, 1, 1, Strides: [2, 2], Epilogue: "bias+clamp"),
        // Five pixel tiles, two channel tiles, OC % 4 = 2 (scalar filter and output), K = 180.
        new Conv2dCase(MLInputOperandLayout.Nhwc, MLConv2dFilterOperandLayout.Hwio, 2, 20, 13, 11, 70, 3, 3, Padding: [1, 1, 1, 1], Epilogue: "bias+relu"),
        // A window larger than the padded image's rows at the edges: output pixels whose taps are mostly padding.
        new Conv2dCase(MLInputOperandLayout.Nchw, MLConv2dFilterOperandLayout.Hwio, 1, 5, 4, 6, 9, 5, 3, Padding: [3, 3, 0, 2], Epilogue: "bias"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Conv2d_agrees_with_the_cpu(Conv2dCase c)
    {
        bool nhwc = c.InputLayout == MLInputOperandLayout.Nhwc;
        int[] inputShape = nhwc ? [c.N, c.H, c.W, c.IC] : [c.N, c.IC, c.H, c.W];
        int[] filterShape = c.FilterLayout switch
        {
            MLConv2dFilterOperandLayout.Oihw => [c.OC, c.IC, c.KH, c.KW],
            MLConv2dFilterOperandLayout.Hwio => [c.KH, c.KW, c.IC, c.OC],
            MLConv2dFilterOperandLayout.Ohwi => [c.OC, c.KH, c.KW, c.IC],
            _ => [c.IC, c.KH, c.KW, c.OC],
        };
        var input = RandomFloats(60, (int)Shapes.ElementCount(inputShape));
        var filter = RandomFloats(61, (int)Shapes.ElementCount(filterShape));
        var bias = RandomFloats(62, c.OC);
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) =>
        {
            var conv = g.Conv2d(x[0], x[1], new MLConv2dOptions
            {
                Padding = c.Padding, Strides = c.Strides, Dilations = c.Dilations, InputLayout = c.InputLayout, FilterLayout = c.FilterLayout,
                Bias = c.Epilogue.StartsWith("bias", StringComparison.Ordinal) ? g.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, c.OC), bias) : null,
            });
            return c.Epilogue.Split('+')[^1] switch
            {
                "relu" => g.Relu(conv),
                "sigmoid" => g.Sigmoid(conv),
                "clamp" => g.Clamp(conv, new MLClampOptions { MinValue = -0.5, MaxValue = 0.5 }),
                _ => conv,
            };
        }, (inputShape, input), (filterShape, filter));
        AssertClose(cpu.Select(v => (double)v).ToArray(), gpu, 1e-4);
    }

    [Fact]
    public async Task The_reference_experiment_fused_add_and_relu_agree_on_a_small_image()
    {
        // The bench's graph (bias added and relu applied after the conv, fused by the optimizer) at 12×12×12.
        const int size = 12;
        var input = RandomFloats(63, size * size * size);
        var filter = RandomFloats(64, 9 * size * size);
        var bias = RandomFloats(65, size);
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) =>
        {
            var conv = g.Conv2d(x[0], x[1], new MLConv2dOptions
            {
                Padding = [1, 1, 1, 1], InputLayout = MLInputOperandLayout.Nhwc, FilterLayout = MLConv2dFilterOperandLayout.Hwio,
            });
            return g.Relu(g.Add(conv, g.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, size), bias)));
        }, ([1, size, size, size], input), ([3, 3, size, size], filter));
        AssertClose(cpu.Select(v => (double)v).ToArray(), gpu, 1e-4);
    }

    /// <summary>One conv2d: layouts, sizes, window, and the epilogue ("", "bias", "relu", "bias+relu", "bias+sigmoid", "bias+clamp").</summary>
    public sealed record Conv2dCase(MLInputOperandLayout InputLayout, MLConv2dFilterOperandLayout FilterLayout, int N, int IC, int H, int W, int OC, int KH, int KW,
        int[]? Strides = null, int[]? Dilations = null, int[]? Padding = null, string Epilogue = "")
    {
        public override string ToString() =>
            $"{InputLayout}/{FilterLayout} N{N} IC{IC} {H}x{W} OC{OC} {KH}x{KW} s{string.Join(",", Strides ?? [1, 1])} d{string.Join(",", Dilations ?? [1, 1])} " +
            $"p{string.Join(",", Padding ?? [0, 0, 0, 0])} {Epilogue}";
    }
}
