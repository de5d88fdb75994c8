using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WebNN.Cpu.Kernels;

/// <summary>
/// 2-D convolution (spec: conv2d). Works in NHWC internally (NCHW inputs and outputs are transposed around it):
/// depthwise convolutions run a direct loop vectorized over channels; everything else is an implicit GEMM of the
/// output pixels' rows of [kh·kw·cin/groups] with the filter as a [kh·kw·cin/groups × cout/groups] matrix, bias and
/// relu fused. With 16 or more channels per group the GEMM's micro-kernel reads each tap's channels where they lie in
/// the image (nothing is unfolded), in panels of seven pixels where output rows are 7 wide (512-bit kernels); with
/// fewer, one group and filter rows of 16 or more values side by side (an RGB stem), each filter row is read as one
/// run in a zero-bordered copy of the image; otherwise chunks of output pixels are unfolded straight into
/// <see cref="Gemm"/>'s packed A panels first. An image with too few output pixels to give every thread chunks of them
/// has its product shared out by output channels too. A 1×1, stride-1, unpadded, ungrouped convolution is a single
/// GEMM on the input itself; a large 3×3 stride-1 one whose filter was packed for it goes by Winograd's F(2×2, 3×3)
/// (<see cref="WinogradConv2d"/>). An NCHW batch of large images is converted and convolved an image at a time.
/// </summary>
internal static class Conv2d
{
    /// <summary>Panels of A per implicit-GEMM chunk of output pixels.</summary>
    private const int PanelsPerChunk = 24;

    /// <summary>Output pixels per implicit-GEMM chunk of the unfolding paths (panels of <see cref="Gemm.PanelRows"/>).</summary>
    private const int RowChunk = PanelsPerChunk * Gemm.PanelRows;

    /// <summary>
    /// output = conv2d(input, filter) + bias, optionally followed by relu.
    /// </summary>
    /// <param name="input">The 4-D input, laid out per <paramref name="layout"/>.</param>
    /// <param name="inputShape">Its 4 dimensions ([N,C,H,W] or [N,H,W,C]).</param>
    /// <param name="layout">Layout of input and output.</param>
    /// <param name="filter">The 4-D filter, laid out per <paramref name="filterLayout"/>.</param>
    /// <param name="filterShape">Its 4 dimensions (O = output channels, I = input channels / groups).</param>
    /// <param name="filterLayout">Oihw, Hwio, Ohwi or Ihwo.</param>
    /// <param name="bias">Empty, or one value per output channel.</param>
    /// <param name="output">The 4-D output in <paramref name="layout"/>.</param>
    /// <param name="outputShape">Its 4 dimensions.</param>
    /// <param name="padding">[beginH, endH, beginW, endW].</param>
    /// <param name="strides">[strideH, strideW].</param>
    /// <param name="dilations">[dilationH, dilationW].</param>
    /// <param name="groups">Number of groups.</param>
    /// <param name="relu">Apply max(x, 0) to the result (fused activation).</param>
    /// <param name="summand">Empty, or a tensor of the output's layout and shape added before the relu (a residual).</param>
    public static void Compute(
        ReadOnlySpan<float> input, ReadOnlySpan<int> inputShape, MLInputOperandLayout layout,
        ReadOnlySpan<float> filter, ReadOnlySpan<int> filterShape, MLConv2dFilterOperandLayout filterLayout,
        ReadOnlySpan<float> bias, Span<float> output, ReadOnlySpan<int> outputShape,
        ReadOnlySpan<int> padding, ReadOnlySpan<int> strides, ReadOnlySpan<int> dilations, int groups, bool relu = false,
        ReadOnlySpan<float> summand = default) =>
        Compute(input, inputShape, layout, new PackedConv2dFilter(filter, filterShape, filterLayout, groups), bias, output, outputShape,
            padding, strides, dilations, relu, summand);

    /// <summary>
    /// output = conv2d(input, filter) + bias (+ <paramref name="summand"/>, in the output's layout and shape, when given),
    /// optionally followed by relu, with the filter packed ahead of time.
    /// </summary>
    public static void Compute(
        ReadOnlySpan<float> input, ReadOnlySpan<int> inputShape, MLInputOperandLayout layout, PackedConv2dFilter filter,
        ReadOnlySpan<float> bias, Span<float> output, ReadOnlySpan<int> outputShape,
        ReadOnlySpan<int> padding, ReadOnlySpan<int> strides, ReadOnlySpan<int> dilations, bool relu = false,
        ReadOnlySpan<float> summand = default)
    {
        bool nchw = layout == MLInputOperandLayout.Nchw;
        int n = inputShape[0];
        int c = nchw ? inputShape[1] : inputShape[3], h = nchw ? inputShape[2] : inputShape[1], w = nchw ? inputShape[3] : inputShape[2];
        int oc = nchw ? outputShape[1] : outputShape[3], oh = nchw ? outputShape[2] : outputShape[1], ow = nchw ? outputShape[3] : outputShape[2];
        // A summand (a residual) is put in the output first and the GEMM adds its products to it, before the relu; the
        // depthwise loop, which writes its output whole, adds it in a pass after.
        bool accumulate = !summand.IsEmpty && !filter.IsDepthwise;
        // An NCHW batch goes to NHWC and back an image at a time when one image's output pixels give every thread a
        // chunk: the image's copies then stay in cache from the transpose through the convolution and back, where a
        // whole batch's would go out to memory and be read back in.
        int images = nchw && n > 1 && (long)oh * ow >= (long)RowChunk * Parallelism.Threads ? n : 1;
        var p = new ConvParams(n / images, h, w, c, oh, ow, oc, filter.Height, filter.Width, padding[0], padding[2], strides[0], strides[1],
            dilations[0], dilations[1], filter.Groups, accumulate);
        int inputLength = p.N * c * h * w, outputLength = p.N * oc * oh * ow;
        for (int image = 0; image < images; image++)
        {
            ComputeImages(input.Slice(image * inputLength, inputLength), nchw, filter, bias, output.Slice(image * outputLength, outputLength), p, relu,
                summand.IsEmpty ? summand : summand.Slice(image * outputLength, outputLength));
        }
    }

