using WebGpu.Interop;

namespace WebGpu;

/// <summary>Records commands for the queue (WebGPU's GPUCommandEncoder). Use from one thread; <see cref="Finish"/> once.</summary>
public sealed class GPUCommandEncoder : GPUObject
{
    private readonly GPUDevice _device;

    internal GPUCommandEncoder(GPUDevice device, nint handle, string label)
        : base(DawnObjectKind.CommandEncoder, handle, label, device)
    {
        _device = device;
    }

    /// <summary>Starts a compute pass (WebGPU's beginComputePass); <see cref="GPUComputePassEncoder.End"/> it before other commands.</summary>
    public unsafe GPUComputePassEncoder BeginComputePass(string label = "", GPUComputePassTimestampWrites? timestampWrites = null)
    {
        nint encoder = Native;
        using var text = new PinnedUtf8(label);
        var writes = timestampWrites is null ? default : new WGPUPassTimestampWrites
        {
            QuerySet = timestampWrites.QuerySet.Native,
            BeginningOfPassWriteIndex = timestampWrites.BeginningOfPassWriteIndex ?? uint.MaxValue,
            EndOfPassWriteIndex = timestampWrites.EndOfPassWriteIndex ?? uint.MaxValue,
        };
        var native = new WGPUComputePassDescriptor { Label = text.View, TimestampWrites = timestampWrites is null ? null : &writes };
        nint address = (nint)(&native);
        return new GPUComputePassEncoder(_device, _device.Call(() => Dawn.CommandEncoderBeginComputePass(encoder, (WGPUComputePassDescriptor*)address)), label);
    }

    /// <summary>Copies bytes between buffers (WebGPU's copyBufferToBuffer; offsets and size multiples of 4).</summary>
    public void CopyBufferToBuffer(GPUBuffer source, ulong sourceOffset, GPUBuffer destination, ulong destinationOffset, ulong size)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        nint encoder = Native, from = source.Native, to = destination.Native;
        _device.Call(() => Dawn.CommandEncoderCopyBufferToBuffer(encoder, from, sourceOffset, to, destinationOffset, size));
    }

    /// <summary>Zeroes a range of a buffer (WebGPU's clearBuffer); null size clears to the end.</summary>
    public void ClearBuffer(GPUBuffer buffer, ulong offset = 0, ulong? size = null)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        nint encoder = Native, target = buffer.Native;
        ulong length = size ?? ulong.MaxValue;
        _device.Call(() => Dawn.CommandEncoderClearBuffer(encoder, target, offset, length));
    }

    /// <summary>Writes query results into a buffer (WebGPU's resolveQuerySet; 8 bytes per query, offset a multiple of 256).</summary>
    public void ResolveQuerySet(GPUQuerySet querySet, uint firstQuery, uint queryCount, GPUBuffer destination, ulong destinationOffset)
    {
        ArgumentNullException.ThrowIfNull(querySet);
        ArgumentNullException.ThrowIfNull(destination);
        nint encoder = Native, queries = querySet.Native, target = destination.Native;
        _device.Call(() => Dawn.CommandEncoderResolveQuerySet(encoder, queries, firstQuery, queryCount, target, destinationOffset));
    }

    /// <summary>Ends recording and returns the command buffer to submit (WebGPU's finish).</summary>
    public unsafe GPUCommandBuffer Finish(string label = "")
    {
        nint encoder = Native;
        using var text = new PinnedUtf8(label);
        var native = new WGPULabelDescriptor { Label = text.View };
        nint address = (nint)(&native);
        var commandBuffer = new GPUCommandBuffer(_device, _device.Call(() => Dawn.CommandEncoderFinish(encoder, (WGPULabelDescriptor*)address)), label);
        Dispose();
        return commandBuffer;
    }
}

/// <summary>Records a compute pass (WebGPU's GPUComputePassEncoder).</summary>
public sealed class GPUComputePassEncoder : GPUObject
{
    private readonly GPUDevice _device;

    internal GPUComputePassEncoder(GPUDevice device, nint handle, string label)
        : base(DawnObjectKind.ComputePassEncoder, handle, label, device)
    {
        _device = device;
    }

    /// <summary>Sets the pipeline for the following dispatches.</summary>
    public void SetPipeline(GPUComputePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        nint pass = Native, native = pipeline.Native;
        _device.Call(() => Dawn.ComputePassEncoderSetPipeline(pass, native));
    }

    /// <summary>Binds a group at <paramref name="index"/>, with dynamic offsets when its layout has them.</summary>
    public unsafe void SetBindGroup(uint index, GPUBindGroup group, params ReadOnlySpan<uint> dynamicOffsets)
    {
        ArgumentNullException.ThrowIfNull(group);
        nint pass = Native, native = group.Native;
        fixed (uint* offsets = dynamicOffsets)
        {
            nint address = (nint)offsets;
            int count = dynamicOffsets.Length;
            _device.Call(() => Dawn.ComputePassEncoderSetBindGroup(pass, index, native, (nuint)count, (uint*)address));
        }
    }

    /// <summary>Runs x × y × z workgroups of the pipeline.</summary>
    public void DispatchWorkgroups(uint x, uint y = 1, uint z = 1)
    {
        nint pass = Native;
        _device.Call(() => Dawn.ComputePassEncoderDispatchWorkgroups(pass, x, y, z));
    }

    /// <summary>Runs the workgroup counts read from three u32 in <paramref name="indirectBuffer"/> at <paramref name="indirectOffset"/>.</summary>
    public void DispatchWorkgroupsIndirect(GPUBuffer indirectBuffer, ulong indirectOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(indirectBuffer);
        nint pass = Native, buffer = indirectBuffer.Native;
        _device.Call(() => Dawn.ComputePassEncoderDispatchWorkgroupsIndirect(pass, buffer, indirectOffset));
    }

    /// <summary>Ends the pass (WebGPU's end); the encoder can record other commands afterwards.</summary>
    public void End()
    {
        nint pass = Native;
        _device.Call(() => Dawn.ComputePassEncoderEnd(pass));
        Dispose();
    }
}

/// <summary>Recorded commands, submitted once with <see cref="GPUQueue.Submit"/> (WebGPU's GPUCommandBuffer).</summary>
public sealed class GPUCommandBuffer : GPUObject
{
    internal GPUCommandBuffer(GPUDevice device, nint handle, string label)
        : base(DawnObjectKind.CommandBuffer, handle, label, device)
    {
    }
}
