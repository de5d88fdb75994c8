using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.Cpu;

/// <summary>conv2d and convTranspose2d on the CPU against naive NCHW/OIHW references, in every layout.</summary>
public sealed class ConvolutionOperationTests
{
    /// <summary>(n, cin, h, w, cout, kh, kw, groups, stride, dilation, pad) cases: odd sizes, channel counts off the vector width, depthwise, 1×1.</summary>
    public static TheoryData<int[]> Conv2dCases() => new()
    {
        new[] { 1, 3, 7, 6, 5, 3, 3, 1, 1, 1, 1 },
        new[] { 2, 4, 9, 8, 19, 3, 2, 1, 2, 1, 0 },
        new[] { 1, 6, 8, 8, 4, 3, 3, 2, 1, 2, 2 },
        new[] { 1, 8, 5, 7, 8, 3, 3, 8, 1, 1, 1 },
        new[] { 1, 33, 4, 5, 17, 1, 1, 1, 1, 1, 0 },
        new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 },
        new[] { 1, 32, 28, 28, 40, 3, 3, 1, 1, 1, 1 }, // 27×28 outputs, 196 tiles: by Winograd's F(2×2, 3×3)
    };

    [Theory]
    [MemberData(nameof(Conv2dCases))]
    public async Task Conv2d_matches_the_reference_in_every_layout(int[] c)
    {
        var (n, cin, h, w, cout, kh, kw, groups, stride, dilation, pad) = (c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10]);
        var input = RandomFloats(10, n * cin * h * w);
        var filter = RandomFloats(11, cout * (cin / groups) * kh * kw);
        var bias = RandomFloats(12, cout);
        int[] padding = [pad, Math.Max(0, pad - 1), pad, pad];
        var expected = ReferenceConv2d(input, [n, cin, h, w], filter, [cout, cin / groups, kh, kw], bias, padding, stride, dilation, groups, out var outputShape);
        int[] nchwToNhwc = [0, 2, 3, 1];
        foreach (var inputLayout in new[] { MLInputOperandLayout.Nchw, MLInputOperandLayout.Nhwc })
        {
            foreach (var filterLayout in Enum.GetValues<MLConv2dFilterOperandLayout>())
            {
                int[] filterPermutation = filterLayout switch
                {
                    MLConv2dFilterOperandLayout.Oihw => [0, 1, 2, 3],
                    MLConv2dFilterOperandLayout.Hwio => [2, 3, 1, 0],
                    MLConv2dFilterOperandLayout.Ohwi => [0, 2, 3, 1],
                    _ => [1, 2, 3, 0],
                };
                int[] filterShape = [cout, cin / groups, kh, kw];
                var layoutFilter = Permute(filter, filterShape, filterPermutation);
                int[] layoutFilterShape = filterPermutation.Select(p => filterShape[p]).ToArray();
                bool nhwc = inputLayout == MLInputOperandLayout.Nhwc;
                int[] inputShape = nhwc ? [n, h, w, cin] : [n, cin, h, w];
                var layoutInput = nhwc ? Permute(input, [n, cin, h, w], nchwToNhwc) : input;
                var actual = await RunFloatsAsync((g, x) => g.Conv2d(x[0], g.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, layoutFilterShape), layoutFilter), new MLConv2dOptions
                {
                    Padding = padding, Strides = [stride, stride], Dilations = [dilation, dilation], Groups = groups,
                    InputLayout = inputLayout, FilterLayout = filterLayout, Bias = x[1],
                }), Input.Floats(inputShape, layoutInput), Input.Floats([cout], bias));
                var expectedInLayout = nhwc ? Permute(expected.Select(v => (float)v).ToArray(), outputShape, nchwToNhwc).Select(v => (double)v).ToArray() : expected;
                AssertClose(expectedInLayout, actual, 1e-5);
            }
        }
    }

    [Fact]
    public async Task Conv2d_takes_a_filter_computed_at_run_time()
    {
        var input = RandomFloats(13, 1 * 2 * 5 * 5);
        var filter = RandomFloats(14, 3 * 2 * 3 * 3);
        var expected = ReferenceConv2d(input, [1, 2, 5, 5], filter, [3, 2, 3, 3], [], [0, 0, 0, 0], 1, 1, 1, out _);
        var actual = await RunFloatsAsync((g, x) => g.Conv2d(x[0], g.Identity(x[1])), Input.Floats([1, 2, 5, 5], input), Input.Floats([3, 2, 3, 3], filter));
        AssertClose(expected, actual, 1e-5);
    }

    [Fact]
    public async Task The_reference_experiment_gives_its_exact_pattern()
    {
        var x = Enumerable.Repeat(0.01f, 10 * 10 * 10).ToArray();
        var w = Enumerable.Repeat(0.01f, 3 * 3 * 10 * 10).ToArray();
        var actual = await RunFloatsAsync((g, i) => g.Relu(g.Add(g.Conv2d(i[0], g.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, 3, 3, 10, 10), w), new MLConv2dOptions
        {
            Padding = [1, 1, 1, 1], InputLayout = MLInputOperandLayout.Nhwc, FilterLayout = MLConv2dFilterOperandLayout.Hwio,
        }), g.Constant(MLOperandDataType.Float32, 0.1))), Input.Floats([1, 10, 10, 10], x));
        Assert.Equal(0.1 + 0.0001 * 10 * 9, actual[(5 * 10 + 5) * 10], 5);
        Assert.Equal(0.1 + 0.0001 * 10 * 6, actual[(0 * 10 + 5) * 10], 5);
        Assert.Equal(0.1 + 0.0001 * 10 * 4, actual[0], 5);
    }

    [Theory]
    [InlineData(1, 3, 4, 5, 2, 3, 3, 1, 2, 1, 0, 1)]
    [InlineData(2, 4, 3, 3, 3, 2, 2, 2, 1, 2, 1, 0)]
    [InlineData(1, 2, 5, 4, 5, 3, 1, 1, 3, 1, 1, 2)]
    public async Task ConvTranspose2d_matches_the_reference(int n, int cin, int h, int w, int coutPerGroup, int kh, int kw, int groups, int stride, int dilation, int pad, int outputPadding)
    {
        var input = RandomFloats(15, n * cin * h * w);
        var filter = RandomFloats(16, cin * coutPerGroup * kh * kw);
        var bias = RandomFloats(17, coutPerGroup * groups);
        int oh = (h - 1) * stride + (kh - 1) * dilation + 1 - 2 * pad + outputPadding;
        int ow = (w - 1) * stride + (kw - 1) * dilation + 1 - 2 * pad + outputPadding;
        int cout = coutPerGroup * groups;
        var expected = new double[n * cout * oh * ow];
        int cinPerGroup = cin / groups;
        for (int b = 0; b < n; b++)
            for (int ci = 0; ci < cin; ci++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        for (int co = 0; co < coutPerGroup; co++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                {
                                    int oy = y * stride - pad + i * dilation, ox = x * stride - pad + j * dilation;
                                    if (oy < 0 || oy >= oh || ox < 0 || ox >= ow)
                                    {
                                        continue;
                                    }
                                    int outputChannel = ci / cinPerGroup * coutPerGroup + co;
                                    expected[((b * cout + outputChannel) * oh + oy) * ow + ox] += (double)input[((b * cin + ci) * h + y) * w + x] * filter[((ci * coutPerGroup + co) * kh + i) * kw + j];
                                }
        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] += bias[i / (oh * ow) % cout];
        }
        var actual = await RunFloatsAsync((g, x) => g.ConvTranspose2d(x[0], x[1], new MLConvTranspose2dOptions
        {
            Padding = [pad, pad, pad, pad], Strides = [stride, stride], Dilations = [dilation, dilation], Groups = groups,
            OutputPadding = [outputPadding, outputPadding], Bias = x[2],
        }), Input.Floats([n, cin, h, w], input), Input.Floats([cin, coutPerGroup, kh, kw], filter), Input.Floats([cout], bias));
        AssertClose(expected, actual, 1e-5);

        // The same through NHWC input and HWOI filter.
        var nhwc = await RunFloatsAsync((g, x) => g.ConvTranspose2d(x[0], x[1], new MLConvTranspose2dOptions
        {
            Padding = [pad, pad, pad, pad], Strides = [stride, stride], Dilations = [dilation, dilation], Groups = groups,
            OutputPadding = [outputPadding, outputPadding], Bias = x[2], InputLayout = MLInputOperandLayout.Nhwc, FilterLayout = MLConvTranspose2dFilterOperandLayout.Hwoi,
        }), Input.Floats([n, h, w, cin], Permute(input, [n, cin, h, w], [0, 2, 3, 1])), Input.Floats([kh, kw, coutPerGroup, cin], Permute(filter, [cin, coutPerGroup, kh, kw], [2, 3, 1, 0])), Input.Floats([cout], bias));
        AssertClose(Permute(expected.Select(v => (float)v).ToArray(), [n, cout, oh, ow], [0, 2, 3, 1]).Select(v => (double)v).ToArray(), nhwc, 1e-5);
    }

    /// <summary>Direct convolution, NCHW input, OIHW filter, in double.</summary>
    internal static double[] ReferenceConv2d(float[] input, int[] inputShape, float[] filter, int[] filterShape, float[] bias, int[] padding, int stride, int dilation, int groups, out int[] outputShape)
    {
        var (n, cin, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3]);
        var (cout, cinPerGroup, kh, kw) = (filterShape[0], filterShape[1], filterShape[2], filterShape[3]);
        int oh = (h + padding[0] + padding[1] - ((kh - 1) * dilation + 1)) / stride + 1;
        int ow = (w + padding[2] + padding[3] - ((kw - 1) * dilation + 1)) / stride + 1;
        outputShape = [n, cout, oh, ow];
        var output = new double[n * cout * oh * ow];
        int coutPerGroup = cout / groups;
        for (int b = 0; b < n; b++)
            for (int co = 0; co < cout; co++)
                for (int y = 0; y < oh; y++)
                    for (int x = 0; x < ow; x++)
                    {
                        double sum = bias.Length > 0 ? bias[co] : 0;
                        int group = co / coutPerGroup;
                        for (int ci = 0; ci < cinPerGroup; ci++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                {
                                    int iy = y * stride - padding[0] + i * dilation, ix = x * stride - padding[2] + j * dilation;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                                    {
                                        sum += (double)input[((b * cin + group * cinPerGroup + ci) * h + iy) * w + ix] * filter[((co * cinPerGroup + ci) * kh + i) * kw + j];
                                    }
                                }
                        output[((b * cout + co) * oh + y) * ow + x] = sum;
                    }
        return output;
    }
}
