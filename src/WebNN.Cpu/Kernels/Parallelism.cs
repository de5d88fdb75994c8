namespace WebNN.Cpu.Kernels;

/// <summary>Splits work across the cores only when it is large enough to pay for the hand-off.</summary>
internal static class Parallelism
{
    /// <summary>Below this many elements (or multiply-adds) of work, kernels stay on the calling thread.</summary>
    public const long MinimumParallelWork = 1 << 16;

    /// <summary>
    /// Runs <paramref name="body"/> over [0, <paramref name="count"/>) in contiguous chunks, in parallel
    /// when <paramref name="workPerItem"/> × count is large, else inline.
    /// </summary>
    public static void For(int count, long workPerItem, Action<int, int> body)
    {
        long totalWork = count * Math.Max(1, workPerItem);
        int chunks = totalWork < MinimumParallelWork ? 1 : Math.Min(count, Environment.ProcessorCount * 4);
        if (chunks <= 1)
        {
            body(0, count);
            return;
        }
        Parallel.For(0, chunks, chunk =>
        {
            int start = (int)((long)count * chunk / chunks);
            int end = (int)((long)count * (chunk + 1) / chunks);
            body(start, end);
        });
    }
}
