namespace WebNN.Cpu.Kernels;

/// <summary>Splits work across the cores only when it is large enough to pay for the hand-off.</summary>
internal static class Parallelism
{
    /// <summary>Below this many elements (or multiply-adds) of work, kernels stay on the calling thread.</summary>
    public const long MinimumParallelWork = 1 << 16;

    /// <summary>
    /// How many threads a kernel runs on: <c>WEBNN_CPU_THREADS</c> when the process sets it (read once, like
    /// <c>OMP_NUM_THREADS</c>), else every logical core.
    /// </summary>
    public static int Threads { get; } = ReadThreads();

    private static readonly ParallelOptions Options = new() { MaxDegreeOfParallelism = Threads };

    /// <summary>
    /// Runs <paramref name="body"/> over [0, <paramref name="count"/>) in contiguous chunks, in parallel
    /// when <paramref name="workPerItem"/> × count is large, else inline.
    /// </summary>
    public static void For(int count, long workPerItem, Action<int, int> body)
    {
        long totalWork = count * Math.Max(1, workPerItem);
        int chunks = totalWork < MinimumParallelWork ? 1 : Math.Min(count, Threads * 4);
        if (chunks <= 1)
        {
            body(0, count);
            return;
        }
        Parallel.For(0, chunks, Options, chunk =>
        {
            int start = (int)((long)count * chunk / chunks);
            int end = (int)((long)count * (chunk + 1) / chunks);
            body(start, end);
        });
    }

    /// <summary>Runs <paramref name="body"/>(i) for every i in [0, <paramref name="count"/>): on <see cref="Threads"/> threads when <paramref name="split"/>, else inline in order.</summary>
    public static void ForEach(int count, bool split, Action<int> body)
    {
        if (split && count > 1 && Threads > 1)
        {
            Parallel.For(0, count, Options, body);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            body(i);
        }
    }

    private static int ReadThreads() =>
        int.TryParse(Environment.GetEnvironmentVariable("WEBNN_CPU_THREADS"), out int threads) && threads > 0
            ? threads
            : Environment.ProcessorCount;
}
