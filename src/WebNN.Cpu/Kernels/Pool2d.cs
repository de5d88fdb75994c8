using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WebNN.Cpu.Kernels;

/// <summary>Which reduction a 2-D pooling applies over its window.</summary>
internal enum Pool2dKind
{
    /// <summary>Mean of the window elements that lie inside the input (padding is not counted).</summary>
    Average,
    /// <summary>Maximum of the window elements inside the input (padding acts as −∞).</summary>
    Max,
    /// <summary>sqrt(Σ x²) over the window elements inside the input (padding contributes 0).</summary>
    L2,
}

/// <summary>
/// averagePool2d / maxPool2d / l2Pool2d. NHWC runs vectorized over channels per output pixel; NCHW runs per plane.
/// Average divides by the number of window positions that fall inside the input (padding excluded, as the
/// WebNN implementations in Chromium do; the spec leaves it unstated), unless <c>countPadding</c> is set.
/// A window entirely in padding yields 0 for average and L2, −∞ for max (on integers, <see cref="MaxInteger"/>: the type's minimum).
/// </summary>
internal static class Pool2d
{
    /// <param name="kind">Average, Max or L2.</param>
    /// <param name="input">4-D input in <paramref name="layout"/>.</param>
    /// <param name="inputShape">[N,C,H,W] or [N,H,W,C].</param>
    /// <param name="layout">Layout of input and output.</param>
    /// <param name="output">4-D output in <paramref name="layout"/>.</param>
    /// <param name="outputShape">[N,C,OH,OW] or [N,OH,OW,C] (already resolved from outputSizes / rounding).</param>
    /// <param name="windowDimensions">[windowH, windowW].</param>
    /// <param name="padding">[beginH, endH, beginW, endW].</param>
    /// <param name="strides">[strideH, strideW].</param>
    /// <param name="dilations">[dilationH, dilationW].</param>
    /// <param name="countPadding">Average only: divide by the full window size instead of the valid count.</param>
    public static void Compute(Pool2dKind kind,
        ReadOnlySpan<float> input, ReadOnlySpan<int> inputShape, MLInputOperandLayout layout,
        Span<float> output, ReadOnlySpan<int> outputShape,
        ReadOnlySpan<int> windowDimensions, ReadOnlySpan<int> padding, ReadOnlySpan<int> strides, ReadOnlySpan<int> dilations,
        bool countPadding = false)
    {
        bool nchw = layout == MLInputOperandLayout.Nchw;
        var p = new P(kind, inputShape[0],
            nchw ? inputShape[1] : inputShape[3], nchw ? inputShape[2] : inputShape[1], nchw ? inputShape[3] : inputShape[2],
            nchw ? outputShape[2] : outputShape[1], nchw ? outputShape[3] : outputShape[2],
            windowDimensions[0], windowDimensions[1], padding[0], padding[2], strides[0], strides[1], dilations[0], dilations[1], countPadding);
        int rows = nchw ? p.N * p.C : p.N * p.OH;
        long work = (long)p.N * p.C * p.OH * p.OW * p.KH * p.KW;
        unsafe
        {
            fixed (float* pi = input, po = output)
            {
                Parallelism.For(rows, work >= (1 << 17), new Rows(p, nchw, pi, po));
            }
        }
    }

    /// <summary>Rows [start, end): planes (n, c) in NCHW, output rows (n, oy) in NHWC.</summary>
    private readonly unsafe struct Rows(P p, bool nchw, float* input, float* output) : IParallelRange
    {
        public void Run(int start, int end)
        {
            for (int r = start; r < end; r++)
            {
                if (nchw) Plane(p, input + (long)r * p.H * p.W, output + (long)r * p.OH * p.OW);
                else NhwcRow(p, input, output, r / p.OH, r % p.OH);
            }
        }
    }

    private readonly record struct P(Pool2dKind Kind, int N, int C, int H, int W, int OH, int OW, int KH, int KW,
        int PadTop, int PadLeft, int SH, int SW, int DH, int DW, bool CountPadding);

    private static float Finish(in P p, float acc, int count) => p.Kind switch
    {
        Pool2dKind.Average => count == 0 ? 0f : acc / (p.CountPadding ? p.KH * p.KW : count),
        Pool2dKind.L2 => MathF.Sqrt(acc),
        _ => acc,
    };

