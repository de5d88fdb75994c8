using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace WebNN.Cpu.Kernels;

/// <summary>
/// A 3×3, stride-1, undilated, ungrouped convolution by Winograd's minimal filtering F(2×2, 3×3) (Lavin and Gray,
/// "Fast Algorithms for Convolutional Neural Networks", 2016), as NNPACK, oneDNN and cuDNN offer it: every 2×2 block of
/// output pixels (a tile) comes from the 4×4 input pixels under it, as 16 products of the tile's transformed channels
/// with the transformed filter — 16 GEMMs of [tiles × C]·[C × OC], 2.25 times fewer multiply-adds than the direct
/// convolution's [pixels × 9·C]·[9·C × OC]. The input and output transforms only add and subtract (the filter's, at
/// build, also halve), so the result differs from the direct sum by rounding, about as much as another order of the
/// same sum would. Non-finite inputs differ: an infinity spreads, as NaN, to every output of the tiles whose
/// transforms mix it in, where the direct sum reaches only the outputs whose taps cover it.
/// </summary>
/// <remarks>
/// Tiles go in blocks, one per task, whose transformed input and products (16 matrices each) stay in the L2 cache
/// between the three steps; the filter's 16 matrices are read once per block, so blocks must be tall, which bounds the
/// channels (see <see cref="Applies"/>).
/// </remarks>
internal static class WinogradConv2d
{
    /// <summary>Fewest input and output channels: a product's depth is the input channels.</summary>
    private const int MinChannels = 32;

    /// <summary>Floats of the transformed input and products of one block of tiles: 1 MiB, half the L2 cache of a core.</summary>
    private const int BlockFloats = 1 << 18;

    /// <summary>Fewest tiles per block: each block reads the 16 transformed filter matrices once.</summary>
    private const int MinTileBlock = 48;

    /// <summary>Most tiles per block (as the GEMM's row blocks).</summary>
    private const int MaxTileBlock = 144;

    /// <summary>Fewest tiles (2×2 output pixels) of a convolution: a 28×28 output's 196.</summary>
    private const int MinTiles = 4 * MinTileBlock;

    /// <summary>Blocks per thread at least, where there are tiles enough.</summary>
    private const int BlocksPerThread = 4;

    /// <summary>
    /// Whether this computes the convolution: 3×3, strides and dilations 1, one group, at least
    /// <see cref="MinChannels"/> channels in and out but few enough for blocks of <see cref="MinTileBlock"/> tiles, and
    /// at least <see cref="MinTiles"/> tiles (fewer, as a 7×7 or 14×14 image's 16 or 49, would read the transformed filter,
    /// 16/9 the filter's size, for little work: the direct convolution is faster there).
    /// </summary>
    public static bool Applies(int batches, int channels, int outputChannels, int filterHeight, int filterWidth, ReadOnlySpan<int> strides,
        ReadOnlySpan<int> dilations, int groups, int outputHeight, int outputWidth) =>
        Vector256.IsHardwareAccelerated && filterHeight == 3 && filterWidth == 3 && groups == 1
        && strides[0] == 1 && strides[1] == 1 && dilations[0] == 1 && dilations[1] == 1
        && channels >= MinChannels && outputChannels >= MinChannels && LargestTileBlock(channels, outputChannels) >= MinTileBlock
        && (long)batches * TileCount(outputHeight) * TileCount(outputWidth) >= MinTiles;

    /// <summary>Tiles along an output dimension of <paramref name="length"/> pixels.</summary>
    private static int TileCount(int length) => (length + 1) / 2;

    /// <summary>The most tiles (a multiple of the GEMM's panel rows) whose transformed input and products fit in <see cref="BlockFloats"/>.</summary>
    private static int LargestTileBlock(int channels, int outputChannels) =>
        Math.Min(MaxTileBlock, BlockFloats / (16 * (channels + outputChannels)) / Gemm.PanelRows * Gemm.PanelRows);

