using System.Diagnostics;

namespace WebNN.Cli;

/// <summary>The benchmarks' timing: a warm-up that lets the JIT reach its optimized tier, then the median of timed runs.</summary>
internal static class Timing
{
    /// <summary>Runs at least 5 times and for at least half a second.</summary>
    public static void WarmUp(Action run)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < 5 || Stopwatch.GetElapsedTime(start).TotalSeconds < 0.5; i++) run();
    }

    public static double Median(int iterations, Action run)
    {
        var times = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return Median(times);
    }

    /// <summary>Timed runs of each of two things taken turn about in blocks.</summary>
    private const int AlternationBlock = 5;

    /// <summary>
    /// How long a block waits before it starts: ONNX Runtime's idle workers spin for tens of milliseconds after a run
    /// (on 2 cores they take one from whatever runs next); ours for 50 µs.
    /// </summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(100);

    /// <summary>Untimed runs at the start of a block: at least one, and for at least this long (clocks back up, caches refilled).</summary>
    private static readonly TimeSpan BlockWarmUp = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// <paramref name="iterations"/> timed runs each of <paramref name="first"/> and <paramref name="second"/> (both warmed
    /// up already), taken turn about in blocks of <see cref="AlternationBlock"/>, the one that goes first alternating: on a
    /// shared machine whose speed drifts, both see the same conditions, so their ratio is steadier than that of two
    /// separate series. Each block waits for the other's workers to go idle, then runs untimed for a while. Returns each
    /// one's times in milliseconds.
    /// </summary>
    public static (double[] First, double[] Second) Alternating(int iterations, Action first, Action second)
    {
        var firstTimes = new List<double>(iterations);
        var secondTimes = new List<double>(iterations);
        for (int round = 0; firstTimes.Count < iterations; round++)
        {
            int block = Math.Min(AlternationBlock, iterations - firstTimes.Count);
            if (round % 2 == 0)
            {
                TimeBlock(block, first, firstTimes);
                TimeBlock(block, second, secondTimes);
            }
            else
            {
                TimeBlock(block, second, secondTimes);
                TimeBlock(block, first, firstTimes);
            }
        }
        return (firstTimes.ToArray(), secondTimes.ToArray());
    }

    private static void TimeBlock(int runs, Action run, List<double> times)
    {
        Thread.Sleep(Settle);
        long warmUpStart = Stopwatch.GetTimestamp();
        do run(); while (Stopwatch.GetElapsedTime(warmUpStart) < BlockWarmUp);
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }

    /// <summary>The median of <paramref name="times"/> (sorted in place).</summary>
    public static double Median(double[] times)
    {
        Array.Sort(times);
        return times.Length % 2 == 1 ? times[times.Length / 2] : (times[times.Length / 2 - 1] + times[times.Length / 2]) / 2;
    }
}