    /// <summary>
    /// One NCHW plane: per output pixel, the window's rows and columns inside the input, then one pass over them; the
    /// columns whose windows lie wholly inside the row, 8 at a time in vectors (at strides 1 and 2).
    /// </summary>
    private static unsafe void Plane(in P p, float* x, float* y)
    {
        switch (p.Kind)
        {
            case Pool2dKind.Max: Plane<MaxWindow>(p, x, y); break;
            case Pool2dKind.L2: Plane<SquareSumWindow>(p, x, y); break;
            default: Plane<SumWindow>(p, x, y); break;
        }
    }

    // Optimized at first call, like the other kernels.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Plane<TWindow>(in P p, float* x, float* y) where TWindow : struct, IWindowReduction
    {
        // The parameters as locals: p is a reference the stores through y might alias, so its fields would be re-read.
        int h = p.H, w = p.W, oh = p.OH, ow = p.OW, kh = p.KH, kw = p.KW, dilationH = p.DH, dilationW = p.DW, strideW = p.SW, padLeft = p.PadLeft;
        // Output columns [vectorBegin, vectorEnd) read only inside the row, the 2-vector loads of stride 2 included.
        int vectorBegin = 0, vectorEnd = 0;
        if (Avx2.IsSupported && strideW <= 2)
        {
            int reach = (kw - 1) * dilationW + strideW - 1, last = w - 1 - reach + padLeft;
            vectorBegin = Math.Min(ow, (padLeft + strideW - 1) / strideW);
            vectorEnd = last < 0 ? 0 : Math.Min(ow, last / strideW + 1);
        }
        for (int oy = 0; oy < oh; oy++)
        {
            int iyFirst = oy * p.SH - p.PadTop;
            var (kyBegin, kyEnd) = TapsInside(iyFirst, h, kh, dilationH);
            float* yRow = y + (long)oy * ow;
            int ox = 0;
            for (; ox < vectorBegin; ox++) yRow[ox] = Pixel<TWindow>(p, x, iyFirst, kyBegin, kyEnd, ox);
            if (kyEnd > kyBegin)
            {
                float divisor = p.CountPadding ? kh * kw : (kyEnd - kyBegin) * kw;
                for (; ox + 8 <= vectorEnd; ox += 8)
                {
                    var acc = Vector256.Create(TWindow.Initial);
                    for (int ky = kyBegin; ky < kyEnd; ky++)
                    {
                        float* row = x + (long)(iyFirst + ky * dilationH) * w + ox * strideW - padLeft;
                        for (int kx = 0; kx < kw; kx++)
                        {
                            float* first = row + kx * dilationW;
                            acc = TWindow.Accumulate(acc, strideW == 1 ? Vector256.Load(first) : EvenLanes(first));
                        }
                    }
                    TWindow.Finish(acc, divisor).Store(yRow + ox);
                }
            }
            for (; ox < ow; ox++) yRow[ox] = Pixel<TWindow>(p, x, iyFirst, kyBegin, kyEnd, ox);
        }
    }

    /// <summary>Output pixel <paramref name="ox"/> of the row whose window rows [kyBegin, kyEnd) lie inside the input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe float Pixel<TWindow>(in P p, float* x, int iyFirst, int kyBegin, int kyEnd, int ox) where TWindow : struct, IWindowReduction
    {
        int ixFirst = ox * p.SW - p.PadLeft, w = p.W, dilationW = p.DW;
        var (kxBegin, kxEnd) = TapsInside(ixFirst, w, p.KW, dilationW);
        float acc = TWindow.Initial;
        for (int ky = kyBegin; ky < kyEnd; ky++)
        {
            float* row = x + (long)(iyFirst + ky * p.DH) * w + ixFirst;
            for (int kx = kxBegin; kx < kxEnd; kx++) acc = TWindow.Accumulate(acc, row[kx * dilationW]);
        }
        return Finish(p, acc, Math.Max(0, kyEnd - kyBegin) * Math.Max(0, kxEnd - kxBegin));
    }

    /// <summary>first[0], first[2], …, first[14]: 8 values at stride 2 from two loads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<float> EvenLanes(float* first)
    {
        // [0 2 8 10 | 4 6 12 14], then its 64-bit lanes in the order 0 2 1 3.
        var pairs = Avx.Shuffle(Avx.LoadVector256(first), Avx.LoadVector256(first + 8), 0b10_00_10_00);
        return Avx2.Permute4x64(pairs.AsDouble(), 0b11_01_10_00).AsSingle();
    }

