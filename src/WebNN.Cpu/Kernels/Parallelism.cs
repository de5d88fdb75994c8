using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace WebNN.Cpu.Kernels;

/// <summary>A kernel's work over items [0, count): <see cref="Run"/> does the items [start, end).</summary>
internal interface IParallelRange
{
    void Run(int start, int end);
}

/// <summary>
/// Splits work across the cores when it is large enough to pay for the hand-off, on a pool of persistent workers
/// (like MLAS's and OpenMP's): a range is handed over without allocating, workers spin briefly for the next one
/// before they sleep, and the calling thread does its share.
/// </summary>
internal static class Parallelism
{
    /// <summary>Below this many elements of elementwise work, kernels stay on the calling thread.</summary>
    public const long MinimumParallelWork = 1 << 16;

    /// <summary>Chunks per thread: enough for a thread that was preempted to be covered by the others.</summary>
    private const int ChunksPerThread = 8;

    /// <summary>
    /// How many threads a kernel runs on: <c>WEBNN_CPU_THREADS</c> when the process sets it (read once, like
    /// <c>OMP_NUM_THREADS</c>), else every logical core.
    /// </summary>
    public static int Threads { get; } = ReadThreads();

    private static readonly WorkerPool? Pool = Threads > 1 ? new WorkerPool(Threads - 1) : null;

    /// <summary>
    /// Runs <paramref name="range"/> over [0, <paramref name="count"/>) in contiguous chunks: on <see cref="Threads"/>
    /// threads when <paramref name="parallel"/>, else inline in one call. Inline too when called from inside another
    /// parallel range, or while another thread's range runs.
    /// </summary>
    public static void For<TRange>(int count, bool parallel, TRange range) where TRange : struct, IParallelRange =>
        Run(count, parallel ? Math.Min(count, Threads * ChunksPerThread) : 1, range);

    /// <summary>
    /// <see cref="For"/> for coarse items (tiles of a product, tens of microseconds and more each): every item is
    /// claimed on its own, so that the threads finish within one item of each other even when one is slowed.
    /// </summary>
    public static void ForEachItem<TRange>(int count, bool parallel, TRange range) where TRange : struct, IParallelRange =>
        Run(count, parallel ? Math.Min(count, MaxChunks) : 1, range);

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/>, in chunks on every thread when large.</summary>
    public static unsafe void Copy(ReadOnlySpan<float> source, Span<float> destination)
    {
        int chunks = (int)(((long)source.Length + CopyChunk - 1) / CopyChunk);
        fixed (float* s = source, d = destination)
        {
            For(chunks, source.Length >= MinimumParallelWork, new CopyChunks(s, d, source.Length));
        }
    }

    /// <summary>Floats per chunk of <see cref="Copy"/>: 64 KiB.</summary>
    private const int CopyChunk = 1 << 14;

    private readonly unsafe struct CopyChunks(float* source, float* destination, int length) : IParallelRange
    {
        public void Run(int start, int end)
        {
            long first = (long)start * CopyChunk, last = Math.Min(length, (long)end * CopyChunk);
            Buffer.MemoryCopy(source + first, destination + first, (last - first) * sizeof(float), (last - first) * sizeof(float));
        }
    }

    private static unsafe void Run<TRange>(int count, int chunks, TRange range) where TRange : struct, IParallelRange
    {
        if (count <= 0) return;
        // range is a copy on this stack frame, so the workers may read it through a pointer until this call returns.
        if (chunks <= 1 || Pool == null || !Pool.TryRun(count, chunks, Unsafe.AsPointer(ref range), &RunRange<TRange>))
        {
            range.Run(0, count);
        }
    }

    /// <summary>The most chunks one range is cut into (the claim word holds a 16-bit count).</summary>
    private const int MaxChunks = 4096;

    private static unsafe void RunRange<TRange>(void* range, int start, int end) where TRange : struct, IParallelRange =>
        Unsafe.AsRef<TRange>(range).Run(start, end);

    private static int ReadThreads() =>
        int.TryParse(Environment.GetEnvironmentVariable("WEBNN_CPU_THREADS"), out int threads) && threads > 0
            ? threads
            : Environment.ProcessorCount;

