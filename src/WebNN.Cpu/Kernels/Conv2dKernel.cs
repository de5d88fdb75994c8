using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace WebNN.Cpu.Kernels;

/// <summary>The geometry of one conv2d: sizes in NHWC terms, padding, strides, dilations, groups.</summary>
internal readonly record struct Conv2dGeometry(
    int Batches, int InputHeight, int InputWidth, int InputChannels,
    int OutputHeight, int OutputWidth, int OutputChannels,
    int FilterHeight, int FilterWidth, int Groups,
    int PadTop, int PadLeft, int StrideHeight, int StrideWidth, int DilationHeight, int DilationWidth)
{
    public int InputChannelsPerGroup => InputChannels / Groups;

    public int OutputChannelsPerGroup => OutputChannels / Groups;
}

/// <summary>Bounds every output value is clamped to as it is stored: relu and clamp fused into the convolution.</summary>
internal readonly record struct Conv2dEpilogue(float Min, float Max)
{
    /// <summary>No clamping.</summary>
    public static readonly Conv2dEpilogue None = new(float.NegativeInfinity, float.PositiveInfinity);
}

/// <summary>
/// Direct 2-D convolution on NHWC float32 data with a filter packed once into blocks of
/// <see cref="Block"/> output channels ([group][block][kh][kw][cin][16]). The inner loop keeps a tile of
/// 4 output pixels × 16 output channels in eight 256-bit accumulators and streams the packed filter,
/// so every loaded filter vector feeds four fused multiply-adds. Rows of the output run in parallel.
/// </summary>
internal static class Conv2dKernel
{
    /// <summary>Output channels per packed block (two 256-bit vectors).</summary>
    public const int Block = 16;

    private const int PixelTile = 4;

    /// <summary>Output pixels per work item (a multiple of the pixel tile).</summary>
    private const int RowSegment = 64;

    /// <summary>The length of a packed filter: output channels per group rounded up to whole blocks.</summary>
    public static int PackedFilterLength(in Conv2dGeometry g) =>
        g.Groups * ((g.OutputChannelsPerGroup + Block - 1) / Block) * g.FilterHeight * g.FilterWidth * g.InputChannelsPerGroup * Block;