    /// <summary>The convolution of <paramref name="p"/>.N images in <paramref name="input"/>, NCHW or NHWC, into <paramref name="output"/>.</summary>
    private static void ComputeImages(ReadOnlySpan<float> input, bool nchw, PackedConv2dFilter filter, ReadOnlySpan<float> bias, Span<float> output,
        in ConvParams p, bool relu, ReadOnlySpan<float> summand)
    {
        int n = p.N, c = p.C, h = p.H, w = p.W, oc = p.OC, oh = p.OH, ow = p.OW;
        bool summandAfter = !summand.IsEmpty && !p.Accumulate;

        float[]? xBuf = null, yBuf = null;
        try
        {
            ReadOnlySpan<float> x = input;
            if (nchw)
            {
                xBuf = KernelScratch.Floats.Rent(input.Length);
                ConvLayout.NchwToNhwc(input, xBuf, n, c, h * w);
                x = xBuf.AsSpan(0, input.Length);
            }
            Span<float> y = output;
            if (nchw)
            {
                yBuf = KernelScratch.Floats.Rent(output.Length);
                y = yBuf.AsSpan(0, output.Length);
            }
            if (p.Accumulate)
            {
                if (nchw) ConvLayout.NchwToNhwc(summand, y, n, oc, oh * ow);
                else Parallelism.Copy(summand, y);
            }

            bool fusedRelu = relu && !summandAfter;
            if (filter.IsDepthwise)
                Depthwise(x, filter.DepthwiseWeights, bias, y, p, fusedRelu);
            else if (filter.WinogradMatrices.Length > 0)
                Winograd(x, filter.WinogradMatrices, bias, y, p, fusedRelu);
            else if (p.KH == 1 && p.KW == 1 && p.StrideH == 1 && p.StrideW == 1 && p.PadTop == 0 && p.PadLeft == 0
                     && oh == h && ow == w && p.Groups == 1)
                Gemm.Multiply(n * h * w, x, c, false, filter.GroupMatrices[0], y, oc, 1f, p.Accumulate ? 1f : 0f, bias, fusedRelu);
            else
                ImplicitGemm(x, filter.GroupMatrices, bias, y, p, fusedRelu);

            if (nchw) ConvLayout.NhwcToNchw(y, output, n, oh * ow, oc);
            if (summandAfter)
            {
                TensorPrimitives.Add(output, summand, output);
                if (relu) TensorPrimitives.Max(output, 0f, output);
            }
        }
        finally
        {
            if (xBuf != null) KernelScratch.Floats.Return(xBuf);
            if (yBuf != null) KernelScratch.Floats.Return(yBuf);
        }
    }

    /// <param name="Accumulate">The output (NHWC) already holds a summand: the products add to it.</param>
    internal readonly record struct ConvParams(
        int N, int H, int W, int C, int OH, int OW, int OC, int KH, int KW,
        int PadTop, int PadLeft, int StrideH, int StrideW, int DilH, int DilW, int Groups, bool Accumulate = false);

    /// <summary>(outputChannels, inputChannels/groups, height, width) of a conv2d filter.</summary>
    internal static (int O, int I, int H, int W) FilterDims(ReadOnlySpan<int> f, MLConv2dFilterOperandLayout layout) => layout switch
    {
        MLConv2dFilterOperandLayout.Oihw => (f[0], f[1], f[2], f[3]),
        MLConv2dFilterOperandLayout.Hwio => (f[3], f[2], f[0], f[1]),
        MLConv2dFilterOperandLayout.Ohwi => (f[0], f[3], f[1], f[2]),
        _ => (f[3], f[0], f[1], f[2]), // Ihwo
    };

    /// <summary>wt[g][ky][kx][ci][co]: per group a [kh·kw·cin/groups × cout/groups] row-major matrix.</summary>
    internal static void ReorderFilter(ReadOnlySpan<float> filter, ReadOnlySpan<int> shape, MLConv2dFilterOperandLayout layout, int groups, Span<float> wt)
    {
        var (o, i, kh, kw) = FilterDims(shape, layout);
        int cog = o / groups;
        // Strides of (o, i, y, x) in the source layout.
        int so, si, sy, sx;
        switch (layout)
        {
            case MLConv2dFilterOperandLayout.Oihw: so = i * kh * kw; si = kh * kw; sy = kw; sx = 1; break;
            case MLConv2dFilterOperandLayout.Hwio: sy = kw * i * o; sx = i * o; si = o; so = 1; break;
            case MLConv2dFilterOperandLayout.Ohwi: so = kh * kw * i; sy = kw * i; sx = i; si = 1; break;
            default: si = kh * kw * o; sy = kw * o; sx = o; so = 1; break; // Ihwo
        }
        for (int g = 0; g < groups; g++)
            for (int y = 0; y < kh; y++)
                for (int x = 0; x < kw; x++)
                    for (int ci = 0; ci < i; ci++)
                    {
                        int row = ((g * kh + y) * kw + x) * i + ci;
                        Span<float> dst = wt.Slice(row * cog, cog);
                        int src = y * sy + x * sx + ci * si + g * cog * so;
                        if (so == 1) filter.Slice(src, cog).CopyTo(dst);
                        else for (int co = 0; co < cog; co++) dst[co] = filter[src + co * so];
                    }
    }

    private static unsafe void Winograd(ReadOnlySpan<float> x, PackedGemmB[] transformedFilter, ReadOnlySpan<float> bias, Span<float> y, in ConvParams p, bool relu)
    {
        fixed (float* px = x, py = y, pb = bias)
        {
            WinogradConv2d.Compute(px, transformedFilter, bias.IsEmpty ? null : pb, py, p, relu);
        }
    }

    private static unsafe void ImplicitGemm(ReadOnlySpan<float> x, PackedGemmB[] groupMatrices, ReadOnlySpan<float> bias, Span<float> y, ConvParams p, bool relu)
    {
        // Few channels, but one group whose filter rows' taps lie side by side in the image (an RGB stem's 7×3): each
        // filter row is one run of KW·C values, read in place in a zero-bordered copy of the image.
        bool filterRowRuns = p.Groups == 1 && p.C < InPlaceChannels && p.DilW == 1 && p.KW * p.C >= InPlaceChannels;
        bool inPlace = p.C / p.Groups >= InPlaceChannels || filterRowRuns;
        int panelRows = inPlace ? InPlacePanelRows(p.OW) : Gemm.PanelRows, rowChunk = PanelsPerChunk * panelRows;
        int rows = p.N * p.OH * p.OW, rowChunks = (rows + rowChunk - 1) / rowChunk;
        long work = (long)rows * p.OC * p.KH * p.KW * (p.C / p.Groups);
        bool parallel = work >= Gemm.ParallelThreshold && Parallelism.Threads > 1;
        // Too few output pixels to give every thread chunks of them (deep layers on small images): tiles of rows ×
        // output channels of the product are shared out, so that threads split the channels too.
        bool shareColumns = parallel && rowChunks < TilesPerThread * Parallelism.Threads;
        int cog = p.OC / p.Groups;
        float[]? padded = null;
        try
        {
            fixed (float* px = x, py = y, pb = bias)
            {
                float* biasPointer = bias.IsEmpty ? null : pb;
                var sharedTiles = shareColumns ? OutputTiles.SharedOut(rows, cog, panelRows) : default;
                if (inPlace)
                {
                    var tiles = shareColumns ? sharedTiles : new OutputTiles(rowChunk, rowChunks, cog, 1);
                    var q = p;
                    if (filterRowRuns) (padded, q) = BorderedImage(px, p, parallel);
                    fixed (float* bordered = padded)
                    {
                        Parallelism.ForEachItem(q.Groups * tiles.Count, parallel, new InPlaceGemmTiles(filterRowRuns ? bordered : px, groupMatrices,
                            biasPointer, py, q, relu, tiles, panelRows, filterRowRuns ? p.KW * p.C : p.C / p.Groups));
                    }
                }
                else if (shareColumns) UnfoldedGemm(px, groupMatrices, biasPointer, py, p, relu, sharedTiles);
                else Parallelism.ForEachItem(rowChunks, parallel, new ImplicitGemmChunks(px, groupMatrices, biasPointer, py, p, relu));
            }
        }
        finally
        {
            if (padded != null) KernelScratch.Floats.Return(padded);
        }
    }