    /// <summary>
    /// The filter's 16 transformed matrices U[a·4 + b] = (G·g·Gᵀ)[a, b] per input and output channel, each [C × OC]
    /// packed for <see cref="Gemm"/>, from the filter as the direct convolution's matrix: row (ky·3 + kx)·C + ci, column
    /// the output channel.
    /// </summary>
    public static PackedGemmB[] TransformFilter(ReadOnlySpan<float> matrix, int channels, int outputChannels)
    {
        Debug.Assert(matrix.Length == 9 * channels * outputChannels);
        int size = channels * outputChannels;
        var transformed = new float[size];
        var result = new PackedGemmB[16];
        for (int a = 0; a < 4; a++)
        {
            for (int b = 0; b < 4; b++)
            {
                Array.Clear(transformed);
                for (int ky = 0; ky < 3; ky++)
                {
                    for (int kx = 0; kx < 3; kx++)
                    {
                        float weight = FilterTransform[a, ky] * FilterTransform[b, kx];
                        if (weight != 0f) TensorPrimitives.MultiplyAdd(matrix.Slice((ky * 3 + kx) * size, size), weight, transformed, transformed);
                    }
                }
                result[a * 4 + b] = new PackedGemmB(transformed, channels, outputChannels, outputChannels, transB: false);
            }
        }
        return result;
    }

    /// <summary>G of F(2, 3): a 3-tap filter to the 4 values its tile's products use.</summary>
    private static readonly float[,] FilterTransform = { { 1f, 0f, 0f }, { 0.5f, 0.5f, 0.5f }, { 0.5f, -0.5f, 0.5f }, { 0f, 0f, 1f } };

    /// <summary>
    /// y (NHWC) = conv2d(x (NHWC), the filter of <paramref name="transformedFilter"/>) + bias (+ y's own values when
    /// <paramref name="p"/>.Accumulate: a summand), then relu when asked.
    /// </summary>
    public static unsafe void Compute(float* x, PackedGemmB[] transformedFilter, float* bias, float* y, in Conv2d.ConvParams p, bool relu)
    {
        Debug.Assert(p.KH == 3 && p.KW == 3 && p.StrideH == 1 && p.StrideW == 1 && p.DilH == 1 && p.DilW == 1 && p.Groups == 1);
        // The transforms read and write eight channels at a time.
        Debug.Assert(p.C >= 8 && p.OC >= 8);
        int tiles = p.N * TileCount(p.OH) * TileCount(p.OW);
        bool parallel = Parallelism.Threads > 1 && (long)tiles * 16 * p.C * p.OC >= Gemm.ParallelThreshold;
        int threads = parallel ? Parallelism.Threads : 1;
        // Blocks of at least a panel of tiles, even for channels too many for Applies (a filter packed for this regardless).
        int largest = Math.Max(Gemm.PanelRows, LargestTileBlock(p.C, p.OC));
        // As many blocks as a multiple of the threads, at least a few per thread, all of one height.
        int shares = (tiles + largest - 1) / largest;
        shares = (Math.Max(shares, BlocksPerThread * threads) + threads - 1) / threads * threads;
        int tileBlock = Math.Max(MinTileBlock, ((tiles + shares - 1) / shares + Gemm.PanelRows - 1) / Gemm.PanelRows * Gemm.PanelRows);
        tileBlock = Math.Min(tileBlock, largest);
        int blocks = (tiles + tileBlock - 1) / tileBlock;
        if (Vector512.IsHardwareAccelerated && p.C >= Float16.Count && p.OC >= Float16.Count)
            Parallelism.ForEachItem(blocks, parallel, new TileBlocks<Float16>(x, transformedFilter, bias, y, p, relu, tileBlock, tiles));
        else
            Parallelism.ForEachItem(blocks, parallel, new TileBlocks<Float8>(x, transformedFilter, bias, y, p, relu, tileBlock, tiles));
    }

