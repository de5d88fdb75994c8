using WebNN.Cpu.Kernels;
using static WebNN.Tests.Cpu.Kernels.LinAlgTestUtil;
using static WebNN.Tests.Cpu.Kernels.Conv2dKernelTests;

namespace WebNN.Tests.Cpu.Kernels;

public class ConvTranspose2dKernelTests
{
    [Theory]
    // n, c, h, w, cog, kh, kw, stride, dilation, padBegin, padEnd, outPad, groups, seed
    [InlineData(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1)]
    [InlineData(1, 2, 3, 3, 3, 3, 3, 2, 1, 0, 0, 1, 1, 2)]
    [InlineData(2, 4, 5, 4, 3, 3, 2, 2, 2, 1, 2, 1, 2, 3)]
    [InlineData(1, 6, 4, 7, 2, 2, 3, 3, 1, 2, 0, 2, 3, 4)]
    [InlineData(1, 17, 9, 8, 33, 3, 3, 1, 1, 1, 1, 0, 1, 5)]
    public void MatchesReference(int n, int c, int h, int w, int cog, int kh, int kw, int s, int d, int pb, int pe, int op, int groups, int seed)
    {
        int cig = c / groups, oc = cog * groups;
        int oh = (h - 1) * s + (kh - 1) * d + 1 - pb - pe + op;
        int ow = (w - 1) * s + (kw - 1) * d + 1 - pe - pb + op;
        var x = Random(n * c * h * w, seed);
        var f = Random(c * cog * kh * kw, seed + 1);
        var bias = Random(oc, seed + 2);
        int li = 0;
        foreach (var il in new[] { MLInputOperandLayout.Nchw, MLInputOperandLayout.Nhwc })
            foreach (var fl in new[] { ConvTranspose2dFilterLayout.Iohw, ConvTranspose2dFilterLayout.Hwoi, ConvTranspose2dFilterLayout.Ohwi })
            {
                bool useBias = li++ % 2 == 0;
                int FIdx(int ci, int o, int y, int xx) => fl switch
                {
                    ConvTranspose2dFilterLayout.Iohw => ((ci * cog + o) * kh + y) * kw + xx,
                    ConvTranspose2dFilterLayout.Hwoi => ((y * kw + xx) * cog + o) * c + ci,
                    _ => ((o * kh + y) * kw + xx) * c + ci,
                };
                int[] fShape = fl switch
                {
                    ConvTranspose2dFilterLayout.Iohw => [c, cog, kh, kw],
                    ConvTranspose2dFilterLayout.Hwoi => [kh, kw, cog, c],
                    _ => [cog, kh, kw, c],
                };
                var exp = new double[n * oc * oh * ow];
                for (int b = 0; b < n; b++)
                    for (int o = 0; o < oc; o++)
                        for (int y = 0; y < oh; y++)
                            for (int xx = 0; xx < ow; xx++)
                                exp[InIndex(il, b, o, y, xx, oc, oh, ow)] = useBias ? bias[o] : 0;
                for (int b = 0; b < n; b++)
                    for (int ci = 0; ci < c; ci++)
                        for (int iy = 0; iy < h; iy++)
                            for (int ix = 0; ix < w; ix++)
                                for (int ky = 0; ky < kh; ky++)
                                    for (int kx = 0; kx < kw; kx++)
                                    {
                                        int y = iy * s - pb + ky * d, xx = ix * s - pe + kx * d;
                                        if (y < 0 || y >= oh || xx < 0 || xx >= ow) continue;
                                        int g = ci / cig;
                                        for (int o = 0; o < cog; o++)
                                            exp[InIndex(il, b, g * cog + o, y, xx, oc, oh, ow)] +=
                                                (double)x[InIndex(il, b, ci, iy, ix, c, h, w)] * f[FIdx(ci, o, ky, kx)];
                                    }
                var outp = new float[exp.Length];
                ConvTranspose2d.Compute(x, InShape(il, n, c, h, w), il, f, fShape, fl, useBias ? bias : default, outp,
                    InShape(il, n, oc, oh, ow), [pb, pe, pe, pb], [s, s], [d, d], groups);
                AssertClose(exp, outp, 1e-5, 4);
            }
    }
}