    /// <summary>
    /// The NHWC image of <paramref name="p"/> copied into a scratch array with a border of zeros wide enough that every
    /// tap of every output pixel lies inside; returns it (to be returned to <see cref="KernelScratch"/>) with the same
    /// convolution on it: no padding, and 1-wide filter rows (a filter row's KW taps are one run of KW·C values).
    /// </summary>
    private static unsafe (float[] Image, ConvParams Params) BorderedImage(float* x, in ConvParams p, bool parallel)
    {
        int height = Math.Max(p.H + p.PadTop, (p.OH - 1) * p.StrideH + (p.KH - 1) * p.DilH + 1);
        int width = Math.Max(p.W + p.PadLeft, (p.OW - 1) * p.StrideW + p.KW);
        var image = KernelScratch.Floats.Rent(checked(p.N * height * width * p.C));
        fixed (float* bordered = image)
        {
            Parallelism.For(p.N * height, parallel, new BorderedRows(x, bordered, p, height, width));
        }
        return (image, p with { H = height, W = width, PadTop = 0, PadLeft = 0, KW = 1 });
    }

    /// <summary>Rows [start, end) of the bordered image (numbered over N·height): zeros, with the image's row inside.</summary>
    private readonly unsafe struct BorderedRows(float* x, float* bordered, ConvParams p, int height, int width) : IParallelRange
    {
        public void Run(int start, int end)
        {
            int c = p.C;
            for (int row = start; row < end; row++)
            {
                int b = row / height, y = row - b * height - p.PadTop;
                var destination = new Span<float>(bordered + (long)row * width * c, width * c);
                if ((uint)y >= (uint)p.H)
                {
                    destination.Clear();
                    continue;
                }
                destination[..(p.PadLeft * c)].Clear();
                new ReadOnlySpan<float>(x + ((long)b * p.H + y) * p.W * c, p.W * c).CopyTo(destination[(p.PadLeft * c)..]);
                destination[((p.PadLeft + p.W) * c)..].Clear();
            }
        }
    }

    /// <summary>
    /// Input channels per group from which the GEMM reads each tap's channels where they lie in the image (runs that
    /// long), and the shortest filter row (KW·C) read as one run in a bordered image; fewer are unfolded into packed
    /// panels first.
    /// </summary>
    private const int InPlaceChannels = 16;

    /// <summary>
    /// Rows per panel of the in-place product: seven when the output rows are 7 pixels wide and the 512-bit kernels run
    /// (their 32 registers hold a 7×32 tile), so that every panel is one output row — a tap in the padding above or
    /// below is skipped for the whole panel, and a 7×7 image is 7 panels rather than 9 (on the AVX-512 host: 7² 512→512
    /// 8–10% faster than with six rows) — else <see cref="Gemm.PanelRows"/>, whose 6×64 tiles read A half as often (at
    /// 14² the two measured alike).
    /// </summary>
    private static int InPlacePanelRows(int outputWidth) =>
        Gemm.NR == 32 && outputWidth == Gemm.SevenRows.Rows ? Gemm.SevenRows.Rows : Gemm.PanelRows;

    /// <summary>
    /// The most depth steps an in-place product takes in one block rather than in blocks of <see cref="Gemm.DepthBlock"/>
    /// (a 3×3 filter on 64 channels: 576): its row pointers are worked out once per tile and C is written once, not
    /// three times for blocks of 256, 256 and 64 (on the AVX-512 host 56² 64→64 took 0.86–0.99 ms against 0.95–1.07).
    /// </summary>
    private const int WholeDepth = 640;

    /// <summary>Never written: what a tap in the padding reads, a run of at most <see cref="WholeDepth"/>.</summary>
    private static readonly float[] ZeroRow = new float[WholeDepth];

    /// <summary>
    /// A group's output [rows × cout/groups] in tiles: <paramref name="RowBlocks"/> blocks of <paramref name="RowBlock"/>
    /// rows (whole panels, of 6 or 7 rows) by <paramref name="ColumnBlocks"/> blocks of <paramref name="ColumnBlock"/> columns (whole
    /// column panels), numbered row block first.
    /// </summary>
    private readonly record struct OutputTiles(int RowBlock, int RowBlocks, int ColumnBlock, int ColumnBlocks)
    {
        public int Count => RowBlocks * ColumnBlocks;

        /// <summary>
        /// Row blocks of at most <see cref="PanelsPerChunk"/> panels of <paramref name="panelRows"/> rows; then as many
        /// column blocks as it takes to give every thread tiles.
        /// </summary>
        public static OutputTiles SharedOut(int rows, int columns, int panelRows)
        {
            int rowChunk = PanelsPerChunk * panelRows, rowBlocks = (rows + rowChunk - 1) / rowChunk;
            int rowBlock = ((rows + rowBlocks - 1) / rowBlocks + panelRows - 1) / panelRows * panelRows;
            rowBlocks = (rows + rowBlock - 1) / rowBlock;
            int columnPanels = (columns + Gemm.NR - 1) / Gemm.NR;
            int columnBlocks = Math.Min(columnPanels, (TilesPerThread * Parallelism.Threads + rowBlocks - 1) / rowBlocks);
            int columnBlock = (columnPanels + columnBlocks - 1) / columnBlocks * Gemm.NR;
            return new OutputTiles(rowBlock, rowBlocks, columnBlock, (columns + columnBlock - 1) / columnBlock);
        }

        /// <summary>Tile <paramref name="tile"/> of a group: its first row and column.</summary>
        public (int I0, int J0) Origin(int tile) => (tile % RowBlocks * RowBlock, tile / RowBlocks * ColumnBlock);
    }

