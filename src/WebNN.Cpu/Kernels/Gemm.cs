using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WebNN.Cpu.Kernels;

/// <summary>
/// The shared float32 matrix multiply: C = alpha·op(A)·op(B) + beta·C, then an optional per-column bias and relu.
/// Cache-blocked (MC×KC blocks of A, KC×NC blocks of B). B is packed into column micro-panels — whole and once, ahead
/// of time as a <see cref="PackedGemmB"/> or at the start of the product, shared by every block and thread; A is read
/// where it lies, as MLAS does (packed once into row panels when transposed or when its rows would share cache sets).
/// A register-tiled micro-kernel of MR×NR (6×32 with Vector512, 6×16 with Vector256, scalar otherwise; a convolution may
/// ask for panels of seven rows, <see cref="SevenRows"/>), half as wide
/// for a last panel of at most NR/2 columns, reads A through one pointer per row and run of depth steps
/// (<see cref="RowRuns"/>), so that a convolution can hand it rows where they lie in its image too. Large
/// products are split over threads by blocks of rows and columns of C, sized so that every thread gets the same share.
/// </summary>
internal static class Gemm
{
    private const int MR = 6;
    private const int KC = 256;
    private const int MC = 144;   // multiple of MR
    private const int NC = 512;   // multiple of every NR

    /// <summary>Columns per micro-tile on this machine.</summary>
    internal static readonly int NR = Vector512.IsHardwareAccelerated ? 32 : Vector256.IsHardwareAccelerated ? 16 : 8;

    /// <summary>Blocks of C per thread at least, where there are columns enough: a thread slowed by the machine leaves the others less to wait for.</summary>
    private const int TasksPerThread = 8;

    /// <summary>Products of at least this many multiply-adds may use several threads.</summary>
    internal const long ParallelThreshold = 1L << 19;

    /// <summary>
    /// C[m×n] = alpha·op(A)·op(B) + beta·C, then C[i,j] += bias[j] (when bias is not empty) and C = max(C, 0) (when relu).
    /// </summary>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="a">A, row-major: [m×k] with row stride <paramref name="lda"/>, or when <paramref name="transA"/> [k×m].</param>
    /// <param name="lda">Row stride of A as stored (≥ k, or ≥ m when transposed).</param>
    /// <param name="transA">A is stored as [k×m] and op(A) = Aᵀ.</param>
    /// <param name="b">B, row-major: [k×n] with row stride <paramref name="ldb"/>, or when <paramref name="transB"/> [n×k].</param>
    /// <param name="ldb">Row stride of B as stored.</param>
    /// <param name="transB">B is stored as [n×k] and op(B) = Bᵀ.</param>
    /// <param name="c">C, row-major [m×n] with row stride <paramref name="ldc"/>.</param>
    /// <param name="ldc">Row stride of C (≥ n).</param>
    /// <param name="alpha">Multiplier of the product.</param>
    /// <param name="beta">Multiplier of the old C; 0 means C is not read (NaNs in it are ignored).</param>
    /// <param name="bias">Empty, or n values added to every row after the product.</param>
    /// <param name="relu">Clamp the result at 0 from below (after the bias).</param>
    /// <param name="parallel">Allow several threads (when the product is large enough).</param>
    public static unsafe void Multiply(
        int m, int n, int k,
        ReadOnlySpan<float> a, int lda, bool transA,
        ReadOnlySpan<float> b, int ldb, bool transB,
        Span<float> c, int ldc,
        float alpha = 1f, float beta = 0f,
        ReadOnlySpan<float> bias = default, bool relu = false, bool parallel = true)
    {
        fixed (float* pb = b)
        {
            Multiply(m, n, k, a, lda, transA, pb, ldb, transB, null, c, ldc, alpha, beta, bias, relu, parallel);
        }
    }

    /// <summary>C[m×n] = alpha·op(A)·B + beta·C, + bias, relu as above, with B [k×n] packed ahead of time.</summary>
    public static unsafe void Multiply(
        int m, ReadOnlySpan<float> a, int lda, bool transA, PackedGemmB b,
        Span<float> c, int ldc,
        float alpha = 1f, float beta = 0f,
        ReadOnlySpan<float> bias = default, bool relu = false, bool parallel = true)
    {
        Multiply(m, b.N, b.K, a, lda, transA, null, 0, false, b.Panels, c, ldc, alpha, beta, bias, relu, parallel);
    }

    /// <summary>
    /// One depth block of a tile of C[m×n] = A·B (+ bias, relu) on one thread: rows [i0, i0+rows) and columns [j0, j0+columns)
    /// of C = A[:, p0..p0+kc)·B[p0..p0+kc), :] when p0 = 0 (C += it when <paramref name="accumulate"/>: C holds a
    /// summand), else C += it; the bias and relu follow the last block. A comes
    /// packed by the caller: at most <see cref="MaxBlockRows"/> rows as MR-row panels one after another from row i0 (a
    /// multiple of MR), each holding MR rows as panel[p·MR + r] for p in [0, kc), zero past m; j0 is a multiple of
    /// <see cref="NR"/>. For a convolution that unfolds its image straight into panels, a block at a time so that they stay in cache.
    /// </summary>
    internal static unsafe void MultiplyPackedA(int m, int i0, int rows, int j0, int columns, float* aPanels, int p0, int kc, PackedGemmB b,
        float* c, int ldc, float* bias, bool relu, bool accumulate)
    {
        Debug.Assert(rows <= MaxBlockRows);
        float** rowPointers = stackalloc float*[MaxBlockRows];
        PanelRowPointers(aPanels, (rows + MR - 1) / MR, kc, rowPointers);
        MultiplyRows<PanelStep>(m, i0, rows, j0, columns, new RowRuns(rowPointers, &kc, 1, MR), p0, kc, b, c, ldc, bias, relu, accumulate);
    }

    /// <summary>
    /// <see cref="MultiplyPackedA"/> with A read where it lies: <paramref name="a"/> holds, from row i0 (a multiple of its
    /// panel height), the runs of every panel, each row's steps <typeparamref name="TStep"/> apart; the runs' lengths
    /// add up to kc. For a convolution whose rows are its input pixels' channels, read in place.
    /// </summary>
    internal static unsafe void MultiplyRows<TStep>(int m, int i0, int rows, int j0, int columns, RowRuns a, int p0, int kc, PackedGemmB b,
        float* c, int ldc, float* bias, bool relu, bool accumulate) where TStep : struct, IRowStep
    {
        Debug.Assert(i0 % a.PanelRows == 0 && j0 % NR == 0);
        var g = new Args
        {
            PackedB = b.Panels, C = c, Bias = bias, HasBias = bias != null, Relu = relu,
            M = m, N = b.N, K = b.K, Ldc = ldc, Alpha = 1f, Beta = 0f,
        };
        float* tile = stackalloc float[MaxPanelRows * 32];
        float* biasTile = stackalloc float[32];
        float beta = p0 == 0 && !accumulate ? 0f : 1f;
        if (a.PanelRows == SevenRows.Rows) MacroKernel<TStep, SevenRows>(g, a, p0, kc, i0, rows, j0, columns, beta, p0 + kc >= g.K, tile, biasTile);
        else MacroKernel<TStep, SixRows>(g, a, p0, kc, i0, rows, j0, columns, beta, p0 + kc >= g.K, tile, biasTile);
    }

    /// <summary>How far apart one row of A holds consecutive depth steps, in floats, where the micro-kernel reads it.</summary>
    internal interface IRowStep
    {
        static abstract int Step { get; }
    }

