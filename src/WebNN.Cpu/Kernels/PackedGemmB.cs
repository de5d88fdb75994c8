using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WebNN.Cpu.Kernels;

/// <summary>
/// The right operand op(B) [k×n] of <see cref="Gemm"/>, packed once (a constant's at build) into the column panels
/// the micro-kernel reads: panel j holds rows 0..k of columns [j·NR, j·NR + NR) (a last panel of at most NR/2 columns
/// is NR/2 wide), zero past n, so no product that uses it packs B again.
/// </summary>
internal sealed class PackedGemmB
{
    /// <summary>Packs op(B): B stored [k×n] with row stride <paramref name="ldb"/>, or [n×k] when <paramref name="transB"/>.</summary>
    public unsafe PackedGemmB(ReadOnlySpan<float> b, int k, int n, int ldb, bool transB)
    {
        K = k;
        N = n;
        _buffer = GC.AllocateUninitializedArray<float>(checked((int)Gemm.PackedLength(k, n) + Gemm.PanelAlignmentSlack), pinned: true);
        // On the pinned object heap the buffer never moves, so a pointer into it stays valid for its lifetime.
        Panels = Gemm.AlignPanels((float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffer)));
        fixed (float* source = b)
        {
            Gemm.PackB(source, ldb, transB, k, n, Panels, parallel: false);
        }
    }

    /// <summary>Holds the panels, which start at its first cache line boundary.</summary>
    private readonly float[] _buffer;

    /// <summary>Rows of op(B).</summary>
    public int K { get; }

    /// <summary>Columns of op(B).</summary>
    public int N { get; }

    /// <summary>The panels, one after another, from a cache line boundary.</summary>
    public unsafe float* Panels { get; }
}