    /// <summary>
    /// Tiles of the output, numbered tile first, then group, whose product reads each output pixel's taps where they
    /// lie in the image (see <see cref="PointRows"/>), in panels of <paramref name="panelRows"/> pixels: nothing is
    /// unfolded. A tap's run is <paramref name="runChannels"/> long: its group's channels, or a whole filter row's in a
    /// bordered image (see <see cref="BorderedImage"/>).
    /// </summary>
    private readonly unsafe struct InPlaceGemmTiles(float* x, PackedGemmB[] groupMatrices, float* bias, float* y, ConvParams p, bool relu,
        OutputTiles tiles, int panelRows, int runChannels) : IParallelRange
    {
        public void Run(int start, int end)
        {
            int rows = p.N * p.OH * p.OW, cig = runChannels, cog = p.OC / p.Groups, kSize = p.KH * p.KW * cig;
            int depthBlock = kSize <= WholeDepth ? kSize : Gemm.DepthBlock;
            // Per depth block, one run per tap it touches: at most kc / cig + 2 (18 with 16 channels); rows of at most
            // RowChunk pixels: 20 KiB of pointers at most.
            int maxRuns = Math.Min(kSize, depthBlock) / cig + 2;
            float** rowRuns = stackalloc float*[(tiles.RowBlock + panelRows - 1) / panelRows * panelRows * maxRuns];
            int* lengths = stackalloc int[maxRuns];
            fixed (float* zeros = ZeroRow)
            {
                for (int index = start; index < end; index++)
                {
                    int group = index / tiles.Count;
                    var (i0, j0) = tiles.Origin(index - group * tiles.Count);
                    int count = Math.Min(tiles.RowBlock, rows - i0), columns = Math.Min(tiles.ColumnBlock, cog - j0);
                    for (int p0 = 0; p0 < kSize; p0 += depthBlock)
                    {
                        int kc = Math.Min(depthBlock, kSize - p0);
                        int runs = PointRows(x, zeros, rowRuns, lengths, p, i0, count, panelRows, group * cig, cig, p0, kc);
                        Gemm.MultiplyRows<Gemm.AdjacentStep>(rows, i0, count, j0, columns, new Gemm.RowRuns(rowRuns, lengths, runs, panelRows, zeros), p0, kc,
                            groupMatrices[group], y + group * cog, p.OC, bias == null ? null : bias + group * cog, relu, p.Accumulate);
                    }
                }
            }
        }
    }

    /// <summary>Tiles of the output per thread below which a convolution's pixels alone are too few to share out.</summary>
    private const int TilesPerThread = 8;

    /// <summary>Chunks [start, end) of <see cref="RowChunk"/> output pixels, every group.</summary>
    private readonly unsafe struct ImplicitGemmChunks(float* x, PackedGemmB[] groupMatrices, float* bias, float* y, ConvParams p, bool relu) : IParallelRange
    {
        public void Run(int start, int end)
        {
            int rows = p.N * p.OH * p.OW, cig = p.C / p.Groups, cog = p.OC / p.Groups, kSize = p.KH * p.KW * cig;
            // 2 floats of room past the panels for Interleave6x8's last store.
            float[] panels = KernelScratch.Floats.Rent(RowChunk * Math.Min(kSize, Gemm.DepthBlock) + 2);
            try
            {
                fixed (float* a = panels)
                {
                    for (int chunk = start; chunk < end; chunk++)
                    {
                        int r0 = chunk * RowChunk, count = Math.Min(RowChunk, rows - r0);
                        for (int g = 0; g < p.Groups; g++)
                        {
                            for (int p0 = 0; p0 < kSize; p0 += Gemm.DepthBlock)
                            {
                                int kc = Math.Min(Gemm.DepthBlock, kSize - p0);
                                Unfold(x, a, p, r0, count, g * cig, cig, p0, kc);
                                Gemm.MultiplyPackedA(count, 0, count, 0, cog, a, p0, kc, groupMatrices[g], y + (long)r0 * p.OC + g * cog, p.OC,
                                    bias == null ? null : bias + g * cog, relu, p.Accumulate);
                            }
                        }
                    }
                }
            }
            finally
            {
                KernelScratch.Floats.Return(panels);
            }
        }
    }

