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

    /// <summary>The median of <paramref name="times"/> (sorted in place).</summary>
    public static double Median(double[] times)
    {
        Array.Sort(times);
        return times.Length % 2 == 1 ? times[times.Length / 2] : (times[times.Length / 2 - 1] + times[times.Length / 2]) / 2;
    }
}
