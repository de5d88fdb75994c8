using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.Cpu;

/// <summary>Pooling, matmul, gemm, normalization and reductions on the CPU against double-precision references.</summary>
public sealed class MathOperationTests
{
    [Theory]
    [InlineData("average", 2, 3, 7, 6, 3, 2, 2, 1, 1, MLInputOperandLayout.Nchw)]
    [InlineData("max", 1, 5, 6, 6, 2, 2, 2, 1, 0, MLInputOperandLayout.Nhwc)]
    [InlineData("l2", 1, 17, 5, 9, 3, 3, 1, 2, 1, MLInputOperandLayout.Nchw)]
    [InlineData("max", 1, 3, 8, 8, 3, 3, 2, 2, 2, MLInputOperandLayout.Nhwc)]
    public async Task Pooling_clips_windows_to_the_input(string kind, int n, int c, int h, int w, int kh, int kw, int stride, int dilation, int pad, MLInputOperandLayout layout)
    {
        var input = RandomFloats(20, n * c * h * w, -3, 3);
        int oh = (h + 2 * pad - ((kh - 1) * dilation + 1)) / stride + 1;
        int ow = (w + 2 * pad - ((kw - 1) * dilation + 1)) / stride + 1;
        var expected = new double[n * c * oh * ow];
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < oh; y++)
                    for (int x = 0; x < ow; x++)
                    {
                        var window = new List<double>();
                        for (int i = 0; i < kh; i++)
                            for (int j = 0; j < kw; j++)
                            {
                                int iy = y * stride - pad + i * dilation, ix = x * stride - pad + j * dilation;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                                {
                                    window.Add(input[((b * c + ch) * h + iy) * w + ix]);
                                }
                            }
                        expected[((b * c + ch) * oh + y) * ow + x] = kind switch
                        {
                            "average" => window.Average(),
                            "max" => window.Max(),
                            _ => Math.Sqrt(window.Sum(v => v * v)),
                        };
                    }
        bool nhwc = layout == MLInputOperandLayout.Nhwc;
        var options = new MLPool2dOptions { WindowDimensions = [kh, kw], Strides = [stride, stride], Dilations = [dilation, dilation], Padding = [pad, pad, pad, pad], Layout = layout };
        var actual = await RunFloatsAsync((g, x) => kind switch
        {
            "average" => g.AveragePool2d(x[0], options),
            "max" => g.MaxPool2d(x[0], options),
            _ => g.L2Pool2d(x[0], options),
        }, Input.Floats(nhwc ? [n, h, w, c] : [n, c, h, w], nhwc ? Permute(input, [n, c, h, w], [0, 2, 3, 1]) : input));
        var expectedInLayout = nhwc ? Permute(expected.Select(v => (float)v).ToArray(), [n, c, oh, ow], [0, 2, 3, 1]).Select(v => (double)v).ToArray() : expected;
        AssertClose(expectedInLayout, actual, 1e-5);
    }

    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 4, 5 })]
    [InlineData(new[] { 2, 1, 7, 33 }, new[] { 3, 33, 17 })]
    [InlineData(new[] { 1, 1 }, new[] { 1, 1 })]
    [InlineData(new[] { 65, 9 }, new[] { 4, 9, 2 })]
    public async Task Matmul_multiplies_broadcast_batches(int[] aShape, int[] bShape)
    {
        var a = RandomFloats(21, (int)Shapes.ElementCount(aShape));
        var b = RandomFloats(22, (int)Shapes.ElementCount(bShape));
        int m = aShape[^2], k = aShape[^1], n = bShape[^1];
        var batch = WebNN.Validation.Broadcasting.Bidirectional(aShape[..^2], bShape[..^2])!;
        int batches = (int)Shapes.ElementCount(batch);
        var expected = new double[batches * m * n];
        for (int p = 0; p < batches; p++)
        {
            int aBatch = ElementwiseOperationTests.BroadcastIndex(p, batch, aShape[..^2]);
            int bBatch = ElementwiseOperationTests.BroadcastIndex(p, batch, bShape[..^2]);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                    for (int q = 0; q < k; q++)
                    {
                        expected[(p * m + i) * n + j] += (double)a[(aBatch * m + i) * k + q] * b[(bBatch * k + q) * n + j];
                    }
        }
        var actual = await RunFloatsAsync((g, x) => g.Matmul(x[0], x[1]), Input.Floats(aShape, a), Input.Floats(bShape, b));
        AssertClose(expected, actual, 1e-5);
    }

    [Theory]
    [InlineData(false, false, new[] { 5 })]
    [InlineData(true, false, new[] { 3, 1 })]
    [InlineData(false, true, new int[0])]
    [InlineData(true, true, new[] { 3, 5 })]
    public async Task Gemm_scales_transposes_and_adds_c(bool aTranspose, bool bTranspose, int[] cShape)
    {
        const int M = 3, K = 4, N = 5;
        var a = RandomFloats(23, M * K);
        var b = RandomFloats(24, K * N);
        var c = RandomFloats(25, (int)Shapes.ElementCount(cShape));
        var expected = new double[M * N];
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++)
            {
                double sum = 0;
                for (int q = 0; q < K; q++)
                {
                    sum += (double)a[aTranspose ? q * M + i : i * K + q] * b[bTranspose ? j * K + q : q * N + j];
                }
                expected[i * N + j] = 0.5 * sum + 2 * c[ElementwiseOperationTests.BroadcastIndex(i * N + j, [M, N], cShape)];
            }
        var actual = await RunFloatsAsync((g, x) => g.Gemm(x[0], g.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, bTranspose ? [N, K] : [K, N]), b), new MLGemmOptions
        {
            C = x[1], Alpha = 0.5, Beta = 2, ATranspose = aTranspose, BTranspose = bTranspose,
        }), Input.Floats(aTranspose ? [K, M] : [M, K], a), Input.Floats(cShape, c));
        AssertClose(expected, actual, 1e-5);
    }

    [Fact]
    public async Task BatchNormalization_uses_the_given_statistics_along_the_axis()
    {
        int[] shape = [2, 3, 4];
        var x = RandomFloats(26, 24, -2, 2);
        float[] mean = [0.1f, -0.2f, 0.3f, 0f], variance = [1f, 0.5f, 2f, 0.25f], scale = [1f, 2f, 0.5f, -1f], bias = [0f, 1f, -1f, 0.5f];
        var actual = await RunFloatsAsync((g, i) => g.BatchNormalization(i[0], i[1], i[2], new MLBatchNormalizationOptions { Scale = i[3], Bias = i[4], Axis = 2, Epsilon = 1e-3 }),
            Input.Floats(shape, x), Input.Floats([4], mean), Input.Floats([4], variance), Input.Floats([4], scale), Input.Floats([4], bias));
        var expected = x.Select((v, i) => { int f = i % 4; return (v - mean[f]) / Math.Sqrt(variance[f] + 1e-3) * scale[f] + bias[f]; }).ToArray();
        AssertClose(expected, actual, 1e-5);
    }

    [Theory]
    [InlineData(MLInputOperandLayout.Nchw)]
    [InlineData(MLInputOperandLayout.Nhwc)]
    public async Task InstanceNormalization_normalizes_each_channel_of_each_batch(MLInputOperandLayout layout)
    {
        int n = 2, c = 3, h = 4, w = 5;
        var x = RandomFloats(27, n * c * h * w, -2, 3);
        float[] scale = [1f, 0.5f, 2f], bias = [0f, 1f, -1f];
        var expected = new double[x.Length];
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
            {
                var values = Enumerable.Range(0, h * w).Select(p => (double)x[(b * c + ch) * h * w + p]).ToArray();
                double mean = values.Average(), variance = values.Average(v => (v - mean) * (v - mean));
                for (int p = 0; p < h * w; p++)
                {
                    expected[(b * c + ch) * h * w + p] = (values[p] - mean) / Math.Sqrt(variance + 1e-5) * scale[ch] + bias[ch];
                }
            }
        bool nhwc = layout == MLInputOperandLayout.Nhwc;
        var actual = await RunFloatsAsync((g, i) => g.InstanceNormalization(i[0], new MLInstanceNormalizationOptions { Scale = i[1], Bias = i[2], Layout = layout }),
            Input.Floats(nhwc ? [n, h, w, c] : [n, c, h, w], nhwc ? Permute(x, [n, c, h, w], [0, 2, 3, 1]) : x), Input.Floats([c], scale), Input.Floats([c], bias));
        var expectedInLayout = nhwc ? Permute(expected.Select(v => (float)v).ToArray(), [n, c, h, w], [0, 2, 3, 1]).Select(v => (double)v).ToArray() : expected;
        AssertClose(expectedInLayout, actual, 1e-4);
    }

    [Theory]
    [InlineData(new[] { 1, 2 })]
    [InlineData(new[] { 2, 0 })]
    [InlineData(new[] { 1 })]
    public async Task LayerNormalization_normalizes_over_the_axes_with_scale_in_axes_order(int[] axes)
    {
        int[] shape = [3, 4, 5];
        var x = RandomFloats(28, 60, -2, 2);
        int[] parameterShape = axes.Select(a => shape[a]).ToArray();
        var scale = RandomFloats(29, (int)Shapes.ElementCount(parameterShape), 0.5f, 1.5f);
        var bias = RandomFloats(30, scale.Length);
        var strides = Shapes.Strides(shape);
        var parameterStrides = Shapes.Strides(parameterShape);
        var expected = new double[60];
        for (int i = 0; i < 60; i++)
        {
            var coordinate = Enumerable.Range(0, 3).Select(d => i / strides[d] % shape[d]).ToArray();
            var group = Enumerable.Range(0, 60).Where(j => Enumerable.Range(0, 3).All(d => axes.Contains(d) || j / strides[d] % shape[d] == coordinate[d])).Select(j => (double)x[j]).ToArray();
            double mean = group.Average(), variance = group.Average(v => (v - mean) * (v - mean));
            int parameter = axes.Select((a, p) => coordinate[a] * parameterStrides[p]).Sum();
            expected[i] = (x[i] - mean) / Math.Sqrt(variance + 1e-5) * scale[parameter] + bias[parameter];
        }
        var actual = await RunFloatsAsync((g, i) => g.LayerNormalization(i[0], new MLLayerNormalizationOptions { Axes = axes, Scale = i[1], Bias = i[2] }),
            Input.Floats(shape, x), Input.Floats(parameterShape, scale), Input.Floats(parameterShape, bias));
        AssertClose(expected, actual, 1e-4);
    }

    public static TheoryData<string, int[], bool> ReductionCases()
    {
        var data = new TheoryData<string, int[], bool>();
        foreach (var op in new[] { "reduceL1", "reduceL2", "reduceLogSum", "reduceLogSumExp", "reduceMax", "reduceMean", "reduceMin", "reduceProduct", "reduceSum", "reduceSumSquare" })
        {
            data.Add(op, [1], false);
            data.Add(op, [0, 2], true);
            data.Add(op, [], false);
        }
        data.Add("reduceSum", [0, 1, 2], false);
        return data;
    }

    [Theory]
    [MemberData(nameof(ReductionCases))]
    public async Task Reductions_reduce_the_axes(string op, int[] axes, bool keepDimensions)
    {
        int[] shape = [2, 3, 4];
        var x = RandomFloats(31, 24, 0.5f, 1.5f);
        var strides = Shapes.Strides(shape);
        var outputCoordinates = Enumerable.Range(0, 24)
            .GroupBy(i => string.Join(",", Enumerable.Range(0, 3).Where(d => !axes.Contains(d)).Select(d => i / strides[d] % shape[d])))
            .Select(group => group.Select(i => (double)x[i]).ToArray())
            .ToArray();
        var expected = outputCoordinates.Select(v => op switch
        {
            "reduceL1" => v.Sum(Math.Abs),
            "reduceL2" => Math.Sqrt(v.Sum(e => e * e)),
            "reduceLogSum" => Math.Log(v.Sum()),
            "reduceLogSumExp" => Math.Log(v.Sum(Math.Exp)),
            "reduceMax" => v.Max(),
            "reduceMean" => v.Average(),
            "reduceMin" => v.Min(),
            "reduceProduct" => v.Aggregate(1.0, (p, e) => p * e),
            "reduceSum" => v.Sum(),
            _ => v.Sum(e => e * e),
        }).ToArray();
        var options = new MLReduceOptions { Axes = axes, KeepDimensions = keepDimensions };
        var actual = await RunFloatsAsync((g, i) => op switch
        {
            "reduceL1" => g.ReduceL1(i[0], options), "reduceL2" => g.ReduceL2(i[0], options), "reduceLogSum" => g.ReduceLogSum(i[0], options),
            "reduceLogSumExp" => g.ReduceLogSumExp(i[0], options), "reduceMax" => g.ReduceMax(i[0], options), "reduceMean" => g.ReduceMean(i[0], options),
            "reduceMin" => g.ReduceMin(i[0], options), "reduceProduct" => g.ReduceProduct(i[0], options), "reduceSum" => g.ReduceSum(i[0], options),
            _ => g.ReduceSumSquare(i[0], options),
        }, Input.Floats(shape, x));
        AssertClose(expected, actual, 1e-5);
    }
}
