using WebNN.Cpu.Kernels;
using static WebNN.Tests.Cpu.Kernels.LinAlgTestUtil;

namespace WebNN.Tests.Cpu.Kernels;

public class Conv2dKernelTests
{
    internal static int[] InShape(MLInputOperandLayout l, int n, int c, int h, int w) =>
        l == MLInputOperandLayout.Nchw ? [n, c, h, w] : [n, h, w, c];

    internal static int InIndex(MLInputOperandLayout l, int n, int c, int h, int w, int C, int H, int W) =>
        l == MLInputOperandLayout.Nchw ? ((n * C + c) * H + h) * W + w : ((n * H + h) * W + w) * C + c;

    private static int[] FShape(MLConv2dFilterOperandLayout l, int o, int i, int h, int w) => l switch
    {
        MLConv2dFilterOperandLayout.Oihw => [o, i, h, w],
        MLConv2dFilterOperandLayout.Hwio => [h, w, i, o],
        MLConv2dFilterOperandLayout.Ohwi => [o, h, w, i],
        _ => [i, h, w, o],
    };

    private static int FIndex(MLConv2dFilterOperandLayout l, int o, int i, int y, int x, int O, int I, int H, int W) => l switch
    {
        MLConv2dFilterOperandLayout.Oihw => ((o * I + i) * H + y) * W + x,
        MLConv2dFilterOperandLayout.Hwio => ((y * W + x) * I + i) * O + o,
        MLConv2dFilterOperandLayout.Ohwi => ((o * H + y) * W + x) * I + i,
        _ => ((i * H + y) * W + x) * O + o,
    };