    /// <summary>Blocks of tiles, the transforms on vectors of <typeparamref name="TVector"/>.</summary>
    private readonly unsafe struct TileBlocks<TVector>(float* x, PackedGemmB[] filter, float* bias, float* y, Conv2d.ConvParams p, bool relu,
        int tileBlock, int tiles) : IParallelRange where TVector : struct, IFloatVector<TVector>
    {
        public void Run(int start, int end)
        {
            int c = p.C, oc = p.OC;
            long inputStride = MatrixStride(tileBlock * c), productStride = MatrixStride(tileBlock * oc);
            float[] scratch = KernelScratch.Floats.Rent(checked((int)(16 * (inputStride + productStride)) + c + Gemm.PanelAlignmentSlack));
            try
            {
                fixed (float* s = scratch)
                {
                    float* transformed = Gemm.AlignPanels(s), products = transformed + 16 * inputStride, zeros = products + 16 * productStride;
                    new Span<float>(zeros, c).Clear();
                    float** pixels = stackalloc float*[16];
                    for (int block = start; block < end; block++)
                    {
                        int t0 = block * tileBlock, count = Math.Min(tileBlock, tiles - t0);
                        for (int t = 0; t < count; t++)
                        {
                            InputPixels(t0 + t, zeros, pixels);
                            TransformInput<TVector>(pixels, transformed + (long)t * c, inputStride, c);
                        }
                        for (int xi = 0; xi < 16; xi++)
                        {
                            Gemm.Multiply(count, new ReadOnlySpan<float>(transformed + xi * inputStride, count * c), c, false, filter[xi],
                                new Span<float>(products + xi * productStride, count * oc), oc, parallel: false);
                        }
                        for (int t = 0; t < count; t++)
                        {
                            OutputPixels(t0 + t, pixels);
                            TransformOutput<TVector>(products + (long)t * oc, productStride, bias, pixels, oc, p.Accumulate, relu);
                        }
                    }
                }
            }
            finally
            {
                KernelScratch.Floats.Return(scratch);
            }
        }

        /// <summary>
        /// Floats from one of a block's 16 matrices to the next: whole cache lines (a matrix starts on one), and one line
        /// more, so that the 16 rows a transform writes or reads side by side fall in different L1 cache sets rather
        /// than in a few (as rows a multiple of 4 KiB apart would, thrashing a 12-way cache).
        /// </summary>
        private static long MatrixStride(int floats) => ((long)floats + 15) / 16 * 16 + 16;

        /// <summary>The 4×4 input pixels of a tile, row by row; <paramref name="zeros"/> for those in the padding.</summary>
        private void InputPixels(int tile, float* zeros, float** pixels)
        {
            var (b, iy0, ix0) = TileOrigin(tile);
            iy0 -= p.PadTop;
            ix0 -= p.PadLeft;
            for (int r = 0; r < 4; r++)
            {
                int iy = iy0 + r;
                for (int s = 0; s < 4; s++)
                {
                    int ix = ix0 + s;
                    pixels[r * 4 + s] = (uint)iy < (uint)p.H && (uint)ix < (uint)p.W ? x + (((long)b * p.H + iy) * p.W + ix) * p.C : zeros;
                }
            }
        }

        /// <summary>The 2×2 output pixels of a tile, row by row; null for those past the output's edge.</summary>
        private void OutputPixels(int tile, float** pixels)
        {
            var (b, oy0, ox0) = TileOrigin(tile);
            for (int r = 0; r < 2; r++)
            {
                for (int s = 0; s < 2; s++)
                {
                    int oy = oy0 + r, ox = ox0 + s;
                    pixels[r * 2 + s] = oy < p.OH && ox < p.OW ? y + (((long)b * p.OH + oy) * p.OW + ox) * p.OC : null;
                }
            }
        }

        /// <summary>A tile's image and its first output pixel's row and column.</summary>
        private (int Image, int Row, int Column) TileOrigin(int tile)
        {
            int tilesH = TileCount(p.OH), tilesW = TileCount(p.OW);
            int b = tile / (tilesH * tilesW), rest = tile - b * tilesH * tilesW, ty = rest / tilesW;
            return (b, 2 * ty, 2 * (rest - ty * tilesW));
        }
    }

    /// <summary>
    /// V = Bᵀ·d·B for every channel of a tile's 4×4 input <paramref name="pixels"/>: V[r·4 + s] goes to
    /// <paramref name="v"/> + (r·4 + s)·<paramref name="stride"/>. A vector of channels at a time; a last partial one
    /// is done again from <paramref name="channels"/> minus a vector (the same values).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void TransformInput<T>(float** pixels, float* v, long stride, int channels) where T : struct, IFloatVector<T>
    {
        for (int ch = 0; ch < channels; ch += T.Count)
        {
            int at = Math.Min(ch, channels - T.Count);
            // Down the columns: w[r][s] = (Bᵀ·d)[r][s].
            BT(T.Load(pixels[0] + at), T.Load(pixels[4] + at), T.Load(pixels[8] + at), T.Load(pixels[12] + at), out var w00, out var w10, out var w20, out var w30);
            BT(T.Load(pixels[1] + at), T.Load(pixels[5] + at), T.Load(pixels[9] + at), T.Load(pixels[13] + at), out var w01, out var w11, out var w21, out var w31);
            BT(T.Load(pixels[2] + at), T.Load(pixels[6] + at), T.Load(pixels[10] + at), T.Load(pixels[14] + at), out var w02, out var w12, out var w22, out var w32);
            BT(T.Load(pixels[3] + at), T.Load(pixels[7] + at), T.Load(pixels[11] + at), T.Load(pixels[15] + at), out var w03, out var w13, out var w23, out var w33);
            // Along the rows: V[r] = w[r]·B.
            StoreBT(w00, w01, w02, w03, v + at, stride);
            StoreBT(w10, w11, w12, w13, v + 4 * stride + at, stride);
            StoreBT(w20, w21, w22, w23, v + 8 * stride + at, stride);
            StoreBT(w30, w31, w32, w33, v + 12 * stride + at, stride);
        }
    }

