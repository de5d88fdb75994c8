using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WebNN.Cpu;

/// <summary>
/// Buffers whose first byte starts a cache line. A kernel's vector loads and stores then never straddle two lines, and
/// threads that write neighbouring column blocks of one matrix (whole lines each) never share a line.
/// </summary>
internal static class AlignedMemory
{
    /// <summary>Bytes per cache line.</summary>
    public const int CacheLine = 64;

    /// <summary>
    /// <paramref name="byteLength"/> bytes on the pinned object heap (they never move), from a cache line boundary;
    /// zeroed when <paramref name="zeroed"/>.
    /// </summary>
    public static unsafe Memory<byte> Allocate(long byteLength, bool zeroed)
    {
        int length = checked((int)byteLength);
        byte[] array = zeroed
            ? GC.AllocateArray<byte>(checked(length + CacheLine - 1), pinned: true)
            : GC.AllocateUninitializedArray<byte>(checked(length + CacheLine - 1), pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        int offset = (int)(-address & (CacheLine - 1));
        return array.AsMemory(offset, length);
    }
}
