using System.Runtime.InteropServices;

namespace WebNN.Cpu.Kernels;

/// <summary>
/// Matrix products on the convolution kernel's register-tiled micro-kernel: C[M, N] = A[M, K] · B[K, N]
/// is a 1×1 convolution of M pixels with K channels into N channels, with B packed as the filter.
/// </summary>
internal static class GemmKernel
{
    /// <summary>The convolution geometry of an M×K by K×N product.</summary>
    public static Conv2dGeometry Geometry(int m, int k, int n) => new(1, 1, m, k, 1, m, n, 1, 1, 1, 0, 0, 1, 1, 1, 1);

    /// <summary>The length of B packed by <see cref="PackB"/>.</summary>
    public static int PackedLength(int k, int n) => Conv2dKernel.PackedFilterLength(Geometry(1, k, n));

    /// <summary>Packs B, given as [K, N] or (transposed) as [N, K].</summary>
    public static void PackB(ReadOnlySpan<float> b, int k, int n, bool transposed, Span<float> packed) =>
        Conv2dKernel.PackFilter(b, transposed ? MLConv2dFilterOperandLayout.Ohwi : MLConv2dFilterOperandLayout.Ihwo, Geometry(1, k, n), packed);

    /// <summary>C = A · B (+ bias per column when given), with A row-major [M, K] and B from <see cref="PackB"/>.</summary>
    public static void Multiply(ReadOnlySpan<float> a, int m, int k, ReadOnlySpan<float> packedB, int n, ReadOnlySpan<float> columnBias, Span<float> c) =>
        Conv2dKernel.Run(a, packedB, columnBias, c, Geometry(m, k, n), Conv2dEpilogue.None);
}