    /// <summary>
    /// Workers that run the chunks of one range at a time. The chunks are dealt out in one contiguous share per thread
    /// (the calling thread's first): each thread runs its own share from the front, then takes chunks from the others'
    /// shares. A kernel's share thus falls to the same core run after run, and so do the same rows of the next kernel,
    /// whose data that core's caches already hold; a thread slowed by the machine still has its chunks taken over.
    /// Each share is one 64-bit word — generation, next chunk, end — on its own cache line, so a thread claims a chunk
    /// with one compare-and-swap and can never claim one of a range other than the one whose pointers it reads.
    /// </summary>
    private sealed unsafe class WorkerPool
    {
        /// <summary>How long an idle worker spins for the next range before it sleeps (about 50 µs).</summary>
        private static readonly long SpinTicks = Stopwatch.Frequency / 20_000;

        /// <summary>Longs between two threads' shares: one cache line.</summary>
        private const int ShareStride = 8;

        private readonly object _sleep = new();
        private readonly int _threads;
        private readonly long[] _shares;
        private uint _generation;
        private int _finished;
        private int _count;
        private int _chunks;
        private void* _range;
        private delegate*<void*, int, int, void> _run;
        private ExceptionDispatchInfo? _failure;
        private int _busy;
        private int _sleepers;

        public WorkerPool(int workers)
        {
            _threads = workers + 1;
            _shares = new long[_threads * ShareStride];
            for (int i = 1; i <= workers; i++)
            {
                int self = i;
                new Thread(() => Work(self)) { IsBackground = true, Name = $"WebNN CPU worker {i}" }.Start();
            }
        }

        public bool TryRun(int count, int chunks, void* range, delegate*<void*, int, int, void> run)
        {
            Debug.Assert(chunks <= ushort.MaxValue);
            if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
            try
            {
                uint generation = _generation + 1;
                _count = count;
                _chunks = chunks;
                _range = range;
                _run = run;
                _finished = 0;
                for (int t = 0; t < _threads; t++)
                {
                    long begin = (long)chunks * t / _threads, end = (long)chunks * (t + 1) / _threads;
                    Volatile.Write(ref _shares[t * ShareStride], ((long)generation << 32) | (begin << 16) | end);
                }
                // Publishes the range (a full fence); a worker that went to sleep before it is woken.
                Interlocked.Exchange(ref Unsafe.As<uint, int>(ref _generation), (int)generation);
                if (Volatile.Read(ref _sleepers) > 0)
                {
                    lock (_sleep) Monitor.PulseAll(_sleep);
                }
                RunChunks(generation, 0);
                var wait = new SpinWait();
                while (Volatile.Read(ref _finished) < chunks) wait.SpinOnce(sleep1Threshold: -1);
                if (_failure is { } failure)
                {
                    _failure = null;
                    failure.Throw();
                }
                return true;
            }
            finally
            {
                Volatile.Write(ref _busy, 0);
            }
        }

        private uint Generation => Volatile.Read(ref _generation);

        /// <summary>Runs the chunks of share <paramref name="self"/>, then of the shares after it, while the range is <paramref name="generation"/>'s.</summary>
        private void RunChunks(uint generation, int self)
        {
            for (int k = 0; k < _threads; k++)
            {
                ref long share = ref _shares[(self + k) % _threads * ShareStride];
                while (true)
                {
                    long claim = Volatile.Read(ref share);
                    int next = (int)(claim >> 16) & 0xFFFF, end = (int)claim & 0xFFFF;
                    if ((uint)(claim >> 32) != generation) return;
                    if (next >= end) break;
                    if (Interlocked.CompareExchange(ref share, claim + (1 << 16), claim) != claim) continue;
                    // The claim succeeded in this generation: the pointers stay valid until this chunk is counted finished.
                    int chunks = _chunks;
                    int start = (int)((long)_count * next / chunks), stop = (int)((long)_count * (next + 1) / chunks);
                    try
                    {
                        _run(_range, start, stop);
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                    }
                    Interlocked.Increment(ref _finished);
                }
            }
        }

        private void Work(int self)
        {
            uint seen = 0;
            while (true)
            {
                long spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
                while (Generation == seen && Stopwatch.GetTimestamp() < spinUntil) Thread.SpinWait(20);
                if (Generation == seen)
                {
                    lock (_sleep)
                    {
                        // Counted before the generation is read again (both full fences), so a range published
                        // in between sees a sleeper and wakes it.
                        Interlocked.Increment(ref _sleepers);
                        while (Generation == seen) Monitor.Wait(_sleep);
                        Interlocked.Decrement(ref _sleepers);
                    }
                }
                seen = Generation;
                RunChunks(seen, self);
            }
        }
    }
}