    /// <summary>
    /// Points Gemm's rows at the image for output pixels [r0, r0+count) (flattened over N·OH·OW), channels [c0, c0+cig),
    /// depth [p0, p0+kc): per panel of <paramref name="panelRows"/> pixels, one run per tap that the block touches, of
    /// the tap's channels inside the block, read in the input pixel under the tap, or in <paramref name="zeros"/> where
    /// the tap falls in the padding and for a last panel's rows past count; a run that reads zeros in every row of its
    /// panel is marked skipped (its first row pointer null). Returns the runs per panel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe int PointRows(float* x, float* zeros, float** rows, int* lengths, in ConvParams p, int r0, int count, int panelRows,
        int c0, int cig, int p0, int kc)
    {
        // The parameters as locals: p is a reference the stores through rows might alias, so its fields would be re-read.
        int h = p.H, w = p.W, c = p.C, oh = p.OH, ow = p.OW, strideH = p.StrideH, strideW = p.StrideW, padTop = p.PadTop, padLeft = p.PadLeft;
        int tapBegin = p0 / cig, runs = (p0 + kc - 1) / cig + 1 - tapBegin;
        // Per run, where its tap lies from a pixel's first tap: rows and columns of the image, and floats to its first channel.
        int* tapY = stackalloc int[runs], tapX = stackalloc int[runs];
        long* tapOffset = stackalloc long[runs];
        for (int run = 0; run < runs; run++)
        {
            int tap = tapBegin + run, ky = tap / p.KW, kx = tap - ky * p.KW, ciBegin = Math.Max(0, p0 - tap * cig);
            lengths[run] = Math.Min(cig, p0 + kc - tap * cig) - ciBegin;
            tapY[run] = ky * p.DilH;
            tapX[run] = kx * p.DilW;
            tapOffset[run] = ((long)tapY[run] * w + tapX[run]) * c + c0 + ciBegin;
        }
        // The output pixel of row r0; the next rows' follow along the output row, then down the image, then to the next image.
        int b = r0 / (oh * ow), rest = r0 - b * oh * ow, oy = rest / ow, ox = rest - oy * ow;
        for (int panel = 0; panel * panelRows < count; panel++)
        {
            float** d = rows + (long)panel * runs * panelRows;
            for (int i = 0; i < panelRows; i++, d++)
            {
                if (panel * panelRows + i >= count)
                {
                    for (int run = 0; run < runs; run++) d[run * panelRows] = zeros;
                    continue;
                }
                int iy0 = oy * strideH - padTop, ix0 = ox * strideW - padLeft;
                // The pixel under the first tap, which may lie in the padding: only taps inside the image are read.
                float* first = x + (((long)b * h + iy0) * w + ix0) * c;
                for (int run = 0; run < runs; run++)
                {
                    int iy = iy0 + tapY[run], ix = ix0 + tapX[run];
                    d[run * panelRows] = (uint)iy < (uint)h && (uint)ix < (uint)w ? first + tapOffset[run] : zeros;
                }
                if (++ox == ow)
                {
                    ox = 0;
                    if (++oy == oh)
                    {
                        oy = 0;
                        b++;
                    }
                }
            }
            // A tap in the padding for every row of the panel (the top or bottom image row, a last panel's rows past
            // count) is skipped rather than multiplied by zeros.
            float** panelPointers = rows + (long)panel * runs * panelRows;
            for (int run = 0; run < runs; run++)
            {
                float** runRows = panelPointers + run * panelRows;
                bool allPadding = true;
                for (int i = 0; i < panelRows && allPadding; i++) allPadding = runRows[i] == zeros;
                if (allPadding) runRows[0] = null;
            }
        }
        return runs;
    }

    /// <summary>
    /// A convolution with too few output pixels to give every thread chunks of them and too few channels per group to
    /// read in place: the whole image is unfolded first, one depth block of one group per task, then the tiles of the
    /// product are shared out.
    /// </summary>
    private static unsafe void UnfoldedGemm(float* x, PackedGemmB[] groupMatrices, float* bias, float* y, ConvParams p, bool relu, OutputTiles tiles)
    {
        int rows = p.N * p.OH * p.OW, kSize = p.KH * p.KW * (p.C / p.Groups);
        int depthBlocks = (kSize + Gemm.DepthBlock - 1) / Gemm.DepthBlock;
        float[] buffer = KernelScratch.Floats.Rent(checked((int)(p.Groups * depthBlocks * UnfoldedImage.BlockLength(rows))));
        try
        {
            fixed (float* a = buffer)
            {
                var unfolded = new UnfoldedImage(x, p, rows, depthBlocks, a);
                Parallelism.For(p.Groups * depthBlocks, true, unfolded);
                Parallelism.ForEachItem(p.Groups * tiles.Count, true, new UnfoldedGemmTiles(unfolded, groupMatrices, bias, y, relu, tiles));
            }
        }
        finally
        {
            KernelScratch.Floats.Return(buffer);
        }
    }

    /// <summary>
    /// The whole image unfolded into packed A panels: depth block d of group g, rows [0, rows), at
    /// <see cref="Block"/>(g, d); each block has 2 floats of room past its panels for Interleave6x8's last store, so
    /// that blocks unfolded by different threads never overlap.
    /// </summary>
    private readonly unsafe struct UnfoldedImage(float* x, ConvParams p, int rows, int depthBlocks, float* panels) : IParallelRange
    {
        public ConvParams P => p;

        public int Rows => rows;

        public int DepthBlocks => depthBlocks;

        /// <summary>Floats per block of <paramref name="rowCount"/> rows.</summary>
        public static long BlockLength(int rowCount) => (long)(rowCount + Gemm.PanelRows - 1) / Gemm.PanelRows * Gemm.PanelRows * Gemm.DepthBlock + 2;

        public float* Block(int group, int depthBlock) => panels + (group * depthBlocks + depthBlock) * BlockLength(rows);

        /// <summary>Unfolds the blocks [start, end), numbered group first.</summary>
        public void Run(int start, int end)
        {
            int cig = p.C / p.Groups, kSize = p.KH * p.KW * cig;
            for (int block = start; block < end; block++)
            {
                int group = block / depthBlocks, depthBlock = block - group * depthBlocks, p0 = depthBlock * Gemm.DepthBlock;
                Unfold(x, Block(group, depthBlock), p, 0, rows, group * cig, cig, p0, Math.Min(Gemm.DepthBlock, kSize - p0));
            }
        }
    }

    /// <summary>Tiles of an <see cref="UnfoldedImage"/>'s product, numbered tile first, then group.</summary>
    private readonly unsafe struct UnfoldedGemmTiles(UnfoldedImage image, PackedGemmB[] groupMatrices, float* bias, float* y, bool relu,
        OutputTiles tiles) : IParallelRange
    {
        public void Run(int start, int end)
        {
            var p = image.P;
            int cog = p.OC / p.Groups, kSize = p.KH * p.KW * (p.C / p.Groups);
            for (int index = start; index < end; index++)
            {
                int group = index / tiles.Count;
                var (i0, j0) = tiles.Origin(index - group * tiles.Count);
                int rows = Math.Min(tiles.RowBlock, image.Rows - i0), columns = Math.Min(tiles.ColumnBlock, cog - j0);
                for (int depthBlock = 0; depthBlock < image.DepthBlocks; depthBlock++)
                {
                    int p0 = depthBlock * Gemm.DepthBlock, kc = Math.Min(Gemm.DepthBlock, kSize - p0);
                    Gemm.MultiplyPackedA(image.Rows, i0, rows, j0, columns, image.Block(group, depthBlock) + (long)i0 * kc, p0, kc, groupMatrices[group],
                        y + group * cog, p.OC, bias == null ? null : bias + group * cog, relu, p.Accumulate);
                }
            }
        }
    }

    /// <summary>
    /// Unfolds output pixels [r0, r0+count) (flattened over N·OH·OW), channels [c0, c0+cig), depth [p0, p0+kc), into
    /// Gemm's packed A panels: per panel of <see cref="Gemm.PanelRows"/> pixels, step ((ky·KW + kx)·cig + ci) − p0
    /// holds each pixel's input value under that tap (zero in the padding and past count).
    /// </summary>
    // Optimized at first call: tiering up from unoptimized code can take seconds on a busy machine.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Unfold(float* x, float* a, in ConvParams p, int r0, int count, int c0, int cig, int p0, int kc)
    {
        const int MR = Gemm.PanelRows;
        // The parameters as locals: p is a reference the stores through a might alias, so its fields would be re-read.
        int kw = p.KW, h = p.H, w = p.W, c = p.C, dilationH = p.DilH, dilationW = p.DilW;
        int pixels = p.OH * p.OW, tapBegin = p0 / cig, tapEnd = (p0 + kc - 1) / cig + 1;
        // With one group and no horizontal dilation, a filter row's taps are one run of the input row: a 7×7 filter
        // on 3 channels copies runs of 21 values instead of 7 runs of 3.
        bool mergeTaps = cig == c && dilationW == 1;
        int* imageRow = stackalloc int[MR], iy0 = stackalloc int[MR], ix0 = stackalloc int[MR];
        float** s = stackalloc float*[MR];
        for (int panel = 0; panel * MR < count; panel++)
        {
            int panelRows = Math.Min(MR, count - panel * MR);
            for (int i = 0; i < panelRows; i++)
            {
                int r = r0 + panel * MR + i, b = r / pixels, rest = r - b * pixels, oy = rest / p.OW, ox = rest - oy * p.OW;
                imageRow[i] = b * h;
                iy0[i] = oy * p.StrideH - p.PadTop;
                ix0[i] = ox * p.StrideW - p.PadLeft;
            }
            float* d = a + (long)panel * MR * kc;
            for (int tap = tapBegin; tap < tapEnd;)
            {
                int ky = tap / kw, kx = tap - ky * kw;
                int taps = mergeTaps ? TapsInsideForEveryPixel(ix0, kx, Math.Min(tapEnd, (ky + 1) * kw) - tap, w, panelRows) : 1;
                // The taps' channels inside [p0, p0+kc), counted from the first tap's channel 0.
                int ciBegin = Math.Max(0, p0 - tap * cig), ciEnd = Math.Min(taps * cig, p0 + kc - tap * cig);
                tap += taps;
                bool inside = panelRows == MR;
                for (int i = 0; i < MR; i++)
                {
                    int iy = iy0[i] + ky * dilationH, ix = ix0[i] + kx * dilationW;
                    bool valid = i < panelRows && (uint)iy < (uint)h && (uint)ix < (uint)w;
                    s[i] = valid ? x + ((long)(imageRow[i] + iy) * w + ix) * c + c0 : null;
                    inside &= valid;
                }
                if (inside)
                {
                    float* s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3], s4 = s[4], s5 = s[5];
                    float* dc = d;
                    int ci = ciBegin;
                    if (Avx.IsSupported)
                    {
                        for (; ci + 8 <= ciEnd; ci += 8, dc += 8 * MR) Interleave6x8(s0 + ci, s1 + ci, s2 + ci, s3 + ci, s4 + ci, s5 + ci, dc);
                    }
                    for (; ci < ciEnd; ci++, dc += MR)
                    {
                        dc[0] = s0[ci]; dc[1] = s1[ci]; dc[2] = s2[ci]; dc[3] = s3[ci]; dc[4] = s4[ci]; dc[5] = s5[ci];
                    }
                }
                else
                {
                    for (int i = 0; i < MR; i++)
                    {
                        float* si = s[i];
                        if (si == null) for (int ci = ciBegin; ci < ciEnd; ci++) d[(ci - ciBegin) * MR + i] = 0f;
                        else for (int ci = ciBegin; ci < ciEnd; ci++) d[(ci - ciBegin) * MR + i] = si[ci];
                    }
                }
                d += (long)(ciEnd - ciBegin) * MR;
            }
        }
    }

    /// <summary>
    /// <paramref name="taps"/> when the filter row's taps [kx, kx + taps) lie inside the image's width for every pixel
    /// of a full panel (columns <paramref name="ix0"/>), else 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe int TapsInsideForEveryPixel(int* ix0, int kx, int taps, int w, int panelRows)
    {
        if (taps == 1 || panelRows < Gemm.PanelRows) return 1;
        for (int i = 0; i < Gemm.PanelRows; i++)
        {
            if (ix0[i] + kx < 0 || ix0[i] + kx + taps > w) return 1;
        }
        return taps;
    }

    /// <summary>
    /// d[j·6 + i] = s_i[j] for 8 channels j of 6 rows i: an 8×8 transpose (two rows zero) whose columns are stored 6
    /// apart, each store's last 2 lanes overwritten by the next, the last one's 2 past the 48 by whatever is packed
    /// after (the panel buffer has room).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Interleave6x8(float* s0, float* s1, float* s2, float* s3, float* s4, float* s5, float* d)
    {
        var zero = Vector256<float>.Zero;
        ConvLayout.Transpose8x8(Avx.LoadVector256(s0), Avx.LoadVector256(s1), Avx.LoadVector256(s2), Avx.LoadVector256(s3),
            Avx.LoadVector256(s4), Avx.LoadVector256(s5), zero, zero, out var c0, out var c1, out var c2, out var c3, out var c4, out var c5, out var c6, out var c7);
        Avx.Store(d, c0);
        Avx.Store(d + 6, c1);
        Avx.Store(d + 12, c2);
        Avx.Store(d + 18, c3);
        Avx.Store(d + 24, c4);
        Avx.Store(d + 30, c5);
        Avx.Store(d + 36, c6);
        Avx.Store(d + 42, c7);
    }

    /// <summary>
    /// Depthwise conv2d (groups = channels, one filter per channel) on NHWC, one output row at a time: per output
    /// pixel, channels four vectors (then one) at a time sum every tap in registers, starting from the bias, and are
    /// stored once; <paramref name="weights"/> is [kh][kw][c].
    /// </summary>
    private static unsafe void Depthwise(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> y, ConvParams p, bool relu)
    {
        int rowsTotal = p.N * p.OH;
        long work = (long)rowsTotal * p.OW * p.C * p.KH * p.KW;
        fixed (float* px = x, pw = weights, py = y, pb = bias)
        {
            Parallelism.For(rowsTotal, work >= Gemm.ParallelThreshold, new DepthwiseRows(px, pw, bias.IsEmpty ? null : pb, py, p, relu));
        }
    }

    private readonly unsafe struct DepthwiseRows(float* x, float* weights, float* bias, float* y, ConvParams p, bool relu) : IParallelRange
    {
        public void Run(int start, int end)
        {
            for (int row = start; row < end; row++) DepthwiseRow(x, weights, bias, y, p, row, relu);
        }
    }

    // Optimized at first call, like the GEMM's kernels.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void DepthwiseRow(float* x, float* weights, float* bias, float* y, in ConvParams p, int row, bool relu)
    {
        // The parameters as locals: p is a reference the stores through y might alias, so its fields would be re-read.
        int h = p.H, w = p.W, c = p.C, kw = p.KW, dilationH = p.DilH, dilationW = p.DilW, ow = p.OW, width = Vector<float>.Count;
        int b = row / p.OH, oy = row - b * p.OH;
        // Filter rows inside the image.
        int iyFirst = oy * p.StrideH - p.PadTop;
        int kyBegin = iyFirst >= 0 ? 0 : (-iyFirst + dilationH - 1) / dilationH;
        int kyEnd = Math.Min(p.KH, h - 1 - iyFirst < 0 ? 0 : (h - 1 - iyFirst) / dilationH + 1);
        long xRowStep = (long)dilationH * w * c, xTapStep = (long)dilationW * c;
        float* xImage = x + (long)b * h * w * c;
        // A 3×3 filter whose three rows lie in the image: for the output pixels [interiorBegin, interiorEnd), whose taps
        // all lie in it too (whole groups of four from the first), the first vectorChannels channels are worked out with
        // the filter's 9 vectors held in registers; the other pixels and channels go through the loop below.
        int interiorBegin = 0, interiorEnd = 0, vectorChannels = 0;
        if (p.KH == 3 && kw == 3 && kyBegin == 0 && kyEnd == 3)
        {
            interiorBegin = Math.Min(ow, (p.PadLeft + p.StrideW - 1) / p.StrideW);
            int lastInterior = w - 1 - 2 * dilationW + p.PadLeft;
            interiorEnd = lastInterior < 0 ? interiorBegin : Math.Clamp(lastInterior / p.StrideW + 1, interiorBegin, ow);
            interiorEnd = interiorBegin + (interiorEnd - interiorBegin) / 4 * 4;
            float* xTop = xImage + (long)iyFirst * w * c;
            float* yRow = y + (long)row * ow * c;
            if (Vector512.IsHardwareAccelerated && c >= Float16.Count)
            {
                vectorChannels = c / Float16.Count * Float16.Count;
                DepthwiseInterior3x3<Float16>(xTop, weights, bias, yRow, p, interiorBegin, interiorEnd, vectorChannels, relu);
            }
            else if (Vector256.IsHardwareAccelerated && c >= Float8.Count)
            {
                vectorChannels = c / Float8.Count * Float8.Count;
                DepthwiseInterior3x3<Float8>(xTop, weights, bias, yRow, p, interiorBegin, interiorEnd, vectorChannels, relu);
            }
        }
        for (int ox = 0; ox < ow; ox++)
        {
            int chBegin = ox >= interiorBegin && ox < interiorEnd ? vectorChannels : 0;
            if (chBegin == c) continue;
            int ixFirst = ox * p.StrideW - p.PadLeft;
            int kxBegin = ixFirst >= 0 ? 0 : (-ixFirst + dilationW - 1) / dilationW;
            int kxEnd = Math.Min(kw, w - 1 - ixFirst < 0 ? 0 : (w - 1 - ixFirst) / dilationW + 1);
            // The first tap inside the image, for channel 0.
            float* xFirst = xImage + ((long)(iyFirst + kyBegin * dilationH) * w + ixFirst + kxBegin * dilationW) * c;
            float* wFirst = weights + (long)(kyBegin * kw + kxBegin) * c;
            float* yPixel = y + ((long)row * ow + ox) * c;
            int ch = chBegin;
            for (; ch <= c - 4 * width; ch += 4 * width)
            {
                Vector<float> acc0 = Vector<float>.Zero, acc1 = acc0, acc2 = acc0, acc3 = acc0;
                if (bias != null)
                {
                    acc0 = Vector.Load(bias + ch); acc1 = Vector.Load(bias + ch + width);
                    acc2 = Vector.Load(bias + ch + 2 * width); acc3 = Vector.Load(bias + ch + 3 * width);
                }
                float* xRow = xFirst + ch, wRow = wFirst + ch;
                for (int ky = kyBegin; ky < kyEnd; ky++, xRow += xRowStep, wRow += (long)kw * c)
                {
                    float* xs = xRow, ws = wRow;
                    for (int kx = kxBegin; kx < kxEnd; kx++, xs += xTapStep, ws += c)
                    {
                        acc0 = Vector.FusedMultiplyAdd(Vector.Load(xs), Vector.Load(ws), acc0);
                        acc1 = Vector.FusedMultiplyAdd(Vector.Load(xs + width), Vector.Load(ws + width), acc1);
                        acc2 = Vector.FusedMultiplyAdd(Vector.Load(xs + 2 * width), Vector.Load(ws + 2 * width), acc2);
                        acc3 = Vector.FusedMultiplyAdd(Vector.Load(xs + 3 * width), Vector.Load(ws + 3 * width), acc3);
                    }
                }
                if (relu)
                {
                    acc0 = Vector.Max(acc0, Vector<float>.Zero); acc1 = Vector.Max(acc1, Vector<float>.Zero);
                    acc2 = Vector.Max(acc2, Vector<float>.Zero); acc3 = Vector.Max(acc3, Vector<float>.Zero);
                }
                acc0.Store(yPixel + ch); acc1.Store(yPixel + ch + width); acc2.Store(yPixel + ch + 2 * width); acc3.Store(yPixel + ch + 3 * width);
            }
            for (; ch <= c - width; ch += width)
            {
                Vector<float> acc = bias != null ? Vector.Load(bias + ch) : Vector<float>.Zero;
                float* xRow = xFirst + ch, wRow = wFirst + ch;
                for (int ky = kyBegin; ky < kyEnd; ky++, xRow += xRowStep, wRow += (long)kw * c)
                {
                    float* xs = xRow, ws = wRow;
                    for (int kx = kxBegin; kx < kxEnd; kx++, xs += xTapStep, ws += c)
                        acc = Vector.FusedMultiplyAdd(Vector.Load(xs), Vector.Load(ws), acc);
                }
                if (relu) acc = Vector.Max(acc, Vector<float>.Zero);
                acc.Store(yPixel + ch);
            }
            for (; ch < c; ch++)
            {
                float acc = bias != null ? bias[ch] : 0f;
                float* xRow = xFirst + ch, wRow = wFirst + ch;
                for (int ky = kyBegin; ky < kyEnd; ky++, xRow += xRowStep, wRow += (long)kw * c)
                {
                    float* xs = xRow, ws = wRow;
                    for (int kx = kxBegin; kx < kxEnd; kx++, xs += xTapStep, ws += c)
                        acc = MathF.FusedMultiplyAdd(*xs, *ws, acc);
                }
                yPixel[ch] = relu ? MathF.Max(acc, 0f) : acc;
            }
        }
    }

    /// <summary>
    /// A 3×3 depthwise convolution on output pixels [begin, end) (groups of four) of one output row whose taps all lie in
    /// the image, for channels [0, channels) (whole vectors): per vector of channels, the filter's 9 vectors stay in
    /// registers and four output pixels are worked out side by side (four chains of multiply-adds, each tap's input read once).
    /// <paramref name="xTop"/> is the input row under the filter's first row, <paramref name="yRow"/> the output row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void DepthwiseInterior3x3<T>(float* xTop, float* weights, float* bias, float* yRow, in ConvParams p, int begin, int end,
        int channels, bool relu) where T : struct, IFloatVector<T>
    {
        int c = p.C;
        long pixelStep = (long)p.StrideW * c, tapX = (long)p.DilW * c, tapY = (long)p.DilH * p.W * c;
        for (int ch = 0; ch < channels; ch += T.Count)
        {
            T w0 = T.Load(weights + ch), w1 = T.Load(weights + c + ch), w2 = T.Load(weights + 2 * c + ch);
            T w3 = T.Load(weights + 3 * c + ch), w4 = T.Load(weights + 4 * c + ch), w5 = T.Load(weights + 5 * c + ch);
            T w6 = T.Load(weights + 6 * c + ch), w7 = T.Load(weights + 7 * c + ch), w8 = T.Load(weights + 8 * c + ch);
            T initial = bias != null ? T.Load(bias + ch) : T.Zero;
            float* x0 = xTop + ((long)begin * p.StrideW - p.PadLeft) * c + ch;
            float* y0 = yRow + (long)begin * c + ch;
            for (int ox = begin; ox < end; ox += 4, x0 += 4 * pixelStep, y0 += 4 * c)
            {
                T a0 = initial, a1 = initial, a2 = initial, a3 = initial;
                Tap4(x0, pixelStep, w0, ref a0, ref a1, ref a2, ref a3);
                Tap4(x0 + tapX, pixelStep, w1, ref a0, ref a1, ref a2, ref a3);
                Tap4(x0 + 2 * tapX, pixelStep, w2, ref a0, ref a1, ref a2, ref a3);
                Tap4(x0 + tapY, pixelStep, w3, ref a0, ref a1, ref a2, ref a3);
                Tap4(x0 + tapY + tapX, pixelStep, w4, ref a0, ref a1, ref a2, ref a3);
                Tap4(x0 + tapY + 2 * tapX, pixelStep, w5, ref a0, ref a1, ref a2, ref a3);
                Tap4(x0 + 2 * tapY, pixelStep, w6, ref a0, ref a1, ref a2, ref a3);
                Tap4(x0 + 2 * tapY + tapX, pixelStep, w7, ref a0, ref a1, ref a2, ref a3);
                Tap4(x0 + 2 * tapY + 2 * tapX, pixelStep, w8, ref a0, ref a1, ref a2, ref a3);
                if (relu)
                {
                    a0 = T.Relu(a0); a1 = T.Relu(a1); a2 = T.Relu(a2); a3 = T.Relu(a3);
                }
                a0.Store(y0); a1.Store(y0 + c); a2.Store(y0 + 2 * c); a3.Store(y0 + 3 * c);
            }
        }
    }

    /// <summary>One tap of four output pixels <paramref name="pixelStep"/> apart: a[i] += x[i·pixelStep]·w.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tap4<T>(float* x, long pixelStep, T w, ref T a0, ref T a1, ref T a2, ref T a3) where T : struct, IFloatVector<T>
    {
        a0 = T.MultiplyAdd(T.Load(x), w, a0);
        a1 = T.MultiplyAdd(T.Load(x + pixelStep), w, a1);
        a2 = T.MultiplyAdd(T.Load(x + 2 * pixelStep), w, a2);
        a3 = T.MultiplyAdd(T.Load(x + 3 * pixelStep), w, a3);
    }
}