    /// <summary>Bᵀ of F(2, 3) applied to four values: (d0 − d2, d1 + d2, d2 − d1, d1 − d3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BT<T>(T d0, T d1, T d2, T d3, out T r0, out T r1, out T r2, out T r3) where T : struct, IFloatVector<T>
    {
        r0 = d0 - d2;
        r1 = d1 + d2;
        r2 = d2 - d1;
        r3 = d1 - d3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreBT<T>(T d0, T d1, T d2, T d3, float* v, long stride) where T : struct, IFloatVector<T>
    {
        BT(d0, d1, d2, d3, out var r0, out var r1, out var r2, out var r3);
        r0.Store(v);
        r1.Store(v + stride);
        r2.Store(v + 2 * stride);
        r3.Store(v + 3 * stride);
    }

    /// <summary>
    /// Y = Aᵀ·M·A for every output channel of a tile's 16 products (M[r·4 + s] at <paramref name="m"/> + (r·4 + s)·<paramref name="stride"/>),
    /// plus the bias, plus the output pixel's own value when <paramref name="accumulate"/>, then relu, into the tile's
    /// 2×2 output <paramref name="pixels"/> (null ones skipped). A vector of channels at a time; a last partial one is
    /// done from <paramref name="channels"/> minus a vector, its channels already written kept as they are.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void TransformOutput<T>(float* m, long stride, float* bias, float** pixels, int channels, bool accumulate, bool relu)
        where T : struct, IFloatVector<T>
    {
        for (int ch = 0; ch < channels; ch += T.Count)
        {
            // Lanes below ch − at were written by the previous step (a last partial vector): they keep their values.
            int at = Math.Min(ch, channels - T.Count), written = ch - at;
            // Down the columns: z[i][s] = (Aᵀ·M)[i][s].
            AT(T.Load(m + at), T.Load(m + 4 * stride + at), T.Load(m + 8 * stride + at), T.Load(m + 12 * stride + at), out var z00, out var z10);
            AT(T.Load(m + stride + at), T.Load(m + 5 * stride + at), T.Load(m + 9 * stride + at), T.Load(m + 13 * stride + at), out var z01, out var z11);
            AT(T.Load(m + 2 * stride + at), T.Load(m + 6 * stride + at), T.Load(m + 10 * stride + at), T.Load(m + 14 * stride + at), out var z02, out var z12);
            AT(T.Load(m + 3 * stride + at), T.Load(m + 7 * stride + at), T.Load(m + 11 * stride + at), T.Load(m + 15 * stride + at), out var z03, out var z13);
            // Along the rows: Y[i] = z[i]·A.
            AT(z00, z01, z02, z03, out var y00, out var y01);
            AT(z10, z11, z12, z13, out var y10, out var y11);
            var b = bias != null ? T.Load(bias + at) : T.Zero;
            StorePixel(pixels[0], at, y00 + b, written, accumulate, relu);
            StorePixel(pixels[1], at, y01 + b, written, accumulate, relu);
            StorePixel(pixels[2], at, y10 + b, written, accumulate, relu);
            StorePixel(pixels[3], at, y11 + b, written, accumulate, relu);
        }
    }

    /// <summary>Aᵀ of F(2, 3) applied to four values: (m0 + m1 + m2, m1 − m2 − m3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AT<T>(T m0, T m1, T m2, T m3, out T y0, out T y1) where T : struct, IFloatVector<T>
    {
        y0 = m0 + m1 + m2;
        y1 = m1 - m2 - m3;
    }

    /// <summary>Writes channels [at, at + a vector) of an output pixel (none where the pixel is past the output's edge), the first <paramref name="written"/> left as they are.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StorePixel<T>(float* pixel, int at, T value, int written, bool accumulate, bool relu) where T : struct, IFloatVector<T>
    {
        if (pixel == null) return;
        pixel += at;
        var old = T.Load(pixel);
        if (accumulate) value += old;
        if (relu) value = T.Relu(value);
        T.Merge(value, old, written).Store(pixel);
    }
}
