using System.Runtime.InteropServices;
using WebGpu.Interop;

namespace WebGpu;

/// <summary>The severity of a compilation message (WebGPU's GPUCompilationMessageType).</summary>
public enum GPUCompilationMessageType
{
    /// <summary>An error: the shader cannot be used.</summary>
    Error = 1,
    /// <summary>A warning.</summary>
    Warning = 2,
    /// <summary>Information.</summary>
    Info = 3,
}

/// <summary>One diagnostic of the WGSL compiler, with its 1-based line and column (WebGPU's GPUCompilationMessage).</summary>
public sealed record GPUCompilationMessage(GPUCompilationMessageType Type, string Message, ulong LineNumber, ulong LinePosition, ulong Offset, ulong Length)
{
    /// <inheritdoc/>
    public override string ToString() => $"{LineNumber}:{LinePosition}: {Type.ToString().ToLowerInvariant()}: {Message}";
}

/// <summary>Compiled WGSL (WebGPU's GPUShaderModule).</summary>
public sealed class GPUShaderModule : GPUObject
{
    private readonly GPUDevice _device;

    internal GPUShaderModule(GPUDevice device, nint handle, string label)
        : base(DawnObjectKind.ShaderModule, handle, label, device)
    {
        _device = device;
    }

    /// <summary>The compiler's errors, warnings and notes (WebGPU's getCompilationInfo).</summary>
    public unsafe Task<IReadOnlyList<GPUCompilationMessage>> GetCompilationInfoAsync()
    {
        nint module = Native;
        var request = new CompilationRequest(_device);
        lock (_device.Sync)
        {
            _device.Instance.BeginOperation();
            Dawn.ShaderModuleGetCompilationInfo(module, CallbackState.Info((delegate* unmanaged<uint, WGPUCompilationInfo*, void*, void*, void>)&OnCompilationInfo, request));
        }
        return request.Completion.Task;
    }

    private sealed class CompilationRequest(GPUDevice device)
    {
        public GPUDevice Device { get; } = device;

        public TaskCompletionSource<IReadOnlyList<GPUCompilationMessage>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [UnmanagedCallersOnly]
    private static unsafe void OnCompilationInfo(uint status, WGPUCompilationInfo* info, void* userdata1, void* userdata2)
    {
        var request = CallbackState.Take<CompilationRequest>(userdata1);
        request.Device.Instance.EndOperation();
        var messages = new List<GPUCompilationMessage>();
        if (info != null)
        {
            for (nuint i = 0; i < info->MessageCount; i++)
            {
                var m = info->Messages[i];
                messages.Add(new GPUCompilationMessage((GPUCompilationMessageType)m.Type, m.Message.ToString(), m.LineNum, m.LinePos, m.Offset, m.Length));
            }
        }
        request.Completion.SetResult(messages);
    }
}

/// <summary>A compute pipeline (WebGPU's GPUComputePipeline).</summary>
public sealed class GPUComputePipeline : GPUObject
{
    private readonly GPUDevice _device;

    internal GPUComputePipeline(GPUDevice device, nint handle, string label)
        : base(DawnObjectKind.ComputePipeline, handle, label, device)
    {
        _device = device;
    }

    /// <summary>The layout of bind group <paramref name="index"/> (with an "auto" layout, the one derived from the shader).</summary>
    public GPUBindGroupLayout GetBindGroupLayout(uint index)
    {
        nint pipeline = Native;
        return new GPUBindGroupLayout(_device, _device.Call(() => Dawn.ComputePipelineGetBindGroupLayout(pipeline, index)), $"{Label} group {index}");
    }
}

/// <summary>The layout of a bind group (WebGPU's GPUBindGroupLayout).</summary>
public sealed class GPUBindGroupLayout : GPUObject
{
    internal GPUBindGroupLayout(GPUDevice device, nint handle, string label)
        : base(DawnObjectKind.BindGroupLayout, handle, label, device)
    {
        Device = device;
    }

    internal GPUDevice Device { get; }
}

/// <summary>The layout of a pipeline's bind groups (WebGPU's GPUPipelineLayout).</summary>
public sealed class GPUPipelineLayout : GPUObject
{
    internal GPUPipelineLayout(GPUDevice device, nint handle, string label)
        : base(DawnObjectKind.PipelineLayout, handle, label, device)
    {
        Device = device;
    }

    internal GPUDevice Device { get; }
}

/// <summary>Resources bound for a pipeline (WebGPU's GPUBindGroup). Holds its buffers alive.</summary>
public sealed class GPUBindGroup : GPUObject
{
    internal GPUBindGroup(GPUDevice device, nint handle, string label, GPUBuffer[] buffers)
        : base(DawnObjectKind.BindGroup, handle, label, device)
    {
        Device = device;
        Buffers = buffers;
    }

    internal GPUDevice Device { get; }

    /// <summary>The buffers the group binds.</summary>
    public IReadOnlyList<GPUBuffer> Buffers { get; }
}

/// <summary>A set of queries (WebGPU's GPUQuerySet).</summary>
public sealed class GPUQuerySet : GPUObject
{
    private readonly GPUDevice _device;

    internal GPUQuerySet(GPUDevice device, nint handle, GPUQuerySetDescriptor descriptor)
        : base(DawnObjectKind.QuerySet, handle, descriptor.Label, device)
    {
        _device = device;
        Type = descriptor.Type;
        Count = descriptor.Count;
    }

    /// <summary>The kind of query.</summary>
    public GPUQueryType Type { get; }

    /// <summary>How many queries.</summary>
    public uint Count { get; }

    /// <summary>Frees the query set now (WebGPU's destroy).</summary>
    public void Destroy()
    {
        if (!IsDisposed)
        {
            nint querySet = Native;
            lock (_device.Sync)
            {
                Dawn.QuerySetDestroy(querySet);
            }
        }
    }

    private protected override void OnDispose() => Destroy();
}