    /// <summary>Rows interleaved in a packed panel: a row's steps are MR apart.</summary>
    internal readonly struct PanelStep : IRowStep
    {
        public static int Step => MR;
    }

    /// <summary>Rows as they lie in memory (an input pixel's channels): a row's steps are adjacent.</summary>
    internal readonly struct AdjacentStep : IRowStep
    {
        public static int Step => 1;
    }

    /// <summary>
    /// A block of A's rows as the micro-kernel reads them: per panel of <paramref name="panelRows"/> rows (MR, or
    /// <see cref="SevenRows"/>), <paramref name="runs"/> runs of depth steps, run r <paramref name="lengths"/>[r] steps
    /// long for every panel; row i of panel q starts run r at <paramref name="rows"/>[(q·runs + r)·panelRows + i]. A run
    /// whose first row pointer is null is all zeros in that panel (a convolution's taps in the padding): the micro-kernel
    /// skips it. A row pointing at <paramref name="zeros"/> (when given) reads zeros in that run: the seven-row kernel
    /// leaves out a first or last row that does.
    /// </summary>
    internal readonly unsafe struct RowRuns(float** rows, int* lengths, int runs, int panelRows, float* zeros = null)
    {
        public float** Rows => rows;

        public int* Lengths => lengths;

        public int Runs => runs;

        public int PanelRows => panelRows;

        public float* Zeros => zeros;
    }

    /// <summary>Rows per panel of A, and per micro-tile of C, as a type: each height has its own compiled kernels.</summary>
    internal interface IPanelHeight
    {
        static abstract int Rows { get; }
    }

    /// <summary>The GEMM's own panels: MR rows.</summary>
    internal readonly struct SixRows : IPanelHeight
    {
        public static int Rows => MR;
    }

    /// <summary>
    /// Seven rows, for a convolution whose output rows are 7 pixels wide: every panel is one output row, so that a tap
    /// in the padding above or below is skipped for the whole panel, and a 7×7 image is 7 panels, not 9.
    /// </summary>
    internal readonly struct SevenRows : IPanelHeight
    {
        public static int Rows => 7;
    }

    /// <summary>The tallest panel (<see cref="SevenRows"/>): the size of a micro-tile's scratch.</summary>
    private const int MaxPanelRows = 7;

    /// <summary>Points the rows of <paramref name="panelCount"/> packed panels of <paramref name="depth"/> steps each (one after another), one run each.</summary>
    private static unsafe void PanelRowPointers(float* panels, int panelCount, int depth, float** rows)
    {
        for (int q = 0; q < panelCount; q++)
            for (int i = 0; i < MR; i++) rows[q * MR + i] = panels + (long)q * MR * depth + i;
    }

    /// <summary>Rows of C that one block of A (and one <see cref="MultiplyPackedA"/>) covers at most.</summary>
    private const int MaxBlockRows = MC;

    /// <summary>Depth (k) per block: a block of B's panels stays in L1 and of A's in L2.</summary>
    internal const int DepthBlock = KC;

    /// <summary>Rows of A in one packed panel.</summary>
    internal const int PanelRows = MR;

    /// <summary>Width of the panel that starts at column <paramref name="j"/> of <paramref name="n"/>: NR, or NR/2 for a last panel of at most NR/2 columns.</summary>
    internal static int PanelWidth(int j, int n) => n - j <= NR / 2 ? NR / 2 : NR;

    /// <summary>Floats that op(B) [k×n] takes packed: panel j (columns [j·NR, ...)) starts at j·NR·k.</summary>
    internal static long PackedLength(int k, int n)
    {
        int full = n / NR * NR;
        return ((long)full + (full < n ? PanelWidth(full, n) : 0)) * k;
    }

    /// <summary>
    /// Floats to allocate past <see cref="PackedLength"/> so that the panels can start on a cache line: every load of
    /// B is then a whole vector of one line (a Vector512 load that straddles two lines costs two).
    /// </summary>
    internal const int PanelAlignmentSlack = 15;

    /// <summary>The first cache line boundary (64 bytes) at or after <paramref name="p"/>.</summary>
    internal static unsafe float* AlignPanels(float* p) => (float*)(((nuint)p + 63) & ~(nuint)63);

    private static unsafe void Multiply(
        int m, int n, int k, ReadOnlySpan<float> a, int lda, bool transA, float* b, int ldb, bool transB, float* packedB,
        Span<float> c, int ldc, float alpha, float beta, ReadOnlySpan<float> bias, bool relu, bool parallel)
    {
        if (m <= 0 || n <= 0) return;
        Debug.Assert(bias.IsEmpty || bias.Length >= n);
        if (k <= 0)
        {
            for (int i = 0; i < m; i++) Epilogue(c.Slice(i * ldc, n), beta, bias, relu);
            return;
        }

        int nr = NR;
        int threads = parallel && (long)m * n * k >= ParallelThreshold ? Parallelism.Threads : 1;
        // Row blocks of at most MC rows, as many as a multiple of the threads when there are rows enough, all of one
        // size; when the rows alone cannot give every thread a few blocks, column blocks too.
        int mBlocks = (m + MC - 1) / MC;
        mBlocks = Math.Min((m + MR - 1) / MR, (mBlocks + threads - 1) / threads * threads);
        int mc = ((m + mBlocks - 1) / mBlocks + MR - 1) / MR * MR;
        mBlocks = (m + mc - 1) / mc;
        int nBlocks = Math.Max((n + NC - 1) / NC, Math.Min((n + nr - 1) / nr, (TasksPerThread * threads + mBlocks - 1) / mBlocks));
        int nc = ((n + nBlocks - 1) / nBlocks + nr - 1) / nr * nr;
        nBlocks = (n + nc - 1) / nc;

        // A B not packed ahead of time is packed here, all of it once, shared by every row block and thread. The
        // micro-kernel reads A's rows where they lie, as MLAS does, unless A is transposed or its rows lie a multiple
        // of 4 KiB apart (the six rows of a panel would then share their L1 cache sets, and evict each other and B):
        // such an A is packed once into row panels of every depth.
        bool packA = transA || (long)lda * sizeof(float) % AliasingStride == 0;
        int aPanels = (m + MR - 1) / MR;
        float[]? packBuffer = packedB == null ? KernelScratch.Floats.Rent(checked((int)PackedLength(k, n) + PanelAlignmentSlack)) : null;
        float[]? packedA = packA ? KernelScratch.Floats.Rent(checked(aPanels * MR * k + PanelAlignmentSlack)) : null;
        try
        {
            fixed (float* pa = a, pc = c, pbias = bias, packed = packBuffer, aPacked = packedA)
            {
                if (packedB == null)
                {
                    packedB = AlignPanels(packed);
                    PackB(b, ldb, transB, k, n, packedB, threads > 1);
                }
                float* panelsA = packA ? AlignPanels(aPacked) : null;
                if (packA) Parallelism.For(aPanels, threads > 1, new PackAPanels(pa, lda, transA, m, k, panelsA));
                var args = new Args
                {
                    A = pa, Lda = lda, PanelsA = panelsA, PackedB = packedB, C = pc, Bias = pbias, HasBias = !bias.IsEmpty, Relu = relu,
                    M = m, N = n, K = k, Ldc = ldc,
                    Alpha = alpha, Beta = beta, MBlocks = mBlocks, Mc = mc, Nc = nc,
                };
                Parallelism.ForEachItem(mBlocks * nBlocks, threads > 1, new Tasks(args));
            }
        }
        finally
        {
            if (packBuffer != null) KernelScratch.Floats.Return(packBuffer);
            if (packedA != null) KernelScratch.Floats.Return(packedA);
        }
    }