    /// <summary>
    /// The taps [begin, end) of a window of <paramref name="taps"/> that starts at <paramref name="first"/> and whose taps
    /// lie inside [0, <paramref name="size"/>); begin ≥ end when none does. Divides only for a dilation above 1 (a
    /// division per output pixel would cost more than the window).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Begin, int End) TapsInside(int first, int size, int taps, int dilation)
    {
        if (dilation == 1) return (Math.Max(0, -first), Math.Min(taps, size - first));
        int begin = first >= 0 ? 0 : (-first + dilation - 1) / dilation;
        return (begin, Math.Min(taps, first >= size ? 0 : (size - 1 - first) / dilation + 1));
    }

    /// <summary>How a window's values combine: from <see cref="Initial"/>, one value (or 8 windows' values) at a time.</summary>
    private interface IWindowReduction
    {
        static abstract float Initial { get; }

        static abstract float Accumulate(float acc, float value);

        static abstract Vector256<float> Accumulate(Vector256<float> acc, Vector256<float> values);

        /// <summary>8 windows' results from their accumulators, each over <paramref name="divisor"/> values (for the average).</summary>
        static abstract Vector256<float> Finish(Vector256<float> acc, float divisor);
    }

    private readonly struct MaxWindow : IWindowReduction
    {
        public static float Initial => float.NegativeInfinity;

        public static float Accumulate(float acc, float value) => MathF.Max(acc, value);

        // Vector256.Max propagates NaN like MathF.Max.
        public static Vector256<float> Accumulate(Vector256<float> acc, Vector256<float> values) => Vector256.Max(acc, values);

        public static Vector256<float> Finish(Vector256<float> acc, float divisor) => acc;
    }

    private readonly struct SumWindow : IWindowReduction
    {
        public static float Initial => 0f;

        public static float Accumulate(float acc, float value) => acc + value;

        public static Vector256<float> Accumulate(Vector256<float> acc, Vector256<float> values) => acc + values;

        public static Vector256<float> Finish(Vector256<float> acc, float divisor) => acc / Vector256.Create(divisor);
    }

    private readonly struct SquareSumWindow : IWindowReduction
    {
        public static float Initial => 0f;

        public static float Accumulate(float acc, float value) => MathF.FusedMultiplyAdd(value, value, acc);

        public static Vector256<float> Accumulate(Vector256<float> acc, Vector256<float> values) => Vector256.FusedMultiplyAdd(values, values, acc);

        public static Vector256<float> Finish(Vector256<float> acc, float divisor) => Vector256.Sqrt(acc);
    }

    /// <summary>
    /// One NHWC output row: per output pixel, channels four vectors (then one, then one at a time) at a time reduce
    /// every tap of the window inside the input in registers and are stored once.
    /// </summary>
    private static unsafe void NhwcRow(in P p, float* x, float* y, int b, int oy)
    {
        switch (p.Kind)
        {
            case Pool2dKind.Max: NhwcRow<MaxWindow>(p, x, y, b, oy); break;
            case Pool2dKind.L2: NhwcRow<SquareSumWindow>(p, x, y, b, oy); break;
            default: NhwcRow<SumWindow>(p, x, y, b, oy); break;
        }
    }

