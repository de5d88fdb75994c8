using WebNN.Cpu.Kernels;

namespace WebNN.Tests.Cpu.Kernels;

public class ParallelismTests
{
    /// <summary>Counts every item it runs; with <c>Nested</c>, each range also runs a nested range over its items.</summary>
    private readonly struct CountingRange(int[] runs, int[]? nested) : IParallelRange
    {
        public void Run(int start, int end)
        {
            for (int i = start; i < end; i++) Interlocked.Increment(ref runs[i]);
            if (nested != null) Parallelism.For(end - start, parallel: true, new CountingRange(nested, null));
        }
    }

    private readonly struct ThrowingRange(int failingItem) : IParallelRange
    {
        public void Run(int start, int end)
        {
            if (start <= failingItem && failingItem < end) throw new InvalidOperationException($"item {failingItem}");
        }
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(7, true)]
    [InlineData(1000, true)]
    [InlineData(100_003, true)]
    [InlineData(1000, false)]
    public void RunsEveryItemOnce(int count, bool parallel)
    {
        var runs = new int[count];
        for (int repeat = 0; repeat < 20; repeat++) Parallelism.For(count, parallel, new CountingRange(runs, null));
        Assert.All(runs, r => Assert.Equal(20, r));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(65_535)]            // below the parallel threshold
    [InlineData(5 * 16_384 + 17)]   // chunks on several threads, a short last one
    public void CopyCopiesEveryElement(int length)
    {
        var source = Enumerable.Range(0, length).Select(i => (float)i).ToArray();
        var destination = new float[length + 1];
        destination[length] = -1f;
        Parallelism.Copy(source, destination.AsSpan(0, length));
        Assert.Equal(source, destination[..length]);
        Assert.Equal(-1f, destination[length]);
    }

    /// <summary>Records the largest [start, end) it was handed.</summary>
    private readonly struct WidestCallRange(int[] runs, int[] widest) : IParallelRange
    {
        public void Run(int start, int end)
        {
            for (int i = start; i < end; i++) Interlocked.Increment(ref runs[i]);
            int width = end - start, seen;
            while (width > (seen = Volatile.Read(ref widest[0])) && Interlocked.CompareExchange(ref widest[0], width, seen) != seen)
            {
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(22)]
    [InlineData(4096)]
    [InlineData(10_000)]
    public void ForEachItemRunsEveryItemOnceAndOnItsOwnOnSeveralThreads(int count)
    {
        const int Repeats = 20;
        var runs = new int[count];
        var widths = new List<int>();
        for (int repeat = 0; repeat < Repeats; repeat++)
        {
            var widest = new int[1];
            Parallelism.ForEachItem(count, parallel: true, new WidestCallRange(runs, widest));
            widths.Add(widest[0]);
        }
        Assert.All(runs, r => Assert.Equal(Repeats, r));
        // Up to 4096 items each is claimed alone; past that, in runs of about count / 4096. On one thread, or while
        // another test's range holds the workers, one call does all.
        int expected = Parallelism.Threads == 1 ? count : count <= 4096 ? 1 : (count + 4095) / 4096;
        Assert.All(widths, w => Assert.True(w == expected || w == count, $"a call of {w} items"));
        Assert.Contains(expected, widths);
    }

    [Fact]
    public void NestedRangesRunInline()
    {
        var runs = new int[64];
        var nested = new int[64];
        Parallelism.For(64, parallel: true, new CountingRange(runs, nested));
        Assert.All(runs, r => Assert.Equal(1, r));
        // Each chunk [start, end) ran a nested range over [0, end - start): together they cover every item's count.
        Assert.Equal(64, nested.Sum());
    }

    [Fact]
    public void RangesFromSeveralThreadsEachRunEveryItemOnce()
    {
        var runs = new int[4][];
        Parallel.For(0, 4, t =>
        {
            runs[t] = new int[5000];
            for (int repeat = 0; repeat < 50; repeat++) Parallelism.For(5000, parallel: true, new CountingRange(runs[t], null));
        });
        Assert.All(runs, r => Assert.All(r, count => Assert.Equal(50, count)));
    }

    [Fact]
    public void AnExceptionReachesTheCaller()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Parallelism.For(1000, parallel: true, new ThrowingRange(999)));
        Assert.Equal("item 999", error.Message);
        // The pool still works afterwards.
        var runs = new int[1000];
        Parallelism.For(1000, parallel: true, new CountingRange(runs, null));
        Assert.All(runs, r => Assert.Equal(1, r));
    }
}