    public static TheoryData<int, int, int, int, int, int, int, int, int, int, int, int> Cases => new()
    {
        // n, c, h, w, oc, kh, kw, stride, dilation, pad, groups, seed
        { 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1 },
        { 1, 3, 5, 7, 4, 3, 3, 1, 1, 1, 1, 2 },
        { 2, 5, 9, 8, 7, 3, 2, 2, 1, 2, 1, 3 },
        { 1, 6, 11, 10, 9, 3, 3, 2, 2, 1, 3, 4 },     // groups
        { 2, 8, 7, 9, 8, 3, 3, 1, 1, 1, 8, 5 },       // depthwise
        { 1, 4, 9, 9, 8, 3, 3, 2, 1, 1, 4, 6 },       // depthwise with multiplier 2
        { 2, 17, 6, 5, 33, 1, 1, 1, 1, 0, 1, 7 },     // 1×1
        { 1, 33, 20, 19, 65, 3, 3, 1, 1, 1, 1, 8 },   // multi-threaded
        { 1, 7, 13, 12, 5, 5, 4, 3, 2, 3, 1, 9 },
        { 2, 11, 9, 10, 11, 3, 3, 1, 1, 1, 11, 10 },  // depthwise, channels not a multiple of the vector width
        { 1, 5, 8, 7, 5, 3, 3, 2, 2, 2, 5, 11 },      // depthwise, fewer channels than a vector, stride and dilation
        { 1, 3, 1, 9, 3, 1, 3, 1, 1, 1, 3, 12 },      // depthwise, a 1-row image and a 1×3 filter
        { 2, 40, 30, 31, 40, 3, 3, 1, 1, 1, 40, 13 }, // depthwise, multi-threaded
        { 2, 9, 7, 7, 10, 1, 1, 2, 1, 0, 1, 14 },     // 1×1 with stride 2 (unfolded)
        { 3, 2, 1, 1, 3, 1, 1, 1, 1, 0, 1, 15 },      // 1×1 image
        { 1, 10, 14, 13, 100, 3, 3, 1, 1, 1, 1, 16 }, // several chunks on threads, a narrow last column panel
        { 2, 12, 15, 14, 20, 3, 3, 2, 1, 1, 2, 17 },  // groups, stride 2, several chunks on threads
        { 1, 9, 7, 8, 10, 1, 1, 2, 1, 1, 1, 18 },     // 1×1 with stride 2 and padding (gathered rows, zeros)
        { 1, 256, 5, 6, 10, 3, 3, 1, 1, 1, 2, 19 },   // groups of depth 1,152: depth blocks that end between taps
        { 1, 100, 7, 5, 13, 3, 3, 2, 1, 1, 1, 20 },   // depth 900: depth blocks that end inside a tap's channels
        // Too few pixels for row chunks on every thread (on a machine of 2 or more threads): unfolded whole, tiles of rows × channels.
        { 2, 64, 7, 7, 40, 3, 3, 1, 1, 1, 2, 21 },    // groups, batch 2, the whole depth (288) in one block
        { 1, 100, 5, 5, 70, 3, 3, 1, 1, 1, 1, 22 },   // 25 pixels, column blocks of one panel and a narrow last one, blocks ending inside a tap
        { 1, 9, 28, 27, 40, 3, 3, 2, 1, 1, 1, 23 },   // stride 2, padding
        // A filter row's taps copied as one run of the input row (one group, no horizontal dilation).
        { 1, 3, 23, 22, 10, 7, 7, 2, 1, 3, 1, 24 },   // a 7×7 stride-2 stem on 3 channels, runs cut by the padding
        { 2, 40, 9, 11, 17, 5, 5, 1, 1, 2, 1, 25 },   // runs of 200 values that depth blocks cut, batch 2, unfolded whole
        // 16 or more channels per group: the GEMM reads each tap's channels in the image, zeros in the padding.
        { 3, 16, 9, 7, 5, 3, 3, 2, 2, 2, 1, 26 },     // the fewest channels read in place, batch 3, stride and dilation 2
        { 1, 15, 9, 7, 5, 3, 3, 2, 2, 2, 1, 27 },     // one channel fewer: unfolded
        { 2, 20, 1, 1, 9, 3, 3, 1, 1, 1, 1, 28 },     // a 1×1 image under a 3×3 filter: every tap but the middle one in the padding
        { 1, 48, 11, 13, 3, 3, 3, 1, 1, 1, 3, 29 },   // groups of one output channel, depth blocks of 144
        { 2, 19, 13, 9, 37, 5, 5, 1, 1, 2, 1, 30 },   // depth 475: a block boundary inside a tap, channels not a multiple of the vector width
        { 1, 24, 10, 9, 33, 1, 1, 2, 1, 0, 1, 31 },   // 1×1 with stride 2: one tap per pixel
        { 2, 96, 6, 5, 70, 3, 3, 1, 1, 1, 2, 32 },    // groups of 48, too few pixels for row chunks: tiles of rows × channels
        { 1, 300, 3, 4, 17, 3, 3, 1, 1, 1, 1, 33 },   // more channels than a depth block: a tap split over blocks, few pixels
        { 1, 16, 72, 70, 20, 3, 3, 1, 1, 1, 1, 34 },  // pixels enough for whole-width row tiles on every thread, read in place
        // Output rows of 7 pixels: panels of seven rows where the 512-bit kernels run (else six); 14 pixels: six.
        { 2, 32, 9, 8, 40, 3, 3, 1, 1, 1, 1, 35 },    // 9×7 outputs, batch 2, a full and a narrow column panel
        { 1, 20, 6, 15, 70, 3, 3, 1, 1, 1, 1, 36 },   // 6×14 outputs, two panels per output row
        { 1, 80, 7, 8, 33, 3, 3, 1, 1, 1, 1, 37 },    // depth 720: blocks that end inside a tap
        { 1, 16, 14, 14, 20, 3, 3, 2, 1, 1, 1, 38 },  // stride 2 down to 7×7
        { 1, 32, 6, 6, 32, 3, 3, 1, 1, 2, 1, 46 },   // 8×7 outputs, padding 2 and 1: taps with the first rows, or the last, in the padding
        { 3, 24, 16, 15, 9, 3, 3, 1, 1, 1, 1, 39 },   // 16×14 outputs, batch 3: pixels enough for row chunks of 168
        // Fewer than 16 channels but filter rows of 16 or more values (KW·C, one group, no horizontal dilation): read as one
        // run per filter row in a zero-bordered copy of the image (cases 16, 23 and 24 above too).
        { 2, 8, 11, 12, 36, 3, 3, 1, 1, 1, 1, 43 },   // 3·8 = 24 values a filter row, batch 2
        { 1, 12, 12, 12, 200, 3, 3, 1, 1, 1, 1, 44 }, // too few pixels for row chunks: tiles of rows × channels
        { 1, 3, 30, 29, 16, 7, 7, 2, 2, 3, 1, 45 },   // dilated: taps not side by side, unfolded
        // Batches of images of 2,450 output pixels (every thread gets a chunk on up to 17 threads): NCHW goes to NHWC and
        // back an image at a time.
        { 2, 16, 50, 50, 20, 3, 3, 1, 1, 1, 1, 40 },
        { 2, 24, 50, 50, 24, 3, 3, 1, 1, 1, 24, 41 },  // depthwise
        { 2, 16, 49, 50, 36, 1, 1, 1, 1, 0, 1, 42 },   // 1×1: a GEMM per image
        // Depthwise 3×3 with every tap in the image: the filter held in registers, four pixels side by side, vectors of 8 or 16 channels.
        { 2, 48, 9, 13, 48, 3, 3, 1, 1, 1, 48, 47 },   // whole vectors, batch 2, border pixels around the interior ones
        { 1, 37, 11, 12, 37, 3, 3, 2, 2, 1, 37, 48 },  // stride and dilation 2, channels past the last whole vector
        { 1, 20, 6, 30, 20, 3, 3, 1, 1, 0, 20, 49 },   // no padding: every pixel interior, 4 channels past the vectors
    };

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 9)]
    [InlineData(8, 8)]
    [InlineData(33, 65)]
    [InlineData(300, 257)] // several threads
    [InlineData(3, 50_001)] // an image's 3 channels: tiles of columns on several threads
    [InlineData(45, 2_100)] // tiles of 32 rows by 1,024 columns, short ones at both edges
    public void TransposeMatchesDefinition(int rows, int cols)
    {
        var source = Random(rows * cols, rows);
        var transposed = new float[source.Length];
        ConvLayout.Transpose(source, transposed, rows, cols);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                Assert.Equal(source[i * cols + j], transposed[j * rows + i]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesReference(int n, int c, int h, int w, int oc, int kh, int kw, int stride, int dil, int pad, int groups, int seed) =>
        CheckAgainstReference(n, c, h, w, oc, kh, kw, stride, dil, pad, groups, seed, winograd: false);

    [Theory]
    // n, c, h, w, oc, pad, seed: 3×3, stride 1, one group, at least 8 channels in and out (the transforms' vector).
    [InlineData(1, 8, 4, 4, 8, 1, 50)]        // one vector of channels, 2×2 tiles
    [InlineData(1, 12, 5, 7, 10, 1, 51)]      // odd output sizes (tiles cut at the bottom and right), partial last vectors
    [InlineData(2, 33, 9, 6, 37, 1, 52)]      // batch 2, channels one past a multiple of the vector
    [InlineData(1, 16, 7, 8, 9, 0, 53)]       // no padding but at the right's end: 5×6 outputs
    [InlineData(1, 40, 12, 11, 64, 2, 54)]    // padding 2: taps and whole tiles in the padding
    [InlineData(1, 64, 30, 29, 64, 1, 55)]    // several blocks of tiles on several threads
    [InlineData(3, 100, 10, 10, 100, 1, 56)]  // the seed's channels, batch 3
    public void WinogradMatchesReference(int n, int c, int h, int w, int oc, int pad, int seed) =>
        CheckAgainstReference(n, c, h, w, oc, 3, 3, 1, 1, pad, 1, seed, winograd: true);

    [Theory]
    [InlineData(1, 64, 64, 3, 3, 1, 1, 1, 56, 56, true)]    // ResNet's 56² stage
    [InlineData(1, 100, 100, 3, 3, 1, 1, 1, 100, 100, true)] // the seed
    [InlineData(1, 32, 40, 3, 3, 1, 1, 1, 27, 28, true)]    // 196 tiles, the fewest
    [InlineData(1, 256, 256, 3, 3, 1, 1, 1, 56, 56, false)] // channels too many for tall blocks of tiles
    [InlineData(1, 512, 512, 3, 3, 1, 1, 1, 7, 7, false)]   // 16 tiles
    [InlineData(1, 64, 64, 3, 3, 2, 1, 1, 56, 56, false)]   // stride 2
    [InlineData(1, 64, 64, 3, 3, 1, 2, 1, 56, 56, false)]   // dilation 2
    [InlineData(1, 64, 64, 3, 3, 1, 1, 2, 56, 56, false)]   // groups
    [InlineData(1, 16, 64, 3, 3, 1, 1, 1, 56, 56, false)]   // 16 input channels: products too shallow
    [InlineData(1, 64, 64, 5, 5, 1, 1, 1, 56, 56, false)]   // 5×5
    public void WinogradAppliesToLargeThreeByThreeConvolutions(int n, int c, int oc, int kh, int kw, int stride, int dilation, int groups,
        int oh, int ow, bool applies) =>
        Assert.Equal(applies && System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated,
            WinogradConv2d.Applies(n, c, oc, kh, kw, [stride, stride], [dilation, dilation], groups, oh, ow));

    private static void CheckAgainstReference(int n, int c, int h, int w, int oc, int kh, int kw, int stride, int dil, int pad, int groups, int seed,
        bool winograd)
    {
        int cig = c / groups, cog = oc / groups;
        int[] padding = [pad, pad + 1 > kh ? pad : pad, pad, Math.Max(0, pad - 1)];
        int oh = (h + padding[0] + padding[1] - ((kh - 1) * dil + 1)) / stride + 1;
        int ow = (w + padding[2] + padding[3] - ((kw - 1) * dil + 1)) / stride + 1;
        var x = Random(n * c * h * w, seed);
        var f = Random(oc * cig * kh * kw, seed + 100);
        var bias = Random(oc, seed + 200);
        int li = 0;
        foreach (var il in new[] { MLInputOperandLayout.Nchw, MLInputOperandLayout.Nhwc })
            foreach (var fl in new[] { MLConv2dFilterOperandLayout.Oihw, MLConv2dFilterOperandLayout.Hwio, MLConv2dFilterOperandLayout.Ohwi, MLConv2dFilterOperandLayout.Ihwo })
            {
                bool useBias = li % 2 == 0, relu = li % 3 == 1, useSummand = li % 4 >= 2;
                li++;
                var summand = useSummand ? Random(n * oc * oh * ow, seed + 300) : null;
                var exp = new double[n * oc * oh * ow];
                for (int b = 0; b < n; b++)
                    for (int o = 0; o < oc; o++)
                        for (int oy = 0; oy < oh; oy++)
                            for (int ox = 0; ox < ow; ox++)
                            {
                                double s = useBias ? bias[o] : 0;
                                int g = o / cog;
                                for (int i = 0; i < cig; i++)
                                    for (int ky = 0; ky < kh; ky++)
                                        for (int kx = 0; kx < kw; kx++)
                                        {
                                            int iy = oy * stride - padding[0] + ky * dil, ix = ox * stride - padding[2] + kx * dil;
                                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                            s += (double)x[InIndex(il, b, g * cig + i, iy, ix, c, h, w)] * f[FIndex(fl, o, i, ky, kx, oc, cig, kh, kw)];
                                        }
                                if (summand != null) s += summand[InIndex(il, b, o, oy, ox, oc, oh, ow)];
                                if (relu) s = Math.Max(0, s);
                                exp[InIndex(il, b, o, oy, ox, oc, oh, ow)] = s;
                            }
                var y = new float[exp.Length];
                Conv2d.Compute(x, InShape(il, n, c, h, w), il, new PackedConv2dFilter(f, FShape(fl, oc, cig, kh, kw), fl, groups, winograd),
                    useBias ? bias : default, y, InShape(il, n, oc, oh, ow), padding, [stride, stride], [dil, dil], relu, summand);
                AssertClose(exp, y, 1e-5, Math.Sqrt(cig * kh * kw));
            }
    }

    [Fact]
    public void ReferenceWorkloadGivesExactEdgeValues()
    {
        // webnn issue #6: [1,100,100,100] NHWC of 0.01, HWIO filter [3,3,100,100] of 0.01, bias 0.1, same padding, relu.
        var x = new float[100 * 100 * 100]; Array.Fill(x, 0.01f);
        var f = new float[3 * 3 * 100 * 100]; Array.Fill(f, 0.01f);
        var bias = new float[100]; Array.Fill(bias, 0.1f);
        var y = new float[x.Length];
        Conv2d.Compute(x, [1, 100, 100, 100], MLInputOperandLayout.Nhwc, f, [3, 3, 100, 100], MLConv2dFilterOperandLayout.Hwio,
            bias, y, [1, 100, 100, 100], [1, 1, 1, 1], [1, 1], [1, 1], 1, relu: true);
        for (int yy = 0; yy < 100; yy++)
            for (int xx = 0; xx < 100; xx++)
            {
                int taps = (yy == 0 || yy == 99 ? 2 : 3) * (xx == 0 || xx == 99 ? 2 : 3);
                double e = 0.1 + taps * 100 * 0.0001;
                for (int o = 0; o < 100; o += 33)
                    Assert.True(Math.Abs(y[(yy * 100 + xx) * 100 + o] - e) < 1e-5, $"({yy},{xx},{o}) {y[(yy * 100 + xx) * 100 + o]} vs {e}");
            }
    }
}