    // Optimized at first call, like the other kernels.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void NhwcRow<TWindow>(in P p, float* x, float* y, int b, int oy) where TWindow : struct, IWindowReduction
    {
        // The parameters as locals: p is a reference the stores through y might alias, so its fields would be re-read.
        int w = p.W, c = p.C, ow = p.OW, dilationH = p.DH, dilationW = p.DW, width = Vector256<float>.Count;
        int iyFirst = oy * p.SH - p.PadTop;
        var (kyBegin, kyEnd) = TapsInside(iyFirst, p.H, p.KH, dilationH);
        float* image = x + (long)b * p.H * w * c, yRow = y + ((long)b * p.OH + oy) * ow * c;
        long rowStep = (long)dilationH * w * c, tapStep = (long)dilationW * c;
        for (int ox = 0; ox < ow; ox++)
        {
            int ixFirst = ox * p.SW - p.PadLeft;
            var (kxBegin, kxEnd) = TapsInside(ixFirst, w, p.KW, dilationW);
            int count = Math.Max(0, kyEnd - kyBegin) * Math.Max(0, kxEnd - kxBegin);
            float divisor = p.CountPadding ? p.KH * p.KW : count;
            // The window's first tap inside the input, channel 0.
            float* first = image + ((long)(iyFirst + kyBegin * dilationH) * w + ixFirst + kxBegin * dilationW) * c;
            float* pixel = yRow + (long)ox * c;
            int ch = 0;
            // A window wholly in the padding goes through Finish one channel at a time (an empty average is 0).
            if (count > 0)
            {
                for (; ch + 4 * width <= c; ch += 4 * width)
                {
                    Vector256<float> acc0 = Vector256.Create(TWindow.Initial), acc1 = acc0, acc2 = acc0, acc3 = acc0;
                    float* row = first + ch;
                    for (int ky = kyBegin; ky < kyEnd; ky++, row += rowStep)
                    {
                        float* tap = row;
                        for (int kx = kxBegin; kx < kxEnd; kx++, tap += tapStep)
                        {
                            acc0 = TWindow.Accumulate(acc0, Vector256.Load(tap));
                            acc1 = TWindow.Accumulate(acc1, Vector256.Load(tap + width));
                            acc2 = TWindow.Accumulate(acc2, Vector256.Load(tap + 2 * width));
                            acc3 = TWindow.Accumulate(acc3, Vector256.Load(tap + 3 * width));
                        }
                    }
                    TWindow.Finish(acc0, divisor).Store(pixel + ch);
                    TWindow.Finish(acc1, divisor).Store(pixel + ch + width);
                    TWindow.Finish(acc2, divisor).Store(pixel + ch + 2 * width);
                    TWindow.Finish(acc3, divisor).Store(pixel + ch + 3 * width);
                }
                for (; ch + width <= c; ch += width)
                {
                    var acc = Vector256.Create(TWindow.Initial);
                    float* row = first + ch;
                    for (int ky = kyBegin; ky < kyEnd; ky++, row += rowStep)
                    {
                        float* tap = row;
                        for (int kx = kxBegin; kx < kxEnd; kx++, tap += tapStep) acc = TWindow.Accumulate(acc, Vector256.Load(tap));
                    }
                    TWindow.Finish(acc, divisor).Store(pixel + ch);
                }
            }
            for (; ch < c; ch++)
            {
                float acc = TWindow.Initial;
                float* row = first + ch;
                for (int ky = kyBegin; ky < kyEnd; ky++, row += rowStep)
                {
                    float* tap = row;
                    for (int kx = kxBegin; kx < kxEnd; kx++, tap += tapStep) acc = TWindow.Accumulate(acc, *tap);
                }
                pixel[ch] = Finish(p, acc, count);
            }
        }
    }

    /// <summary>maxPool2d on an integer type, in either layout (arguments as for <see cref="Compute"/>); exact, one element at a time.</summary>
    public static void MaxInteger<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> inputShape, MLInputOperandLayout layout, Span<T> output, ReadOnlySpan<int> outputShape,
        ReadOnlySpan<int> windowDimensions, ReadOnlySpan<int> padding, ReadOnlySpan<int> strides, ReadOnlySpan<int> dilations)
        where T : INumber<T>, IMinMaxValue<T>
    {
        bool nchw = layout == MLInputOperandLayout.Nchw;
        int n = inputShape[0], c = nchw ? inputShape[1] : inputShape[3], h = nchw ? inputShape[2] : inputShape[1], w = nchw ? inputShape[3] : inputShape[2];
        int oh = nchw ? outputShape[2] : outputShape[1], ow = nchw ? outputShape[3] : outputShape[2];
        // Element strides of the batch, channel, row and column axes.
        var (sn, sc, sh, sw) = nchw ? (c * h * w, h * w, w, 1) : (h * w * c, 1, w * c, c);
        var (osn, osc, osh, osw) = nchw ? (c * oh * ow, oh * ow, ow, 1) : (oh * ow * c, 1, ow * c, c);
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        T acc = T.MinValue;
                        for (int ky = 0; ky < windowDimensions[0]; ky++)
                        {
                            int iy = oy * strides[0] - padding[0] + ky * dilations[0];
                            if ((uint)iy >= (uint)h) continue;
                            for (int kx = 0; kx < windowDimensions[1]; kx++)
                            {
                                int ix = ox * strides[1] - padding[2] + kx * dilations[1];
                                if ((uint)ix >= (uint)w) continue;
                                acc = T.Max(acc, input[b * sn + ch * sc + iy * sh + ix * sw]);
                            }
                        }
                        output[b * osn + ch * osc + oy * osh + ox * osw] = acc;
                    }
    }
}
