using WebNN.Cpu.Kernels;
using static WebNN.Tests.Cpu.Kernels.LinAlgTestUtil;
using static WebNN.Tests.Cpu.Kernels.Conv2dKernelTests;

namespace WebNN.Tests.Cpu.Kernels;

public class Pool2dKernelTests
{
    [Theory]
    // n, c, h, w, kh, kw, stride, dilation, pad, ceil, seed
    [InlineData(1, 1, 1, 1, 1, 1, 1, 1, 0, false, 1)]
    [InlineData(1, 3, 5, 5, 3, 3, 1, 1, 1, false, 2)]
    [InlineData(2, 7, 9, 8, 3, 2, 2, 1, 1, true, 3)]
    [InlineData(1, 17, 10, 11, 2, 3, 2, 2, 2, true, 4)]
    [InlineData(2, 33, 16, 16, 3, 3, 2, 1, 1, false, 5)]  // multi-threaded
    [InlineData(1, 5, 6, 7, 6, 7, 1, 1, 0, false, 6)]     // global
    [InlineData(1, 2, 2, 3, 1, 1, 1, 1, 1, false, 7)]     // windows wholly in the padding
    [InlineData(2, 3, 1, 2, 2, 2, 1, 3, 2, true, 8)]      // dilated windows wholly in the padding
    [InlineData(2, 3, 9, 41, 3, 3, 2, 1, 1, false, 9)]    // rows wide enough for 8 windows at a time, stride 2 (ResNet's maxPool)
    [InlineData(1, 2, 6, 37, 3, 2, 1, 2, 2, true, 10)]    // 8 windows at a time, stride 1, dilation 2
    public void MatchesReference(int n, int c, int h, int w, int kh, int kw, int s, int d, int pad, bool ceil, int seed)
    {
        int[] padding = [pad, pad, pad, Math.Max(0, pad - 1)];
        double fh = (h + padding[0] + padding[1] - ((kh - 1) * d + 1)) / (double)s + 1;
        double fw = (w + padding[2] + padding[3] - ((kw - 1) * d + 1)) / (double)s + 1;
        int oh = (int)(ceil ? Math.Ceiling(fh) : Math.Floor(fh)), ow = (int)(ceil ? Math.Ceiling(fw) : Math.Floor(fw));
        var x = Random(n * c * h * w, seed, -3, 3);
        if (x.Length > 5) x[5] = float.NaN;
        foreach (var kind in new[] { Pool2dKind.Average, Pool2dKind.Max, Pool2dKind.L2 })
            foreach (var il in new[] { MLInputOperandLayout.Nchw, MLInputOperandLayout.Nhwc })
            {
                var exp = new double[n * c * oh * ow];
                for (int b = 0; b < n; b++)
                    for (int ch = 0; ch < c; ch++)
                        for (int oy = 0; oy < oh; oy++)
                            for (int ox = 0; ox < ow; ox++)
                            {
                                double acc = kind == Pool2dKind.Max ? double.NegativeInfinity : 0;
                                int cnt = 0;
                                for (int ky = 0; ky < kh; ky++)
                                    for (int kx = 0; kx < kw; kx++)
                                    {
                                        int iy = oy * s - padding[0] + ky * d, ix = ox * s - padding[2] + kx * d;
                                        if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                        double v = x[InIndex(il, b, ch, iy, ix, c, h, w)];
                                        acc = kind == Pool2dKind.Max ? (double.IsNaN(v) || double.IsNaN(acc) ? double.NaN : Math.Max(acc, v))
                                            : kind == Pool2dKind.L2 ? acc + v * v : acc + v;
                                        cnt++;
                                    }
                                exp[InIndex(il, b, ch, oy, ox, c, oh, ow)] = kind switch
                                {
                                    Pool2dKind.Average => cnt == 0 ? 0 : acc / cnt,
                                    Pool2dKind.L2 => Math.Sqrt(acc),
                                    _ => acc,
                                };
                            }
                var y = new float[exp.Length];
                Pool2d.Compute(kind, x, InShape(il, n, c, h, w), il, y, InShape(il, n, c, oh, ow), [kh, kw], padding, [s, s], [d, d]);
                AssertClose(exp, y, 1e-5);
            }
    }

    [Fact]
    public void AverageExcludesPaddingUnlessAsked()
    {
        float[] x = [1, 2, 3, 4];
        var y = new float[4];
        Pool2d.Compute(Pool2dKind.Average, x, [1, 1, 2, 2], MLInputOperandLayout.Nchw, y, [1, 1, 2, 2], [2, 2], [0, 1, 0, 1], [1, 1], [1, 1]);
        Assert.Equal(new float[] { 2.5f, 3f, 3.5f, 4f }, y);
        Pool2d.Compute(Pool2dKind.Average, x, [1, 1, 2, 2], MLInputOperandLayout.Nchw, y, [1, 1, 2, 2], [2, 2], [0, 1, 0, 1], [1, 1], [1, 1], countPadding: true);
        Assert.Equal(new float[] { 2.5f, 1.5f, 1.75f, 1f }, y);
    }

    [Fact]
    public void AverageCountingPaddingDividesEveryWindowByItsSize()
    {
        // 3×3 windows, stride 1, padding 1: rows wide enough for 8 windows at a time, the first and last rows half in the padding.
        const int h = 3, w = 20;
        var x = Random(h * w, 11);
        var y = new float[h * w];
        Pool2d.Compute(Pool2dKind.Average, x, [1, 1, h, w], MLInputOperandLayout.Nchw, y, [1, 1, h, w], [3, 3], [1, 1, 1, 1], [1, 1], [1, 1], countPadding: true);
        var expected = new double[h * w];
        for (int oy = 0; oy < h; oy++)
            for (int ox = 0; ox < w; ox++)
            {
                double sum = 0;
                for (int iy = oy - 1; iy <= oy + 1; iy++)
                    for (int ix = ox - 1; ix <= ox + 1; ix++)
                        if (iy >= 0 && iy < h && ix >= 0 && ix < w) sum += x[iy * w + ix];
                expected[oy * w + ox] = sum / 9;
            }
        AssertClose(expected, y, 1e-6);
    }
}