/// <summary>Layout transposes used around the NHWC kernels.</summary>
internal static class ConvLayout
{
    /// <summary>Rows and columns of the blocks a transpose works through: two 4 KiB tiles stay in L1.</summary>
    private const int Block = 32;

    /// <summary>[n][c][hw] → [n][hw][c].</summary>
    public static void NchwToNhwc(ReadOnlySpan<float> src, Span<float> dst, int n, int c, int hw)
    {
        for (int b = 0; b < n; b++)
            Transpose(src.Slice(b * c * hw, c * hw), dst.Slice(b * c * hw, c * hw), c, hw);
    }

    /// <summary>[n][hw][c] → [n][c][hw].</summary>
    public static void NhwcToNchw(ReadOnlySpan<float> src, Span<float> dst, int n, int hw, int c)
    {
        for (int b = 0; b < n; b++)
            Transpose(src.Slice(b * c * hw, c * hw), dst.Slice(b * c * hw, c * hw), hw, c);
    }

    /// <summary>
    /// dst[j, i] = src[i, j] for a rows×cols src, in 32×32 blocks of 8×8 AVX tiles, on several threads when large: in
    /// tiles of <see cref="Block"/> rows by <see cref="ColumnChunk"/> columns, so that a matrix of few rows (an image's
    /// 3 channels) is shared out too.
    /// </summary>
    public static unsafe void Transpose(ReadOnlySpan<float> src, Span<float> dst, int rows, int cols)
    {
        int rowBlocks = (rows + Block - 1) / Block, columnChunks = (cols + ColumnChunk - 1) / ColumnChunk;
        fixed (float* s = src, d = dst)
        {
            Parallelism.For(rowBlocks * columnChunks, (long)rows * cols >= Parallelism.MinimumParallelWork,
                new TransposeTiles(s, d, rows, cols, rowBlocks));
        }
    }

