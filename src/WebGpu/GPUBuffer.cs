using System.Runtime.InteropServices;
using WebGpu.Interop;

namespace WebGpu;

/// <summary>
/// GPU memory (WebGPU's GPUBuffer). Map it with <see cref="MapAsync"/>, then read or write
/// <see cref="GetMappedRange"/>, then <see cref="Unmap"/>. <see cref="Destroy"/> frees the memory at once;
/// <see cref="GPUObject.Dispose"/> destroys and releases it.
/// </summary>
public sealed class GPUBuffer : GPUObject
{
    private readonly GPUDevice _device;
    // The hold on the host memory a buffer created over it wraps; null for GPU memory.
    private readonly HostMemoryLease? _hostMemory;
    private Action? _onAliasReleased;
    // 0 unmapped, else the GPUMapMode of the current mapping (Write when mapped at creation).
    private int _mapMode;

    internal GPUBuffer(GPUDevice device, nint handle, GPUBufferDescriptor descriptor, HostMemoryLease? hostMemory = null)
        : base(DawnObjectKind.Buffer, handle, descriptor.Label, device)
    {
        _device = device;
        _hostMemory = hostMemory;
        Size = descriptor.Size;
        Usage = descriptor.Usage;
        _mapMode = descriptor.MappedAtCreation ? (int)GPUMapMode.Write : 0;
    }

    /// <summary>
    /// A second buffer object for the same GPU memory, for lending it out: destroying or disposing the alias
    /// drops only its own reference and calls <paramref name="onReleased"/>; the memory stays with this buffer.
    /// </summary>
    internal GPUBuffer CreateAlias(string label, Action onReleased)
    {
        nint handle = Native;
        lock (_device.Sync)
        {
            Dawn.BufferAddRef(handle);
        }
        return new GPUBuffer(_device, handle, new GPUBufferDescriptor { Label = label, Size = Size, Usage = Usage }) { _onAliasReleased = onReleased };
    }

    /// <summary>The size in bytes.</summary>
    public ulong Size { get; }

    /// <summary>The allowed usages.</summary>
    public GPUBufferUsage Usage { get; }

    /// <summary>The device that owns the buffer.</summary>
    public GPUDevice Device => _device;

    /// <summary>Maps the range for the CPU once the GPU is done with the buffer (WebGPU's mapAsync).</summary>
    /// <exception cref="GPUValidationException">The buffer's usage does not allow the mode, or the range is out of bounds.</exception>
    public unsafe Task MapAsync(GPUMapMode mode, ulong offset = 0, ulong? size = null)
    {
        nint buffer = Native;
        ulong length = size ?? Size - offset;
        var request = new MapRequest(this, mode);
        lock (_device.Sync)
        {
            _device.Instance.BeginOperation();
            Dawn.BufferMapAsync(buffer, (ulong)mode, (nuint)offset, (nuint)length,
                CallbackState.Info((delegate* unmanaged<uint, WGPUStringView, void*, void*, void>)&OnMapped, request));
        }
        return request.Completion.Task;
    }

    /// <summary>
    /// The mapped bytes of the range (WebGPU's getMappedRange). Valid until <see cref="Unmap"/>; do not keep
    /// the span past it. For a read mapping, writes to the span are not sent to the GPU.
    /// </summary>
    /// <exception cref="InvalidOperationException">The buffer is not mapped, or the range is outside the mapped range.</exception>
    public unsafe Span<byte> GetMappedRange(ulong offset = 0, ulong? size = null)
    {
        nint buffer = Native;
        ulong length = size ?? Size - offset;
        void* pointer;
        lock (_device.Sync)
        {
            pointer = Volatile.Read(ref _mapMode) == (int)GPUMapMode.Read
                ? Dawn.BufferGetConstMappedRange(buffer, (nuint)offset, (nuint)length)
                : Dawn.BufferGetMappedRange(buffer, (nuint)offset, (nuint)length);
        }
        if (pointer == null)
        {
            throw new InvalidOperationException($"{this}: bytes {offset}..{offset + length} are not mapped (map the buffer first, within its size {Size}).");
        }
        return new Span<byte>(pointer, checked((int)length));
    }

    /// <summary>Hands the mapped memory back to the GPU (WebGPU's unmap).</summary>
    public void Unmap()
    {
        nint buffer = Native;
        _device.Call(() => Dawn.BufferUnmap(buffer));
        Volatile.Write(ref _mapMode, 0);
    }

    /// <summary>
    /// Frees the GPU memory now; later use of the buffer in commands is a validation error (WebGPU's destroy).
    /// On a buffer lent by WebNN (<c>ExportToGpu</c>) it ends the loan instead, and the tensor keeps its memory.
    /// On a buffer over <see cref="HostMappedMemory"/> it returns the buffer's hold on that memory once the GPU is done with it.
    /// </summary>
    public void Destroy()
    {
        if (_onAliasReleased is not null)
        {
            Dispose();
            return;
        }
        if (!IsDisposed)
        {
            nint buffer = Native;
            lock (_device.Sync)
            {
                bool awaitingHostMemory = _hostMemory?.AwaitRelease() == true;
                Dawn.BufferDestroy(buffer);
                if (awaitingHostMemory)
                {
                    // Dawn reports a host-mapped buffer disposed once the queue's next submission completes: submit one now
                    // (an empty submission still signals a fence) so that the report does not wait for the application's next.
                    unsafe
                    {
                        Dawn.QueueSubmit(_device.Queue.Native, 0, null);
                    }
                }
            }
        }
    }

    private protected override void OnDispose()
    {
        // An alias hands the memory back (the queue orders WebNN's later work after the borrower's).
        if (Interlocked.Exchange(ref _onAliasReleased, null) is { } released)
        {
            if (!IsDisposed)
            {
                released();
            }
            return;
        }
        Destroy();
    }

    private sealed class MapRequest(GPUBuffer buffer, GPUMapMode mode)
    {
        public GPUBuffer Buffer { get; } = buffer;

        public GPUMapMode Mode { get; } = mode;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [UnmanagedCallersOnly]
    private static unsafe void OnMapped(uint status, WGPUStringView message, void* userdata1, void* userdata2)
    {
        var request = CallbackState.Take<MapRequest>(userdata1);
        request.Buffer._device.Instance.EndOperation();
        if (status == Dawn.StatusSuccess)
        {
            Volatile.Write(ref request.Buffer._mapMode, (int)request.Mode);
            request.Completion.SetResult();
        }
        else
        {
            request.Completion.SetException(new GPUValidationException($"mapAsync of {request.Buffer} failed: {message}"));
        }
    }
}
