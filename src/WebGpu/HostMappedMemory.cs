using System.Buffers;
using System.Runtime.InteropServices;

namespace WebGpu;

/// <summary>
/// Native memory that GPU buffers can wrap without a copy (Dawn's "host-mapped-pointer" feature; see
/// <see cref="GPUDevice.CreateBuffer(GPUBufferDescriptor, HostMappedMemory, ulong)"/>): one aligned allocation, zeroed,
/// that the GC never moves. The CPU reads and writes it through <see cref="MemoryManager{T}.Memory"/> or
/// <see cref="GetSpan"/>; <see cref="Pin"/> hands its address to other native code (CUDA's cuMemHostRegister, for example).
/// The allocation is freed once the owner has disposed it, every pin is released, and Dawn has reported every buffer over
/// it disposed (after the GPU finished with it), whatever the order. It has no finalizer (a span of it does not keep it
/// alive, CA2015): memory that is never disposed is never freed.
/// </summary>
/// <remarks>
/// The CPU and the GPU share the bytes with no synchronisation of their own: read what a shader wrote after
/// <see cref="GPUQueue.OnSubmittedWorkDoneAsync"/>, and write what a shader will read before <see cref="GPUQueue.Submit"/>.
/// </remarks>
public sealed unsafe class HostMappedMemory : MemoryManager<byte>
{
    /// <summary>The device feature that buffers over host memory need.</summary>
    public const string Feature = "host-mapped-pointer";

    /// <summary>
    /// The adapter toggle under which Dawn offers <see cref="Feature"/> (an experimental feature): request the adapter with
    /// it in <see cref="GPURequestAdapterOptions.EnabledToggles"/>.
    /// </summary>
    public const string AdapterToggle = "allow_unsafe_apis";

    private readonly byte* _pointer;
    // The owner's reference, one per pin, one per buffer over the memory; the last release frees it.
    private int _references = 1;
    private int _disposed;
    private readonly TaskCompletionSource _freed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Allocates <paramref name="length"/> bytes, rounded up to a multiple of <paramref name="alignment"/>, at an address aligned to it.</summary>
    /// <param name="length">The bytes needed; at least 1.</param>
    /// <param name="alignment">
    /// A power of two; the default, the OS page size, suits Dawn's Vulkan and Metal backends (4,096 bytes). A device states
    /// what it needs in <see cref="GPUSupportedLimits.HostMappedPointerAlignment"/>.
    /// </param>
    public HostMappedMemory(int length, int alignment = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        if (alignment == 0)
        {
            alignment = Environment.SystemPageSize;
        }
        if (alignment < sizeof(nint) || !int.IsPow2(alignment))
        {
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, $"The alignment ({alignment}) is not a power of two of at least {sizeof(nint)}.");
        }
        long rounded = (length + (long)alignment - 1) / alignment * alignment;
        if (rounded > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"The length rounded up to the alignment ({rounded}) is more than a span can hold ({Array.MaxLength}).");
        }
        Length = (int)rounded;
        Alignment = alignment;
        _pointer = (byte*)NativeMemory.AlignedAlloc((nuint)Length, (nuint)alignment);
        // Zeroing touches every page, so the memory is resident before a GPU driver pins it.
        NativeMemory.Clear(_pointer, (nuint)Length);
    }

    /// <summary>The size in bytes: the requested length rounded up to <see cref="Alignment"/>.</summary>
    public int Length { get; }

    /// <summary>The alignment of the address and the length.</summary>
    public int Alignment { get; }

    /// <summary>Whether the owner has disposed the memory (it may live on while buffers over it do).</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Completes when the allocation has been freed (for tests of the lifetime rules).</summary>
    internal Task Freed => _freed.Task;

    /// <summary>The address, for Dawn; valid while the caller holds a reference.</summary>
    internal nint Address => (nint)_pointer;

    /// <summary>The bytes.</summary>
    /// <exception cref="ObjectDisposedException">The owner has disposed the memory.</exception>
    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return new Span<byte>(_pointer, Length);
    }

    /// <summary>Keeps the allocation alive until the handle is disposed, and gives the address of byte <paramref name="elementIndex"/>.</summary>
    /// <exception cref="ObjectDisposedException">The owner has disposed the memory.</exception>
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, Length);
        AddReference();
        return new MemoryHandle(_pointer + elementIndex, pinnable: this);
    }

    /// <summary>Releases a reference <see cref="Pin"/> took.</summary>
    public override void Unpin() => ReleaseReference();

    /// <summary>Takes a reference that keeps the allocation alive; the owner must not have disposed the memory.</summary>
    /// <exception cref="ObjectDisposedException">The owner has disposed the memory.</exception>
    internal void AddReference()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        int references = Volatile.Read(ref _references);
        while (true)
        {
            ObjectDisposedException.ThrowIf(references == 0, this);
            int seen = Interlocked.CompareExchange(ref _references, references + 1, references);
            if (seen == references)
            {
                return;
            }
            references = seen;
        }
    }

    /// <summary>Drops a reference; the last one frees the allocation.</summary>
    internal void ReleaseReference()
    {
        int references = Interlocked.Decrement(ref _references);
        if (references == 0)
        {
            NativeMemory.AlignedFree(_pointer);
            _freed.SetResult();
        }
        else if (references < 0)
        {
            throw new InvalidOperationException($"{this} was released more often than it was referenced.");
        }
    }

    /// <summary>
    /// Drops the owner's reference: the span is no longer available, and the allocation goes with the last buffer or pin.
    /// Safe to call more than once, from any thread.
    /// </summary>
    public void Dispose() => ((IDisposable)this).Dispose();

    /// <inheritdoc cref="Dispose()"/>
    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            ReleaseReference();
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{nameof(HostMappedMemory)} of {Length} bytes";
}

/// <summary>
/// One buffer's hold on <see cref="HostMappedMemory"/>: a reference taken when the buffer is created and returned when
/// Dawn reports the buffer disposed (its dispose callback), which comes once the GPU is done with it. From the buffer's
/// destruction to that report the instance's pump keeps running, so that the report comes without other work.
/// </summary>
internal sealed class HostMemoryLease
{
    private const int Held = 0, AwaitingRelease = 1, Released = 2;

    private readonly HostMappedMemory _memory;
    private readonly DawnInstance _instance;
    private int _state;

    /// <exception cref="ObjectDisposedException">The memory's owner has disposed it.</exception>
    public HostMemoryLease(HostMappedMemory memory, DawnInstance instance)
    {
        memory.AddReference();
        _memory = memory;
        _instance = instance;
    }

    /// <summary>
    /// Called (under the instance lock) just before the buffer is destroyed: the pump runs until Dawn's report. False when
    /// there is nothing to wait for (Dawn has reported already, when its device was destroyed, or the wait has begun).
    /// </summary>
    public bool AwaitRelease()
    {
        if (Interlocked.CompareExchange(ref _state, AwaitingRelease, Held) != Held)
        {
            return false;
        }
        _instance.BeginOperation();
        return true;
    }

    /// <summary>Returns the reference: from Dawn's report, or for a buffer Dawn failed to create.</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _state, Released) == AwaitingRelease)
        {
            _instance.EndOperation();
        }
        _memory.ReleaseReference();
    }

    /// <summary>Dawn's dispose callback of a host-mapped buffer (Dawn's WGPUCallback).</summary>
    [UnmanagedCallersOnly]
    internal static unsafe void OnBufferDisposed(void* userdata) => CallbackState.Take<HostMemoryLease>(userdata).Release();
}
