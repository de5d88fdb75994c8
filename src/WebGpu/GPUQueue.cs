using System.Runtime.InteropServices;
using WebGpu.Interop;

namespace WebGpu;

/// <summary>A device's queue (WebGPU's GPUQueue): runs command buffers and buffer writes in order.</summary>
public sealed class GPUQueue : GPUObject
{
    private readonly GPUDevice _device;

    internal GPUQueue(GPUDevice device, nint handle)
        : base(DawnObjectKind.Queue, handle, "")
    {
        _device = device;
    }

    /// <summary>Schedules a copy of <paramref name="data"/> into the buffer at <paramref name="bufferOffset"/> (WebGPU's writeBuffer; sizes and offsets multiples of 4).</summary>
    public unsafe void WriteBuffer(GPUBuffer buffer, ulong bufferOffset, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        nint queue = Native;
        nint target = buffer.Native;
        fixed (byte* pointer = data)
        {
            nint address = (nint)pointer;
            int length = data.Length;
            _device.Call(() => Dawn.QueueWriteBuffer(queue, target, bufferOffset, (void*)address, (nuint)length));
        }
    }

    /// <summary>Writes typed values (see <see cref="WriteBuffer(GPUBuffer, ulong, ReadOnlySpan{byte})"/>).</summary>
    public void WriteBuffer<T>(GPUBuffer buffer, ulong bufferOffset, ReadOnlySpan<T> data) where T : unmanaged =>
        WriteBuffer(buffer, bufferOffset, MemoryMarshal.AsBytes(data));

    /// <summary>Runs the command buffers in order (WebGPU's submit). Each command buffer can be submitted once.</summary>
    public unsafe void Submit(params ReadOnlySpan<GPUCommandBuffer> commandBuffers)
    {
        var handles = new nint[commandBuffers.Length];
        for (int i = 0; i < handles.Length; i++)
        {
            handles[i] = commandBuffers[i].Native;
        }
        nint queue = Native;
        fixed (nint* pointer = handles)
        {
            nint address = (nint)pointer;
            _device.Call(() => Dawn.QueueSubmit(queue, (nuint)handles.Length, (nint*)address));
        }
        foreach (var commandBuffer in commandBuffers)
        {
            commandBuffer.Dispose();
        }
    }

    /// <summary>Completes when the work submitted so far has finished on the GPU (WebGPU's onSubmittedWorkDone).</summary>
    public unsafe Task OnSubmittedWorkDoneAsync()
    {
        nint queue = Native;
        var request = new WorkDoneRequest(_device);
        lock (_device.Sync)
        {
            _device.Instance.BeginOperation();
            Dawn.QueueOnSubmittedWorkDone(queue, CallbackState.Info((delegate* unmanaged<uint, WGPUStringView, void*, void*, void>)&OnWorkDone, request));
        }
        return request.Completion.Task;
    }

    private sealed class WorkDoneRequest(GPUDevice device)
    {
        public GPUDevice Device { get; } = device;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [UnmanagedCallersOnly]
    private static unsafe void OnWorkDone(uint status, WGPUStringView message, void* userdata1, void* userdata2)
    {
        var request = CallbackState.Take<WorkDoneRequest>(userdata1);
        request.Device.Instance.EndOperation();
        if (status == Dawn.StatusSuccess)
        {
            request.Completion.SetResult();
        }
        else
        {
            request.Completion.SetException(new GPUException($"onSubmittedWorkDone failed: {message}"));
        }
    }
}