    /// <summary>Packs a filter given in <paramref name="layout"/> into <paramref name="packed"/> (<see cref="PackedFilterLength"/> long) for <see cref="Run"/>.</summary>
    public static void PackFilter(ReadOnlySpan<float> filter, MLConv2dFilterOperandLayout layout, in Conv2dGeometry g, Span<float> packed)
    {
        int cin = g.InputChannelsPerGroup, coutPerGroup = g.OutputChannelsPerGroup, kh = g.FilterHeight, kw = g.FilterWidth;
        int blocks = (coutPerGroup + Block - 1) / Block;
        packed.Clear();
        for (int group = 0; group < g.Groups; group++)
        {
            for (int o = 0; o < coutPerGroup; o++)
            {
                int outputChannel = group * coutPerGroup + o;
                int block = o / Block, lane = o % Block;
                for (int y = 0; y < kh; y++)
                {
                    for (int x = 0; x < kw; x++)
                    {
                        for (int i = 0; i < cin; i++)
                        {
                            int source = layout switch
                            {
                                MLConv2dFilterOperandLayout.Oihw => ((outputChannel * cin + i) * kh + y) * kw + x,
                                MLConv2dFilterOperandLayout.Hwio => ((y * kw + x) * cin + i) * g.OutputChannels + outputChannel,
                                MLConv2dFilterOperandLayout.Ohwi => ((outputChannel * kh + y) * kw + x) * cin + i,
                                MLConv2dFilterOperandLayout.Ihwo => ((i * kh + y) * kw + x) * g.OutputChannels + outputChannel,
                                _ => throw new ArgumentOutOfRangeException(nameof(layout)),
                            };
                            int target = (((((group * blocks + block) * kh + y) * kw + x) * cin) + i) * Block + lane;
                            packed[target] = filter[source];
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// output[n, oh, ow, co] = bias[co] + Σ input[n, ih, iw, ci] · filter[co, kh, kw, ci] over the window,
    /// NHWC in and out, with a filter from <see cref="PackFilter"/>. <paramref name="bias"/> may be empty.
    /// </summary>
    public static unsafe void Run(ReadOnlySpan<float> input, ReadOnlySpan<float> packedFilter, ReadOnlySpan<float> bias, Span<float> output, Conv2dGeometry g, Conv2dEpilogue epilogue)
    {
        fixed (float* inputPointer = input, filterPointer = packedFilter, biasPointer = bias, outputPointer = output)
        {
            var pointers = (Input: (nint)inputPointer, Filter: (nint)filterPointer, Bias: bias.IsEmpty ? 0 : (nint)biasPointer, Output: (nint)outputPointer);
            // Work items are segments of output rows, so that a single tall row (a matrix product) still spreads over the cores.
            int segments = (g.OutputWidth + RowSegment - 1) / RowSegment;
            long workPerItem = (long)Math.Min(RowSegment, g.OutputWidth) * g.OutputChannels * g.FilterHeight * g.FilterWidth * g.InputChannelsPerGroup;
            Parallelism.For(g.Batches * g.OutputHeight * segments, workPerItem, (start, end) =>
            {
                for (int item = start; item < end; item++)
                {
                    int row = item / segments, segment = item % segments;
                    int owStart = segment * RowSegment, owEnd = Math.Min(g.OutputWidth, owStart + RowSegment);
                    OutputRow((float*)pointers.Input, (float*)pointers.Filter, (float*)pointers.Bias, (float*)pointers.Output, g, epilogue, row / g.OutputHeight, row % g.OutputHeight, owStart, owEnd);
                }
            });
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void OutputRow(float* input, float* filter, float* bias, float* output, in Conv2dGeometry g, Conv2dEpilogue epilogue, int n, int oh, int owStart, int owEnd)
    {
        int cin = g.InputChannelsPerGroup, coutPerGroup = g.OutputChannelsPerGroup;
        int blocks = (coutPerGroup + Block - 1) / Block;
        int blockStride = g.FilterHeight * g.FilterWidth * cin * Block;
        float* outputRow = output + ((long)n * g.OutputHeight + oh) * g.OutputWidth * g.OutputChannels;
        Span<float> tail = stackalloc float[PixelTile * Block];
        for (int group = 0; group < g.Groups; group++)
        {
            for (int block = 0; block < blocks; block++)
            {
                float* blockFilter = filter + (long)(group * blocks + block) * blockStride;
                int firstChannel = group * coutPerGroup + block * Block;
                int lanes = Math.Min(Block, coutPerGroup - block * Block);
                for (int ow = owStart; ow < owEnd; ow += PixelTile)
                {
                    int pixels = Math.Min(PixelTile, owEnd - ow);
                    Vector256<float> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
                    for (int ky = 0; ky < g.FilterHeight; ky++)
                    {
                        int ih = oh * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                        if ((uint)ih >= (uint)g.InputHeight)
                        {
                            continue;
                        }
                        float* inputRow = input + (((long)n * g.InputHeight + ih) * g.InputWidth) * g.InputChannels + group * cin;
                        for (int kx = 0; kx < g.FilterWidth; kx++)
                        {
                            float* taps = blockFilter + (ky * g.FilterWidth + kx) * cin * Block;
                            float* p0 = PixelInput(inputRow, g, ow, kx, pixels, 0);
                            float* p1 = PixelInput(inputRow, g, ow, kx, pixels, 1);
                            float* p2 = PixelInput(inputRow, g, ow, kx, pixels, 2);
                            float* p3 = PixelInput(inputRow, g, ow, kx, pixels, 3);
                            for (int c = 0; c < cin; c++)
                            {
                                var w0 = Vector256.Load(taps + c * Block);
                                var w1 = Vector256.Load(taps + c * Block + 8);
                                if (p0 != null) { var x = Vector256.Create(p0[c]); a00 = Vector256.FusedMultiplyAdd(x, w0, a00); a01 = Vector256.FusedMultiplyAdd(x, w1, a01); }
                                if (p1 != null) { var x = Vector256.Create(p1[c]); a10 = Vector256.FusedMultiplyAdd(x, w0, a10); a11 = Vector256.FusedMultiplyAdd(x, w1, a11); }
                                if (p2 != null) { var x = Vector256.Create(p2[c]); a20 = Vector256.FusedMultiplyAdd(x, w0, a20); a21 = Vector256.FusedMultiplyAdd(x, w1, a21); }
                                if (p3 != null) { var x = Vector256.Create(p3[c]); a30 = Vector256.FusedMultiplyAdd(x, w0, a30); a31 = Vector256.FusedMultiplyAdd(x, w1, a31); }
                            }
                        }
                    }
                    var b0 = Vector256<float>.Zero;
                    var b1 = Vector256<float>.Zero;
                    if (bias != null)
                    {
                        fixed (float* t = tail)
                        {
                            new ReadOnlySpan<float>(bias + firstChannel, lanes).CopyTo(new Span<float>(t, Block));
                            new Span<float>(t + lanes, Block - lanes).Clear();
                            b0 = Vector256.Load(t);
                            b1 = Vector256.Load(t + 8);
                        }
                    }
                    var low = Vector256.Create(epilogue.Min);
                    var high = Vector256.Create(epilogue.Max);
                    fixed (float* t = tail)
                    {
                        Clamp(a00 + b0, low, high).Store(t); Clamp(a01 + b1, low, high).Store(t + 8);
                        Clamp(a10 + b0, low, high).Store(t + 16); Clamp(a11 + b1, low, high).Store(t + 24);
                        Clamp(a20 + b0, low, high).Store(t + 32); Clamp(a21 + b1, low, high).Store(t + 40);
                        Clamp(a30 + b0, low, high).Store(t + 48); Clamp(a31 + b1, low, high).Store(t + 56);
                        for (int p = 0; p < pixels; p++)
                        {
                            new ReadOnlySpan<float>(t + p * Block, lanes).CopyTo(new Span<float>(outputRow + (long)(ow + p) * g.OutputChannels + firstChannel, lanes));
                        }
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Clamp(Vector256<float> value, Vector256<float> low, Vector256<float> high) =>
        Vector256.Min(Vector256.Max(value, low), high);

    /// <summary>The input channels under output pixel <c>ow + p</c> for filter column <paramref name="kx"/>, or null in the padding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe float* PixelInput(float* inputRow, in Conv2dGeometry g, int ow, int kx, int pixels, int p)
    {
        if (p >= pixels)
        {
            return null;
        }
        int iw = (ow + p) * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
        return (uint)iw < (uint)g.InputWidth ? inputRow + (long)iw * g.InputChannels : null;
    }
}
