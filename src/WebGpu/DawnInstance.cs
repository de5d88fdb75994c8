using System.Runtime.InteropServices;
using WebGpu.Interop;

namespace WebGpu;

/// <summary>
/// A Dawn instance and the thread that drives its asynchronous work. Asynchronous operations register
/// with <see cref="BeginOperation"/>; while any is pending, the pump thread calls
/// wgpuInstanceProcessEvents, which runs their callbacks (callbacks only complete tasks; continuations
/// run on the thread pool), so callers never pump events by hand.
/// Every call into Dawn for this instance's objects holds <see cref="Sync"/>: Dawn objects of one
/// device are not thread-safe, so the wrapper serializes calls and its objects may be used from any thread.
/// </summary>
internal sealed class DawnInstance : IDisposable
{
    /// <summary>How long the pump keeps polling after the last completion before it polls only every millisecond.</summary>
    private static readonly TimeSpan BusyPollWindow = TimeSpan.FromMilliseconds(3);

    private readonly DawnHandle _handle;
    private readonly Thread _pump;
    private readonly SemaphoreSlim _work = new(0);
    private int _pending;
    private int _completed;
    private volatile bool _disposed;

    public DawnInstance()
    {
        nint instance;
        unsafe
        {
            instance = Dawn.CreateInstance(null);
        }
        if (instance == 0)
        {
            throw new GPUException("Dawn could not create a WebGPU instance.");
        }
        _handle = new DawnHandle(DawnObjectKind.Instance, instance);
        _pump = new Thread(Pump) { IsBackground = true, Name = "WebGPU event pump" };
        _pump.Start();
    }

    /// <summary>The lock every call into Dawn takes.</summary>
    public Lock Sync { get; } = new();

    public nint Native => _handle.DangerousGetHandle();

    /// <summary>Counts an operation whose callback the pump must deliver; <see cref="EndOperation"/> when it completes.</summary>
    public void BeginOperation()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Interlocked.Increment(ref _pending) == 1)
        {
            _work.Release();
        }
    }

    public void EndOperation()
    {
        Interlocked.Decrement(ref _pending);
        Interlocked.Increment(ref _completed);
    }

    private void Pump()
    {
        var sinceProgress = System.Diagnostics.Stopwatch.StartNew();
        int completedBefore = 0;
        while (!_disposed)
        {
            if (Volatile.Read(ref _pending) == 0)
            {
                _work.Wait(TimeSpan.FromMilliseconds(100));
                sinceProgress.Restart();
                continue;
            }
            lock (Sync)
            {
                if (_disposed)
                {
                    return;
                }
                Dawn.InstanceProcessEvents(Native);
            }
            int completed = Volatile.Read(ref _completed);
            if (completed != completedBefore)
            {
                completedBefore = completed;
                sinceProgress.Restart();
            }
            // Between rounds the lock goes back to callers. Work that finishes within a few milliseconds is seen within
            // microseconds; longer work is polled every millisecond, leaving the cores to the GPU driver (lavapipe computes
            // on them: a long kernel ran twice as fast as with constant polling).
            if (sinceProgress.Elapsed < BusyPollWindow)
            {
                Thread.Yield();
            }
            else
            {
                _work.Wait(1);
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _work.Release();
        _pump.Join();
        lock (Sync)
        {
            _handle.Dispose();
        }
    }
}

/// <summary>
/// Carries a completion through Dawn's userdata pointer: a GCHandle to the state object, freed by the
/// callback that consumes it, so a callback never outlives what it refers to.
/// </summary>
internal static unsafe class CallbackState
{
    public static void* Allocate(object state) => (void*)GCHandle.ToIntPtr(GCHandle.Alloc(state));

    public static T Take<T>(void* userdata) where T : class
    {
        var handle = GCHandle.FromIntPtr((nint)userdata);
        var state = (T)handle.Target!;
        handle.Free();
        return state;
    }

    public static WGPUCallbackInfo Info(void* callback, object state, uint mode = Dawn.CallbackModeAllowProcessEvents) =>
        new() { Mode = mode, Callback = callback, Userdata1 = Allocate(state) };
}