    /// <summary>
    /// Rows of A this many bytes apart (or a multiple) share their L1 cache sets: six of them read side by side evict
    /// each other and B.
    /// </summary>
    private const int AliasingStride = 4096;

    /// <summary>
    /// Packs op(A) [m×k] into MR-row panels of depth k: panel q holds rows [q·MR, q·MR + MR) as panel[p·MR + i], zero
    /// past m, at q·MR·k.
    /// </summary>
    private readonly unsafe struct PackAPanels(float* a, int lda, bool transA, int m, int k, float* panels) : IParallelRange
    {
        // Optimized at first call, like the kernels: a product's packing runs once per call.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            for (int panel = start; panel < end; panel++)
            {
                int i0 = panel * MR, rows = Math.Min(MR, m - i0);
                float* d = panels + (long)panel * MR * k;
                if (transA)
                {
                    // op(A)[i, p] = A[p, i]: each step's rows are a contiguous run of a stored row.
                    for (int p = 0; p < k; p++, d += MR)
                    {
                        float* s = a + (long)p * lda + i0;
                        int i = 0;
                        for (; i < rows; i++) d[i] = s[i];
                        for (; i < MR; i++) d[i] = 0f;
                    }
                }
                else if (rows == MR)
                {
                    float* s0 = a + (long)i0 * lda, s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda, s4 = s3 + lda, s5 = s4 + lda;
                    for (int p = 0; p < k; p++, d += MR)
                    {
                        d[0] = s0[p]; d[1] = s1[p]; d[2] = s2[p]; d[3] = s3[p]; d[4] = s4[p]; d[5] = s5[p];
                    }
                }
                else
                {
                    for (int p = 0; p < k; p++, d += MR)
                    {
                        int i = 0;
                        for (; i < rows; i++) d[i] = a[(long)(i0 + i) * lda + p];
                        for (; i < MR; i++) d[i] = 0f;
                    }
                }
            }
        }
    }

    private static void Epilogue(Span<float> row, float beta, ReadOnlySpan<float> bias, bool relu)
    {
        if (beta == 0f) row.Clear();
        else if (beta != 1f) System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        if (!bias.IsEmpty) System.Numerics.Tensors.TensorPrimitives.Add(row, bias.Slice(0, row.Length), row);
        if (relu) System.Numerics.Tensors.TensorPrimitives.Max(row, 0f, row);
    }

    /// <summary>One product: A where it lies (row stride Lda), or packed into panels of every depth (PanelsA); B packed (see <see cref="PackedLength"/>); C and the epilogue.</summary>
    private unsafe struct Args
    {
        public float* A, PanelsA, PackedB, C, Bias;
        public bool HasBias, Relu;
        public int M, N, K, Lda, Ldc, MBlocks, Mc, Nc;
        public float Alpha, Beta;
    }

    /// <summary>Blocks of C, numbered row block first.</summary>
    private readonly struct Tasks(Args args) : IParallelRange
    {
        public void Run(int start, int end)
        {
            for (int task = start; task < end; task++) RunTask(args, task);
        }
    }

    // Optimized at first call: tiering up from unoptimized code can take seconds on a busy machine.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RunTask(in Args g, int task)
    {
        int ib = task % g.MBlocks, jb = task / g.MBlocks;
        int i0 = ib * g.Mc, mc = Math.Min(g.Mc, g.M - i0);
        int j0 = jb * g.Nc, nc = Math.Min(g.Nc, g.N - j0);
        int mPanels = (mc + MR - 1) / MR;
        float* tile = stackalloc float[MR * 32];
        float* biasTile = stackalloc float[32];
        float** rows = stackalloc float*[MaxBlockRows];
        for (int p0 = 0; p0 < g.K; p0 += KC)
        {
            int kc = Math.Min(KC, g.K - p0);
            if (g.PanelsA != null)
            {
                // Panels of every depth, from the block's first panel at depth p0.
                PanelRowPointers(g.PanelsA + ((long)i0 / MR * g.K + p0) * MR, mPanels, g.K, rows);
                MacroKernel<PanelStep, SixRows>(g, new RowRuns(rows, &kc, 1, MR), p0, kc, i0, mc, j0, nc, p0 == 0 ? g.Beta : 1f, p0 + kc >= g.K, tile, biasTile);
                continue;
            }
            // A last panel's rows past m read row m-1: their results go to the edge tile and are dropped.
            for (int i = 0; i < mPanels * MR; i++) rows[i] = g.A + (long)Math.Min(i0 + i, g.M - 1) * g.Lda + p0;
            MacroKernel<AdjacentStep, SixRows>(g, new RowRuns(rows, &kc, 1, MR), p0, kc, i0, mc, j0, nc, p0 == 0 ? g.Beta : 1f, p0 + kc >= g.K, tile, biasTile);
        }
    }

    /// <summary>
    /// C[i0.., j0..] (mc×nc) = alpha·A·B + beta·C over k rows [p0, p0+kc), the bias and relu applied when
    /// <paramref name="last"/>: A's rows from <paramref name="a"/> (the first panel at row i0, step p0), B from
    /// <see cref="Args.PackedB"/>. With 512-bit vectors and six-row panels, two whole column panels side by side are
    /// one 6×64 tile (<see cref="MicroKernel512Wide{TStep}"/>). Edge tiles go through <paramref name="tile"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MacroKernel<TStep, THeight>(in Args g, RowRuns a, int p0, int kc, int i0, int mc, int j0, int nc,
        float beta, bool last, float* tile, float* biasTile) where TStep : struct, IRowStep where THeight : struct, IPanelHeight
    {
        int mr = THeight.Rows, mPanels = (mc + mr - 1) / mr, jEnd = j0 + nc;
        for (int jj = j0; jj < jEnd;)
        {
            int columns = WideColumns<THeight>(jj, jEnd);
            // The block of B read after these columns' tiles (the next columns', or after the last the first ones' of
            // the next depth block, which callers multiply next): fetched into L2 a share per tile, so that a B lying in
            // memory (a constant's, packed at build) does not stall the first tile.
            bool lastColumns = jj + columns >= jEnd;
            int nextJ = lastColumns ? j0 : jj + columns, nextP0 = lastColumns ? p0 + kc : p0, nextWidth = PanelWidth(nextJ, g.N);
            float* nextPanel = g.PackedB + (long)nextJ * g.K + (long)nextP0 * nextWidth;
            int panelLines = Sse.IsSupported ? Math.Min(kc, g.K - nextP0) * nextWidth / 16 : 0;
            int nextLines = panelLines * (WideColumns<THeight>(nextJ, jEnd) / NR);
            int linesPerTile = (nextLines + mPanels - 1) / mPanels;
            for (int ipn = 0; ipn < mPanels; ipn++)
            {
                for (int line = ipn * linesPerTile, end = Math.Min(nextLines, line + linesPerTile); line < end; line++)
                    Sse.Prefetch1(line < panelLines ? nextPanel + line * 16 : nextPanel + (long)NR * g.K + (line - panelLines) * 16);
                int ii = i0 + ipn * mr;
                float** rows = a.Rows + (long)ipn * a.Runs * mr;
                if (columns > NR && g.M - ii >= mr)
                {
                    float* bPanel = g.PackedB + (long)jj * g.K + (long)p0 * NR;
                    MicroKernel512Wide<TStep>(a.Runs, rows, a.Lengths, bPanel, bPanel + (long)NR * g.K, g.C + (long)ii * g.Ldc + jj, g.Ldc,
                        g.Alpha, beta, last && g.HasBias ? g.Bias + jj : null, last && g.Relu);
                    continue;
                }
                for (int j = jj; j < jj + columns; j += NR) PanelTile<TStep, THeight>(g, a, rows, p0, ii, j, beta, last, tile, biasTile);
            }
            jj += columns;
        }
    }

    /// <summary>
    /// Columns from <paramref name="j"/> that one step of the macro-kernel covers: two whole panels (a 6×64 tile)
    /// where 512-bit vectors, six-row panels and the block's end (<paramref name="jEnd"/>) allow, else one panel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WideColumns<THeight>(int j, int jEnd) where THeight : struct, IPanelHeight =>
        NR == 32 && THeight.Rows == MR && j + 2 * NR <= jEnd ? 2 * NR : NR;

    /// <summary>
    /// The tile of one panel of columns from <paramref name="jj"/> and one panel of rows from <paramref name="ii"/>
    /// (<paramref name="rows"/>, the panel's runs of <paramref name="a"/>); an edge tile goes through <paramref name="tile"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PanelTile<TStep, THeight>(in Args g, RowRuns a, float** rows, int p0, int ii, int jj, float beta,
        bool last, float* tile, float* biasTile) where TStep : struct, IRowStep where THeight : struct, IPanelHeight
    {
        int mr = THeight.Rows, width = PanelWidth(jj, g.N), ncur = Math.Min(width, g.N - jj), mcur = Math.Min(mr, g.M - ii);
        float* bPanel = g.PackedB + (long)jj * g.K + (long)p0 * width;
        float* biasPtr = null;
        if (last && g.HasBias)
        {
            if (ncur == width) biasPtr = g.Bias + jj;
            else
            {
                for (int j = 0; j < width; j++) biasTile[j] = j < ncur ? g.Bias[jj + j] : 0f;
                biasPtr = biasTile;
            }
        }
        float* cTile = g.C + (long)ii * g.Ldc + jj;
        bool full = mcur == mr && ncur == width;
        float* dst = full ? cTile : tile;
        int ldd = full ? g.Ldc : width;
        if (!full && beta != 0f)
        {
            for (int i = 0; i < mcur; i++)
                for (int j = 0; j < ncur; j++) tile[i * width + j] = cTile[(long)i * g.Ldc + j];
        }
        MicroKernel<TStep, THeight>(a.Runs, rows, a.Lengths, a.Zeros, bPanel, dst, ldd, g.Alpha, beta, biasPtr, last && g.Relu, width);
        if (!full)
        {
            for (int i = 0; i < mcur; i++)
                for (int j = 0; j < ncur; j++) cTile[(long)i * g.Ldc + j] = tile[i * width + j];
        }
    }

    /// <summary>
    /// Packs all of op(B) [k×n] into column panels (<see cref="PackedLength"/> floats at <paramref name="dst"/>):
    /// panel j holds columns [j·NR, j·NR + width) as panel[p·width + c], zero past n; on several threads when
    /// <paramref name="parallel"/>.
    /// </summary>
    internal static unsafe void PackB(float* b, int ldb, bool transB, int k, int n, float* dst, bool parallel) =>
        Parallelism.For((n + NR - 1) / NR, parallel, new PackBPanels(b, ldb, transB, k, n, dst));

    private readonly unsafe struct PackBPanels(float* b, int ldb, bool transB, int k, int n, float* dst) : IParallelRange
    {
        public void Run(int start, int end)
        {
            for (int panel = start; panel < end; panel++)
            {
                int j0 = panel * NR;
                PackBPanel(b, ldb, transB, k, j0, Math.Min(NR, n - j0), PanelWidth(j0, n), dst + (long)j0 * k);
            }
        }
    }

    /// <summary>Packs columns [j0, j0+cols) of op(B) [k×n] into one panel of <paramref name="width"/> columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackBPanel(float* b, int ldb, bool transB, int k, int j0, int cols, int width, float* d)
    {
        if (!transB)
        {
            float* src = b + j0;
            for (int p = 0; p < k; p++, d += width)
            {
                float* s = src + (long)p * ldb;
                int j = 0;
                if (cols == width)
                {
                    Buffer.MemoryCopy(s, d, width * sizeof(float), width * sizeof(float));
                    continue;
                }
                for (; j < cols; j++) d[j] = s[j];
                for (; j < width; j++) d[j] = 0f;
            }
        }
        else
        {
            // B stored [n×k]: op(B)[p, j] = B[j, p].
            float* src = b + (long)j0 * ldb;
            for (int j = 0; j < cols; j++)
            {
                float* s = src + (long)j * ldb;
                for (int p = 0; p < k; p++) d[p * width + j] = s[p];
            }
            for (int j = cols; j < width; j++)
                for (int p = 0; p < k; p++) d[p * width + j] = 0f;
        }
    }

    /// <summary>
    /// An MR×<paramref name="width"/> tile of C from A's rows (<paramref name="runs"/> runs, see <see cref="RowRuns"/>)
    /// and a panel of B, with the widest kernel for the width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void MicroKernel<TStep, THeight>(int runs, float** rows, int* lengths, float* zeros, float* b, float* c, int ldc, float alpha,
        float beta, float* bias, bool relu, int width) where TStep : struct, IRowStep where THeight : struct, IPanelHeight
    {
        if (NR == 32)
        {
            if (width == 32) MicroKernel512<TStep, THeight>(runs, rows, lengths, zeros, b, c, ldc, alpha, beta, bias, relu);
            else MicroKernel512Narrow<TStep, THeight>(runs, rows, lengths, b, c, ldc, alpha, beta, bias, relu);
        }
        else if (NR == 16)
        {
            if (width == 16) MicroKernel256<TStep, THeight>(runs, rows, lengths, b, c, ldc, alpha, beta, bias, relu);
            else MicroKernel256Narrow<TStep, THeight>(runs, rows, lengths, b, c, ldc, alpha, beta, bias, relu);
        }
        else MicroKernelScalar<TStep, THeight>(runs, rows, lengths, b, c, ldc, alpha, beta, bias, relu, width);
    }

    // k unrolled by 2: half the loop overhead per multiply-add.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MicroKernel512<TStep, THeight>(int runs, float** rows, int* lengths, float* zeros, float* b, float* c, int ldc,
        float alpha, float beta, float* bias, bool relu) where TStep : struct, IRowStep where THeight : struct, IPanelHeight
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default;
        for (int run = 0; run < runs; run++, rows += THeight.Rows)
        {
            if (rows[0] == null)
            {
                b += (nint)lengths[run] * 32;
                continue;
            }
            float* a0 = rows[0], a1 = rows[1], a2 = rows[2], a3 = rows[3], a4 = rows[4], a5 = rows[5];
            float* a6 = THeight.Rows > 6 ? rows[6] : null;
            nint end = (nint)lengths[run] * TStep.Step, o = 0;
            if (THeight.Rows > 6 && (a0 == zeros || a6 == zeros))
            {
                // A seven-row panel is one output row: a tap in the left (right) padding reads zeros in its first
                // (last) row alone, whose multiply-adds are left out.
                if (a0 == zeros)
                {
                    for (; o < end; o += TStep.Step, b += 32)
                    {
                        Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
                        Vector512<float> av = Vector512.Create(a1[o]);
                        c10 = Vector512.FusedMultiplyAdd(av, b0, c10); c11 = Vector512.FusedMultiplyAdd(av, b1, c11);
                        av = Vector512.Create(a2[o]);
                        c20 = Vector512.FusedMultiplyAdd(av, b0, c20); c21 = Vector512.FusedMultiplyAdd(av, b1, c21);
                        av = Vector512.Create(a3[o]);
                        c30 = Vector512.FusedMultiplyAdd(av, b0, c30); c31 = Vector512.FusedMultiplyAdd(av, b1, c31);
                        av = Vector512.Create(a4[o]);
                        c40 = Vector512.FusedMultiplyAdd(av, b0, c40); c41 = Vector512.FusedMultiplyAdd(av, b1, c41);
                        av = Vector512.Create(a5[o]);
                        c50 = Vector512.FusedMultiplyAdd(av, b0, c50); c51 = Vector512.FusedMultiplyAdd(av, b1, c51);
                        av = Vector512.Create(a6[o]);
                        c60 = Vector512.FusedMultiplyAdd(av, b0, c60); c61 = Vector512.FusedMultiplyAdd(av, b1, c61);
                    }
                }
                else
                {
                    for (; o < end; o += TStep.Step, b += 32)
                    {
                        Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
                        Vector512<float> av = Vector512.Create(a0[o]);
                        c00 = Vector512.FusedMultiplyAdd(av, b0, c00); c01 = Vector512.FusedMultiplyAdd(av, b1, c01);
                        av = Vector512.Create(a1[o]);
                        c10 = Vector512.FusedMultiplyAdd(av, b0, c10); c11 = Vector512.FusedMultiplyAdd(av, b1, c11);
                        av = Vector512.Create(a2[o]);
                        c20 = Vector512.FusedMultiplyAdd(av, b0, c20); c21 = Vector512.FusedMultiplyAdd(av, b1, c21);
                        av = Vector512.Create(a3[o]);
                        c30 = Vector512.FusedMultiplyAdd(av, b0, c30); c31 = Vector512.FusedMultiplyAdd(av, b1, c31);
                        av = Vector512.Create(a4[o]);
                        c40 = Vector512.FusedMultiplyAdd(av, b0, c40); c41 = Vector512.FusedMultiplyAdd(av, b1, c41);
                        av = Vector512.Create(a5[o]);
                        c50 = Vector512.FusedMultiplyAdd(av, b0, c50); c51 = Vector512.FusedMultiplyAdd(av, b1, c51);
                    }
                }
                continue;
            }
            for (; o + 2 * TStep.Step <= end; o += 2 * TStep.Step, b += 64)
            {
                Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
                Vector512<float> av = Vector512.Create(a0[o]);
                c00 = Vector512.FusedMultiplyAdd(av, b0, c00); c01 = Vector512.FusedMultiplyAdd(av, b1, c01);
                av = Vector512.Create(a1[o]);
                c10 = Vector512.FusedMultiplyAdd(av, b0, c10); c11 = Vector512.FusedMultiplyAdd(av, b1, c11);
                av = Vector512.Create(a2[o]);
                c20 = Vector512.FusedMultiplyAdd(av, b0, c20); c21 = Vector512.FusedMultiplyAdd(av, b1, c21);
                av = Vector512.Create(a3[o]);
                c30 = Vector512.FusedMultiplyAdd(av, b0, c30); c31 = Vector512.FusedMultiplyAdd(av, b1, c31);
                av = Vector512.Create(a4[o]);
                c40 = Vector512.FusedMultiplyAdd(av, b0, c40); c41 = Vector512.FusedMultiplyAdd(av, b1, c41);
                av = Vector512.Create(a5[o]);
                c50 = Vector512.FusedMultiplyAdd(av, b0, c50); c51 = Vector512.FusedMultiplyAdd(av, b1, c51);
                if (THeight.Rows > 6)
                {
                    av = Vector512.Create(a6[o]);
                    c60 = Vector512.FusedMultiplyAdd(av, b0, c60); c61 = Vector512.FusedMultiplyAdd(av, b1, c61);
                }
                b0 = Vector512.Load(b + 32); b1 = Vector512.Load(b + 48);
                av = Vector512.Create(a0[o + TStep.Step]);
                c00 = Vector512.FusedMultiplyAdd(av, b0, c00); c01 = Vector512.FusedMultiplyAdd(av, b1, c01);
                av = Vector512.Create(a1[o + TStep.Step]);
                c10 = Vector512.FusedMultiplyAdd(av, b0, c10); c11 = Vector512.FusedMultiplyAdd(av, b1, c11);
                av = Vector512.Create(a2[o + TStep.Step]);
                c20 = Vector512.FusedMultiplyAdd(av, b0, c20); c21 = Vector512.FusedMultiplyAdd(av, b1, c21);
                av = Vector512.Create(a3[o + TStep.Step]);
                c30 = Vector512.FusedMultiplyAdd(av, b0, c30); c31 = Vector512.FusedMultiplyAdd(av, b1, c31);
                av = Vector512.Create(a4[o + TStep.Step]);
                c40 = Vector512.FusedMultiplyAdd(av, b0, c40); c41 = Vector512.FusedMultiplyAdd(av, b1, c41);
                av = Vector512.Create(a5[o + TStep.Step]);
                c50 = Vector512.FusedMultiplyAdd(av, b0, c50); c51 = Vector512.FusedMultiplyAdd(av, b1, c51);
                if (THeight.Rows > 6)
                {
                    av = Vector512.Create(a6[o + TStep.Step]);
                    c60 = Vector512.FusedMultiplyAdd(av, b0, c60); c61 = Vector512.FusedMultiplyAdd(av, b1, c61);
                }
            }
            if (o < end)
            {
                Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
                Vector512<float> av = Vector512.Create(a0[o]);
                c00 = Vector512.FusedMultiplyAdd(av, b0, c00); c01 = Vector512.FusedMultiplyAdd(av, b1, c01);
                av = Vector512.Create(a1[o]);
                c10 = Vector512.FusedMultiplyAdd(av, b0, c10); c11 = Vector512.FusedMultiplyAdd(av, b1, c11);
                av = Vector512.Create(a2[o]);
                c20 = Vector512.FusedMultiplyAdd(av, b0, c20); c21 = Vector512.FusedMultiplyAdd(av, b1, c21);
                av = Vector512.Create(a3[o]);
                c30 = Vector512.FusedMultiplyAdd(av, b0, c30); c31 = Vector512.FusedMultiplyAdd(av, b1, c31);
                av = Vector512.Create(a4[o]);
                c40 = Vector512.FusedMultiplyAdd(av, b0, c40); c41 = Vector512.FusedMultiplyAdd(av, b1, c41);
                av = Vector512.Create(a5[o]);
                c50 = Vector512.FusedMultiplyAdd(av, b0, c50); c51 = Vector512.FusedMultiplyAdd(av, b1, c51);
                if (THeight.Rows > 6)
                {
                    av = Vector512.Create(a6[o]);
                    c60 = Vector512.FusedMultiplyAdd(av, b0, c60); c61 = Vector512.FusedMultiplyAdd(av, b1, c61);
                }
                b += 32;
            }
        }
        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        Vector512<float> bias0 = bias != null ? Vector512.Load(bias) : default, bias1 = bias != null ? Vector512.Load(bias + 16) : default;
        Store512(c, c00, va, vb, beta, bias0, relu); Store512(c + 16, c01, va, vb, beta, bias1, relu); c += ldc;
        Store512(c, c10, va, vb, beta, bias0, relu); Store512(c + 16, c11, va, vb, beta, bias1, relu); c += ldc;
        Store512(c, c20, va, vb, beta, bias0, relu); Store512(c + 16, c21, va, vb, beta, bias1, relu); c += ldc;
        Store512(c, c30, va, vb, beta, bias0, relu); Store512(c + 16, c31, va, vb, beta, bias1, relu); c += ldc;
        Store512(c, c40, va, vb, beta, bias0, relu); Store512(c + 16, c41, va, vb, beta, bias1, relu); c += ldc;
        Store512(c, c50, va, vb, beta, bias0, relu); Store512(c + 16, c51, va, vb, beta, bias1, relu);
        if (THeight.Rows > 6)
        {
            c += ldc;
            Store512(c, c60, va, vb, beta, bias0, relu); Store512(c + 16, c61, va, vb, beta, bias1, relu);
        }
    }

    /// <summary>
    /// 6×64 with Vector512: two whole column panels (<paramref name="b0"/>, <paramref name="b1"/>) at once, 24
    /// accumulators of the 32 registers. Each broadcast of A feeds four multiply-adds (two in the 6×32 tile), so A is
    /// read half as often: the shape of MLAS's convolution kernel (six pixels × four blocks of 16 channels).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MicroKernel512Wide<TStep>(int runs, float** rows, int* lengths, float* b0, float* b1, float* c, int ldc, float alpha,
        float beta, float* bias, bool relu) where TStep : struct, IRowStep
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default, c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default, c43 = default, c50 = default, c51 = default, c52 = default, c53 = default;
        for (int run = 0; run < runs; run++, rows += MR)
        {
            if (rows[0] == null)
            {
                b0 += (nint)lengths[run] * 32;
                b1 += (nint)lengths[run] * 32;
                continue;
            }
            float* a0 = rows[0], a1 = rows[1], a2 = rows[2], a3 = rows[3], a4 = rows[4], a5 = rows[5];
            nint end = (nint)lengths[run] * TStep.Step;
            for (nint o = 0; o < end; o += TStep.Step, b0 += 32, b1 += 32)
            {
                Vector512<float> v0 = Vector512.Load(b0), v1 = Vector512.Load(b0 + 16), v2 = Vector512.Load(b1), v3 = Vector512.Load(b1 + 16);
                Vector512<float> av = Vector512.Create(a0[o]);
                c00 = Vector512.FusedMultiplyAdd(av, v0, c00); c01 = Vector512.FusedMultiplyAdd(av, v1, c01);
                c02 = Vector512.FusedMultiplyAdd(av, v2, c02); c03 = Vector512.FusedMultiplyAdd(av, v3, c03);
                av = Vector512.Create(a1[o]);
                c10 = Vector512.FusedMultiplyAdd(av, v0, c10); c11 = Vector512.FusedMultiplyAdd(av, v1, c11);
                c12 = Vector512.FusedMultiplyAdd(av, v2, c12); c13 = Vector512.FusedMultiplyAdd(av, v3, c13);
                av = Vector512.Create(a2[o]);
                c20 = Vector512.FusedMultiplyAdd(av, v0, c20); c21 = Vector512.FusedMultiplyAdd(av, v1, c21);
                c22 = Vector512.FusedMultiplyAdd(av, v2, c22); c23 = Vector512.FusedMultiplyAdd(av, v3, c23);
                av = Vector512.Create(a3[o]);
                c30 = Vector512.FusedMultiplyAdd(av, v0, c30); c31 = Vector512.FusedMultiplyAdd(av, v1, c31);
                c32 = Vector512.FusedMultiplyAdd(av, v2, c32); c33 = Vector512.FusedMultiplyAdd(av, v3, c33);
                av = Vector512.Create(a4[o]);
                c40 = Vector512.FusedMultiplyAdd(av, v0, c40); c41 = Vector512.FusedMultiplyAdd(av, v1, c41);
                c42 = Vector512.FusedMultiplyAdd(av, v2, c42); c43 = Vector512.FusedMultiplyAdd(av, v3, c43);
                av = Vector512.Create(a5[o]);
                c50 = Vector512.FusedMultiplyAdd(av, v0, c50); c51 = Vector512.FusedMultiplyAdd(av, v1, c51);
                c52 = Vector512.FusedMultiplyAdd(av, v2, c52); c53 = Vector512.FusedMultiplyAdd(av, v3, c53);
            }
        }
        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        Vector512<float> bias0 = default, bias1 = default, bias2 = default, bias3 = default;
        if (bias != null)
        {
            bias0 = Vector512.Load(bias); bias1 = Vector512.Load(bias + 16); bias2 = Vector512.Load(bias + 32); bias3 = Vector512.Load(bias + 48);
        }
        Store512x4(c, c00, c01, c02, c03, va, vb, beta, bias0, bias1, bias2, bias3, relu); c += ldc;
        Store512x4(c, c10, c11, c12, c13, va, vb, beta, bias0, bias1, bias2, bias3, relu); c += ldc;
        Store512x4(c, c20, c21, c22, c23, va, vb, beta, bias0, bias1, bias2, bias3, relu); c += ldc;
        Store512x4(c, c30, c31, c32, c33, va, vb, beta, bias0, bias1, bias2, bias3, relu); c += ldc;
        Store512x4(c, c40, c41, c42, c43, va, vb, beta, bias0, bias1, bias2, bias3, relu); c += ldc;
        Store512x4(c, c50, c51, c52, c53, va, vb, beta, bias0, bias1, bias2, bias3, relu);
    }

    /// <summary>One row of a 6×64 tile: four vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store512x4(float* c, Vector512<float> x0, Vector512<float> x1, Vector512<float> x2, Vector512<float> x3,
        Vector512<float> va, Vector512<float> vb, float beta, Vector512<float> bias0, Vector512<float> bias1, Vector512<float> bias2,
        Vector512<float> bias3, bool relu)
    {
        Store512(c, x0, va, vb, beta, bias0, relu);
        Store512(c + 16, x1, va, vb, beta, bias1, relu);
        Store512(c + 32, x2, va, vb, beta, bias2, relu);
        Store512(c + 48, x3, va, vb, beta, bias3, relu);
    }

    /// <summary>
    /// A panel's rows × 16 with Vector512: the last panel when at most 16 columns remain. Even and odd depth steps go to two sets of
    /// accumulators, added at the end: six chains of dependent multiply-adds alone would leave the FMA units idle half
    /// the time (four cycles' latency, two units).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MicroKernel512Narrow<TStep, THeight>(int runs, float** rows, int* lengths, float* b, float* c, int ldc, float alpha, float beta,
        float* bias, bool relu) where TStep : struct, IRowStep where THeight : struct, IPanelHeight
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector512<float> d0 = default, d1 = default, d2 = default, d3 = default, d4 = default, d5 = default;
        Vector512<float> c6 = default, d6 = default;
        for (int run = 0; run < runs; run++, rows += THeight.Rows)
        {
            if (rows[0] == null)
            {
                b += (nint)lengths[run] * 16;
                continue;
            }
            float* a0 = rows[0], a1 = rows[1], a2 = rows[2], a3 = rows[3], a4 = rows[4], a5 = rows[5];
            float* a6 = THeight.Rows > 6 ? rows[6] : null;
            nint end = (nint)lengths[run] * TStep.Step, o = 0;
            for (; o + 2 * TStep.Step <= end; o += 2 * TStep.Step, b += 32)
            {
                Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
                c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[o]), b0, c0);
                c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a1[o]), b0, c1);
                c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a2[o]), b0, c2);
                c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[o]), b0, c3);
                c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a4[o]), b0, c4);
                c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a5[o]), b0, c5);
                if (THeight.Rows > 6) c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a6[o]), b0, c6);
                d0 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[o + TStep.Step]), b1, d0);
                d1 = Vector512.FusedMultiplyAdd(Vector512.Create(a1[o + TStep.Step]), b1, d1);
                d2 = Vector512.FusedMultiplyAdd(Vector512.Create(a2[o + TStep.Step]), b1, d2);
                d3 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[o + TStep.Step]), b1, d3);
                d4 = Vector512.FusedMultiplyAdd(Vector512.Create(a4[o + TStep.Step]), b1, d4);
                d5 = Vector512.FusedMultiplyAdd(Vector512.Create(a5[o + TStep.Step]), b1, d5);
                if (THeight.Rows > 6) d6 = Vector512.FusedMultiplyAdd(Vector512.Create(a6[o + TStep.Step]), b1, d6);
            }
            if (o < end)
            {
                Vector512<float> b0 = Vector512.Load(b);
                c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[o]), b0, c0);
                c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a1[o]), b0, c1);
                c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a2[o]), b0, c2);
                c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[o]), b0, c3);
                c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a4[o]), b0, c4);
                c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a5[o]), b0, c5);
                if (THeight.Rows > 6) c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a6[o]), b0, c6);
                b += 16;
            }
        }
        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        Vector512<float> bias0 = bias != null ? Vector512.Load(bias) : default;
        Store512(c, c0 + d0, va, vb, beta, bias0, relu); c += ldc;
        Store512(c, c1 + d1, va, vb, beta, bias0, relu); c += ldc;
        Store512(c, c2 + d2, va, vb, beta, bias0, relu); c += ldc;
        Store512(c, c3 + d3, va, vb, beta, bias0, relu); c += ldc;
        Store512(c, c4 + d4, va, vb, beta, bias0, relu); c += ldc;
        Store512(c, c5 + d5, va, vb, beta, bias0, relu);
        if (THeight.Rows > 6) Store512(c + ldc, c6 + d6, va, vb, beta, bias0, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store512(float* c, Vector512<float> x, Vector512<float> va, Vector512<float> vb, float beta, Vector512<float> bias, bool relu)
    {
        x *= va;
        if (beta != 0f) x = Vector512.FusedMultiplyAdd(vb, Vector512.Load(c), x);
        x += bias;
        if (relu) x = Vector512.Max(x, Vector512<float>.Zero);
        x.Store(c);
    }

    // k unrolled by 2: half the loop overhead per multiply-add.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MicroKernel256<TStep, THeight>(int runs, float** rows, int* lengths, float* b, float* c, int ldc, float alpha, float beta,
        float* bias, bool relu) where TStep : struct, IRowStep where THeight : struct, IPanelHeight
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector256<float> c60 = default, c61 = default;
        for (int run = 0; run < runs; run++, rows += THeight.Rows)
        {
            if (rows[0] == null)
            {
                b += (nint)lengths[run] * 16;
                continue;
            }
            float* a0 = rows[0], a1 = rows[1], a2 = rows[2], a3 = rows[3], a4 = rows[4], a5 = rows[5];
            float* a6 = THeight.Rows > 6 ? rows[6] : null;
            nint end = (nint)lengths[run] * TStep.Step, o = 0;
            for (; o + 2 * TStep.Step <= end; o += 2 * TStep.Step, b += 32)
            {
                Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
                Vector256<float> av = Vector256.Create(a0[o]);
                c00 = Vector256.FusedMultiplyAdd(av, b0, c00); c01 = Vector256.FusedMultiplyAdd(av, b1, c01);
                av = Vector256.Create(a1[o]);
                c10 = Vector256.FusedMultiplyAdd(av, b0, c10); c11 = Vector256.FusedMultiplyAdd(av, b1, c11);
                av = Vector256.Create(a2[o]);
                c20 = Vector256.FusedMultiplyAdd(av, b0, c20); c21 = Vector256.FusedMultiplyAdd(av, b1, c21);
                av = Vector256.Create(a3[o]);
                c30 = Vector256.FusedMultiplyAdd(av, b0, c30); c31 = Vector256.FusedMultiplyAdd(av, b1, c31);
                av = Vector256.Create(a4[o]);
                c40 = Vector256.FusedMultiplyAdd(av, b0, c40); c41 = Vector256.FusedMultiplyAdd(av, b1, c41);
                av = Vector256.Create(a5[o]);
                c50 = Vector256.FusedMultiplyAdd(av, b0, c50); c51 = Vector256.FusedMultiplyAdd(av, b1, c51);
                if (THeight.Rows > 6)
                {
                    av = Vector256.Create(a6[o]);
                    c60 = Vector256.FusedMultiplyAdd(av, b0, c60); c61 = Vector256.FusedMultiplyAdd(av, b1, c61);
                }
                b0 = Vector256.Load(b + 16); b1 = Vector256.Load(b + 24);
                av = Vector256.Create(a0[o + TStep.Step]);
                c00 = Vector256.FusedMultiplyAdd(av, b0, c00); c01 = Vector256.FusedMultiplyAdd(av, b1, c01);
                av = Vector256.Create(a1[o + TStep.Step]);
                c10 = Vector256.FusedMultiplyAdd(av, b0, c10); c11 = Vector256.FusedMultiplyAdd(av, b1, c11);
                av = Vector256.Create(a2[o + TStep.Step]);
                c20 = Vector256.FusedMultiplyAdd(av, b0, c20); c21 = Vector256.FusedMultiplyAdd(av, b1, c21);
                av = Vector256.Create(a3[o + TStep.Step]);
                c30 = Vector256.FusedMultiplyAdd(av, b0, c30); c31 = Vector256.FusedMultiplyAdd(av, b1, c31);
                av = Vector256.Create(a4[o + TStep.Step]);
                c40 = Vector256.FusedMultiplyAdd(av, b0, c40); c41 = Vector256.FusedMultiplyAdd(av, b1, c41);
                av = Vector256.Create(a5[o + TStep.Step]);
                c50 = Vector256.FusedMultiplyAdd(av, b0, c50); c51 = Vector256.FusedMultiplyAdd(av, b1, c51);
                if (THeight.Rows > 6)
                {
                    av = Vector256.Create(a6[o + TStep.Step]);
                    c60 = Vector256.FusedMultiplyAdd(av, b0, c60); c61 = Vector256.FusedMultiplyAdd(av, b1, c61);
                }
            }
            if (o < end)
            {
                Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
                Vector256<float> av = Vector256.Create(a0[o]);
                c00 = Vector256.FusedMultiplyAdd(av, b0, c00); c01 = Vector256.FusedMultiplyAdd(av, b1, c01);
                av = Vector256.Create(a1[o]);
                c10 = Vector256.FusedMultiplyAdd(av, b0, c10); c11 = Vector256.FusedMultiplyAdd(av, b1, c11);
                av = Vector256.Create(a2[o]);
                c20 = Vector256.FusedMultiplyAdd(av, b0, c20); c21 = Vector256.FusedMultiplyAdd(av, b1, c21);
                av = Vector256.Create(a3[o]);
                c30 = Vector256.FusedMultiplyAdd(av, b0, c30); c31 = Vector256.FusedMultiplyAdd(av, b1, c31);
                av = Vector256.Create(a4[o]);
                c40 = Vector256.FusedMultiplyAdd(av, b0, c40); c41 = Vector256.FusedMultiplyAdd(av, b1, c41);
                av = Vector256.Create(a5[o]);
                c50 = Vector256.FusedMultiplyAdd(av, b0, c50); c51 = Vector256.FusedMultiplyAdd(av, b1, c51);
                if (THeight.Rows > 6)
                {
                    av = Vector256.Create(a6[o]);
                    c60 = Vector256.FusedMultiplyAdd(av, b0, c60); c61 = Vector256.FusedMultiplyAdd(av, b1, c61);
                }
                b += 16;
            }
        }
        Vector256<float> va = Vector256.Create(alpha), vb = Vector256.Create(beta);
        Vector256<float> bias0 = bias != null ? Vector256.Load(bias) : default, bias1 = bias != null ? Vector256.Load(bias + 8) : default;
        Store256(c, c00, va, vb, beta, bias0, relu); Store256(c + 8, c01, va, vb, beta, bias1, relu); c += ldc;
        Store256(c, c10, va, vb, beta, bias0, relu); Store256(c + 8, c11, va, vb, beta, bias1, relu); c += ldc;
        Store256(c, c20, va, vb, beta, bias0, relu); Store256(c + 8, c21, va, vb, beta, bias1, relu); c += ldc;
        Store256(c, c30, va, vb, beta, bias0, relu); Store256(c + 8, c31, va, vb, beta, bias1, relu); c += ldc;
        Store256(c, c40, va, vb, beta, bias0, relu); Store256(c + 8, c41, va, vb, beta, bias1, relu); c += ldc;
        Store256(c, c50, va, vb, beta, bias0, relu); Store256(c + 8, c51, va, vb, beta, bias1, relu);
        if (THeight.Rows > 6)
        {
            c += ldc;
            Store256(c, c60, va, vb, beta, bias0, relu); Store256(c + 8, c61, va, vb, beta, bias1, relu);
        }
    }

    /// <summary>
    /// A panel's rows × 8 with Vector256: the last panel when at most 8 columns remain. Even and odd depth steps go to two sets of
    /// accumulators, added at the end: six chains of dependent multiply-adds alone would leave the FMA units idle half
    /// the time (four cycles' latency, two units).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MicroKernel256Narrow<TStep, THeight>(int runs, float** rows, int* lengths, float* b, float* c, int ldc, float alpha, float beta,
        float* bias, bool relu) where TStep : struct, IRowStep where THeight : struct, IPanelHeight
    {
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector256<float> d0 = default, d1 = default, d2 = default, d3 = default, d4 = default, d5 = default;
        Vector256<float> c6 = default, d6 = default;
        for (int run = 0; run < runs; run++, rows += THeight.Rows)
        {
            if (rows[0] == null)
            {
                b += (nint)lengths[run] * 8;
                continue;
            }
            float* a0 = rows[0], a1 = rows[1], a2 = rows[2], a3 = rows[3], a4 = rows[4], a5 = rows[5];
            float* a6 = THeight.Rows > 6 ? rows[6] : null;
            nint end = (nint)lengths[run] * TStep.Step, o = 0;
            for (; o + 2 * TStep.Step <= end; o += 2 * TStep.Step, b += 16)
            {
                Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
                c0 = Vector256.FusedMultiplyAdd(Vector256.Create(a0[o]), b0, c0);
                c1 = Vector256.FusedMultiplyAdd(Vector256.Create(a1[o]), b0, c1);
                c2 = Vector256.FusedMultiplyAdd(Vector256.Create(a2[o]), b0, c2);
                c3 = Vector256.FusedMultiplyAdd(Vector256.Create(a3[o]), b0, c3);
                c4 = Vector256.FusedMultiplyAdd(Vector256.Create(a4[o]), b0, c4);
                c5 = Vector256.FusedMultiplyAdd(Vector256.Create(a5[o]), b0, c5);
                if (THeight.Rows > 6) c6 = Vector256.FusedMultiplyAdd(Vector256.Create(a6[o]), b0, c6);
                d0 = Vector256.FusedMultiplyAdd(Vector256.Create(a0[o + TStep.Step]), b1, d0);
                d1 = Vector256.FusedMultiplyAdd(Vector256.Create(a1[o + TStep.Step]), b1, d1);
                d2 = Vector256.FusedMultiplyAdd(Vector256.Create(a2[o + TStep.Step]), b1, d2);
                d3 = Vector256.FusedMultiplyAdd(Vector256.Create(a3[o + TStep.Step]), b1, d3);
                d4 = Vector256.FusedMultiplyAdd(Vector256.Create(a4[o + TStep.Step]), b1, d4);
                d5 = Vector256.FusedMultiplyAdd(Vector256.Create(a5[o + TStep.Step]), b1, d5);
                if (THeight.Rows > 6) d6 = Vector256.FusedMultiplyAdd(Vector256.Create(a6[o + TStep.Step]), b1, d6);
            }
            if (o < end)
            {
                Vector256<float> b0 = Vector256.Load(b);
                c0 = Vector256.FusedMultiplyAdd(Vector256.Create(a0[o]), b0, c0);
                c1 = Vector256.FusedMultiplyAdd(Vector256.Create(a1[o]), b0, c1);
                c2 = Vector256.FusedMultiplyAdd(Vector256.Create(a2[o]), b0, c2);
                c3 = Vector256.FusedMultiplyAdd(Vector256.Create(a3[o]), b0, c3);
                c4 = Vector256.FusedMultiplyAdd(Vector256.Create(a4[o]), b0, c4);
                c5 = Vector256.FusedMultiplyAdd(Vector256.Create(a5[o]), b0, c5);
                if (THeight.Rows > 6) c6 = Vector256.FusedMultiplyAdd(Vector256.Create(a6[o]), b0, c6);
                b += 8;
            }
        }
        Vector256<float> va = Vector256.Create(alpha), vb = Vector256.Create(beta);
        Vector256<float> bias0 = bias != null ? Vector256.Load(bias) : default;
        Store256(c, c0 + d0, va, vb, beta, bias0, relu); c += ldc;
        Store256(c, c1 + d1, va, vb, beta, bias0, relu); c += ldc;
        Store256(c, c2 + d2, va, vb, beta, bias0, relu); c += ldc;
        Store256(c, c3 + d3, va, vb, beta, bias0, relu); c += ldc;
        Store256(c, c4 + d4, va, vb, beta, bias0, relu); c += ldc;
        Store256(c, c5 + d5, va, vb, beta, bias0, relu);
        if (THeight.Rows > 6) Store256(c + ldc, c6 + d6, va, vb, beta, bias0, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store256(float* c, Vector256<float> x, Vector256<float> va, Vector256<float> vb, float beta, Vector256<float> bias, bool relu)
    {
        x *= va;
        if (beta != 0f) x = Vector256.FusedMultiplyAdd(vb, Vector256.Load(c), x);
        x += bias;
        if (relu) x = Vector256.Max(x, Vector256<float>.Zero);
        x.Store(c);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MicroKernelScalar<TStep, THeight>(int runs, float** rows, int* lengths, float* b, float* c, int ldc, float alpha, float beta,
        float* bias, bool relu, int nr) where TStep : struct, IRowStep where THeight : struct, IPanelHeight
    {
        float* acc = stackalloc float[MaxPanelRows * 32];
        new Span<float>(acc, THeight.Rows * nr).Clear();
        for (int run = 0; run < runs; run++, rows += THeight.Rows)
        {
            if (rows[0] == null)
            {
                b += (nint)lengths[run] * nr;
                continue;
            }
            for (int p = 0; p < lengths[run]; p++, b += nr)
                for (int i = 0; i < THeight.Rows; i++)
                {
                    float av = rows[i][(nint)p * TStep.Step];
                    for (int j = 0; j < nr; j++) acc[i * nr + j] = MathF.FusedMultiplyAdd(av, b[j], acc[i * nr + j]);
                }
        }
        for (int i = 0; i < THeight.Rows; i++)
            for (int j = 0; j < nr; j++)
            {
                float v = alpha * acc[i * nr + j];
                if (beta != 0f) v = MathF.FusedMultiplyAdd(beta, c[(long)i * ldc + j], v);
                if (bias != null) v += bias[j];
                if (relu) v = MathF.Max(v, 0f);
                c[(long)i * ldc + j] = v;
            }
    }
}