    /// <summary>Source columns per tile of <see cref="Transpose"/>: a whole number of blocks.</summary>
    private const int ColumnChunk = 32 * Block;

    /// <summary>Tiles [start, end) of <see cref="Block"/> source rows by <see cref="ColumnChunk"/> columns, numbered row block first.</summary>
    private readonly unsafe struct TransposeTiles(float* src, float* dst, int rows, int cols, int rowBlocks) : IParallelRange
    {
        public void Run(int start, int end)
        {
            for (int tile = start; tile < end; tile++)
            {
                int i0 = tile % rowBlocks * Block, j0 = tile / rowBlocks * ColumnChunk;
                TransposeTile(src, dst, rows, cols, i0, Math.Min(rows, i0 + Block), j0, Math.Min(cols, j0 + ColumnChunk));
            }
        }
    }

    // Optimized at first call, like the GEMM's kernels.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void TransposeTile(float* src, float* dst, int rows, int cols, int i0, int i1, int jBegin, int jEnd)
    {
        for (int j0 = jBegin; j0 < jEnd; j0 += Block)
        {
            int j1 = Math.Min(jEnd, j0 + Block);
            int i = i0;
            if (Avx.IsSupported)
            {
                for (; i + 8 <= i1; i += 8)
                {
                    int j = j0;
                    for (; j + 8 <= j1; j += 8)
                    {
                        float* s = src + (long)i * cols + j;
                        Transpose8x8(Avx.LoadVector256(s), Avx.LoadVector256(s + cols), Avx.LoadVector256(s + 2 * cols), Avx.LoadVector256(s + 3 * cols),
                            Avx.LoadVector256(s + 4 * cols), Avx.LoadVector256(s + 5 * cols), Avx.LoadVector256(s + 6 * cols), Avx.LoadVector256(s + 7 * cols),
                            out var c0, out var c1, out var c2, out var c3, out var c4, out var c5, out var c6, out var c7);
                        float* d = dst + (long)j * rows + i;
                        Avx.Store(d, c0);
                        Avx.Store(d + rows, c1);
                        Avx.Store(d + 2 * rows, c2);
                        Avx.Store(d + 3 * rows, c3);
                        Avx.Store(d + 4 * rows, c4);
                        Avx.Store(d + 5 * rows, c5);
                        Avx.Store(d + 6 * rows, c6);
                        Avx.Store(d + 7 * rows, c7);
                    }
                    // The block's last columns, fewer than 8.
                    for (int r = i; r < i + 8; r++)
                        for (int jj = j; jj < j1; jj++) dst[(long)jj * rows + r] = src[(long)r * cols + jj];
                }
            }
            // The last rows, fewer than 8: column by column, each column's values written together.
            for (int j = j0; j < j1; j++)
                for (int r = i; r < i1; r++) dst[(long)j * rows + r] = src[(long)r * cols + j];
        }
    }

    /// <summary>The 8 columns c0..c7 of the 8×8 matrix whose rows are r0..r7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8x8(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7,
        out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3,
        out Vector256<float> c4, out Vector256<float> c5, out Vector256<float> c6, out Vector256<float> c7)
    {
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        c0 = Avx.Permute2x128(u0, u4, 0x20);
        c1 = Avx.Permute2x128(u1, u5, 0x20);
        c2 = Avx.Permute2x128(u2, u6, 0x20);
        c3 = Avx.Permute2x128(u3, u7, 0x20);
        c4 = Avx.Permute2x128(u0, u4, 0x31);
        c5 = Avx.Permute2x128(u1, u5, 0x31);
        c6 = Avx.Permute2x128(u2, u6, 0x31);
        c7 = Avx.Permute2x128(u3, u7, 0x31);
    }
}
