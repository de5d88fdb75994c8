using WebNN.Cpu.Kernels;
using static WebNN.Tests.Cpu.Kernels.LinAlgTestUtil;
using static WebNN.Tests.Cpu.Kernels.Conv2dKernelTests;

namespace WebNN.Tests.Cpu.Kernels;

public class NormalizationKernelTests
{
    public static TheoryData<int[], int> BatchCases => new()
    {
        { [3], 0 }, { [2, 5], 1 }, { [2, 3, 4, 5], 1 }, { [2, 4, 5, 17], 3 }, { [1, 7, 1, 33], 0 }, { [2, 3, 65], 2 },
    };

    [Theory]
    [MemberData(nameof(BatchCases))]
    public void BatchNormalizationMatchesReference(int[] shape, int axis)
    {
        int total = 1; foreach (var d in shape) total *= d;
        int c = shape[axis], inner = 1;
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        var x = Random(total, 1, -5, 5);
        var mean = Random(c, 2); var variance = Random(c, 3, 0.1f, 2f); var scale = Random(c, 4); var bias = Random(c, 5);
        foreach (bool opts in new[] { true, false })
        {
            var exp = new double[total];
            for (int i = 0; i < total; i++)
            {
                int ch = i / inner % c;
                exp[i] = (opts ? scale[ch] : 1.0) * ((x[i] - (double)mean[ch]) / Math.Sqrt(variance[ch] + (double)1e-5f)) + (opts ? bias[ch] : 0);
            }
            var y = new float[total];
            Normalization.BatchNormalization(x, shape, axis, mean, variance, opts ? scale : default, opts ? bias : default, 1e-5f, y);
            AssertClose(exp, y, 2e-6);
        }
    }

    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(2, 3, 4, 5)]
    [InlineData(1, 17, 7, 9)]
    [InlineData(2, 33, 3, 1)]
    public void InstanceNormalizationMatchesReference(int n, int c, int h, int w)
    {
        var x = Random(n * c * h * w, 7, -3, 4);
        var scale = Random(c, 8); var bias = Random(c, 9);
        foreach (var l in new[] { MLInputOperandLayout.Nchw, MLInputOperandLayout.Nhwc })
            foreach (bool opts in new[] { true, false })
            {
                var exp = new double[x.Length];
                for (int b = 0; b < n; b++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        double s = 0, q = 0;
                        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) s += x[InIndex(l, b, ch, i, j, c, h, w)];
                        double mu = s / (h * w);
                        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) { double d = x[InIndex(l, b, ch, i, j, c, h, w)] - mu; q += d * d; }
                        double sd = Math.Sqrt(q / (h * w) + 1e-3);
                        for (int i = 0; i < h; i++)
                            for (int j = 0; j < w; j++)
                            {
                                int k = InIndex(l, b, ch, i, j, c, h, w);
                                exp[k] = (opts ? scale[ch] : 1) * (x[k] - mu) / sd + (opts ? bias[ch] : 0);
                            }
                    }
                var y = new float[x.Length];
                Normalization.InstanceNormalization(x, InShape(l, n, c, h, w), l, opts ? scale : default, opts ? bias : default, 1e-3f, y);
                AssertClose(exp, y, 1e-5);
            }
    }

    public static TheoryData<int[], int[]> LayerCases => new()
    {
        { [], [] }, { [5], [0] }, { [5], [] }, { [2, 3, 4], [1, 2] }, { [2, 3, 4], [2, 1] }, { [2, 3, 4, 5], [0, 2] },
        { [3, 17, 2], [1] }, { [4, 33], [1] }, { [2, 3, 4, 5], [3, 0, 1] },
    };

    [Theory]
    [MemberData(nameof(LayerCases))]
    public void LayerNormalizationMatchesReference(int[] shape, int[] axes)
    {
        int rank = shape.Length, total = 1;
        foreach (var d in shape) total *= d;
        int inner = 1; foreach (var a in axes) inner *= shape[a];
        var x = Random(total, 11, -2, 3);
        var scale = Random(inner, 12); var bias = Random(inner, 13);
        var strides = new int[rank];
        for (int d = rank - 1, s = 1; d >= 0; d--) { strides[d] = s; s *= shape[d]; }
        // group key = coordinates on kept dims; scale index = coordinates on axes, row-major in axes order.
        int GroupKey(int i) { int key = 0; for (int d = 0; d < rank; d++) if (Array.IndexOf(axes, d) < 0) key = key * shape[d] + i / strides[d] % shape[d]; return key; }
        int ScaleIdx(int i) { int k = 0; foreach (var a in axes) k = k * shape[a] + i / strides[a] % shape[a]; return k; }
        foreach (bool opts in new[] { true, false })
        {
            var sum = new Dictionary<int, double>(); var sq = new Dictionary<int, double>();
            for (int i = 0; i < total; i++) sum[GroupKey(i)] = sum.GetValueOrDefault(GroupKey(i)) + x[i];
            for (int i = 0; i < total; i++) { double d = x[i] - sum[GroupKey(i)] / inner; sq[GroupKey(i)] = sq.GetValueOrDefault(GroupKey(i)) + d * d; }
            var exp = new double[total];
            for (int i = 0; i < total; i++)
            {
                int g = GroupKey(i);
                double v = (x[i] - sum[g] / inner) / Math.Sqrt(sq[g] / inner + (double)1e-5f);
                exp[i] = opts ? v * scale[ScaleIdx(i)] + bias[ScaleIdx(i)] : v;
            }
            var y = new float[total];
            Normalization.LayerNormalization(x, shape, axes, opts ? scale : default, opts ? bias : default, 1e-5f, y);
            AssertClose(exp, y, 1e-5);
        }
    }
}
