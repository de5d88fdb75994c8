using System.Buffers;

namespace WebNN.Cpu.Kernels;

/// <summary>
/// The CPU kernels' scratch arrays (packed operands, images in the other layout, offsets): pools that keep what
/// they are given back for the life of the process. <see cref="ArrayPool{T}.Shared"/> drops arrays at a full garbage
/// collection once they have sat in it for a while, and the next rent then allocates; these pools never trim, so a warm
/// Dispatch allocates nothing however long the process has run. The price is MLAS's: the largest scratch a graph took
/// stays in memory after it.
/// </summary>
internal static class KernelScratch
{
    /// <summary>The longest array kept (longer ones are allocated and dropped).</summary>
    private const int MaxArrayLength = 1 << 30;

    /// <summary>Arrays kept per size: every thread of a range may hold a few kinds at once.</summary>
    private static readonly int ArraysPerSize = 4 * Parallelism.Threads + 8;

    public static ArrayPool<float> Floats { get; } = ArrayPool<float>.Create(MaxArrayLength, ArraysPerSize);

    public static ArrayPool<int> Ints { get; } = ArrayPool<int>.Create(MaxArrayLength, ArraysPerSize);
}
