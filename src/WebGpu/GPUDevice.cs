using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using WebGpu.Interop;

namespace WebGpu;

/// <summary>
/// A logical GPU device (WebGPU's GPUDevice): creates buffers, shaders, pipelines, bind groups and
/// command encoders, and owns the queue. Every method may be called from any thread (calls into Dawn
/// are serialized per instance). A call that breaks WebGPU's validation rules throws a
/// <see cref="GPUValidationException"/> with Dawn's message, unless an error scope captures it.
/// Disposing the device disposes every object created from it (buffers, modules, pipelines, ...), then destroys it
/// (<see cref="Lost"/> completes with <see cref="GPUDeviceLostReason.Destroyed"/>).
/// </summary>
public sealed class GPUDevice : GPUObject
{
    private readonly DeviceErrors _errors;
    // Weak keys: an object dropped without Dispose is still released by its SafeHandle's finalizer.
    private readonly ConditionalWeakTable<GPUObject, object?> _children = [];

    internal GPUDevice(GPUAdapter adapter, nint handle, string label, Task<GPUDeviceLostInfo> lost, DeviceErrors errors)
        : base(DawnObjectKind.Device, handle, label)
    {
        Adapter = adapter;
        Lost = lost;
        _errors = errors;
        _errors.Uncaptured += error => UncapturedError?.Invoke(this, error);
        unsafe
        {
            lock (Sync)
            {
                Limits = GPUSupportedLimits.Read(handle, &Dawn.DeviceGetLimits, "device");
                WGPUSupportedFeatures features = default;
                Dawn.DeviceGetFeatures(handle, &features);
                var names = new HashSet<string>();
                for (nuint i = 0; i < features.FeatureCount; i++)
                {
                    names.Add(GPUFeatures.Name(features.Features[i]));
                }
                Features = names;
                Dawn.SupportedFeaturesFreeMembers(features);
                Queue = new GPUQueue(this, Dawn.DeviceGetQueue(handle));
            }
        }
    }

    /// <summary>The adapter the device was created from.</summary>
    public GPUAdapter Adapter { get; }

    /// <summary>The device's limits.</summary>
    public GPUSupportedLimits Limits { get; }

    /// <summary>The device's features.</summary>
    public IReadOnlySet<string> Features { get; }

    /// <summary>The device's queue.</summary>
    public GPUQueue Queue { get; }

    /// <summary>Completes when the device is lost (destroyed, or lost by the GPU or driver); never faults.</summary>
    public Task<GPUDeviceLostInfo> Lost { get; }

    /// <summary>Raised for an error that no call and no error scope captured (rare: Dawn reports most errors inside the call).</summary>
    public event EventHandler<GPUError>? UncapturedError;

    internal DawnInstance Instance => Adapter.Instance;

    internal Lock Sync => Adapter.Instance.Sync;

    /// <summary>Runs a call into Dawn under the lock and throws what Dawn reports during it.</summary>
    internal T Call<T>(Func<T> call) => DeviceErrors.Run(Sync, call);

    /// <summary>Runs a call into Dawn under the lock and throws what Dawn reports during it.</summary>
    internal void Call(Action call) => DeviceErrors.Run(Sync, call);

    /// <summary>Creates a buffer (WebGPU's createBuffer).</summary>
    public unsafe GPUBuffer CreateBuffer(GPUBufferDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return new GPUBuffer(this, CreateNativeBuffer(descriptor, null), descriptor);
    }

    /// <summary>
    /// Creates a buffer over <paramref name="descriptor"/>.Size bytes of <paramref name="memory"/> from
    /// <paramref name="offset"/> on, without a copy (Dawn's "host-mapped-pointer" feature): what the GPU writes, the CPU
    /// reads from <paramref name="memory"/> once the work is done, and the reverse. The buffer cannot be mapped (it always
    /// is); the memory stays allocated until Dawn reports the buffer disposed and the GPU done with it.
    /// </summary>
    /// <exception cref="NotSupportedException">The device was created without the "host-mapped-pointer" feature.</exception>
    /// <exception cref="ArgumentException">
    /// The range is outside the memory, its address or size is not a multiple of the device's
    /// <see cref="GPUSupportedLimits.HostMappedPointerAlignment"/>, or the descriptor asks for mapping at creation.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The memory's owner has disposed it.</exception>
    public unsafe GPUBuffer CreateBuffer(GPUBufferDescriptor descriptor, HostMappedMemory memory, ulong offset = 0)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(memory);
        ValidateHostMapped(descriptor, memory, offset);
        var lease = new HostMemoryLease(memory, Instance);
        var hostMapped = new WGPUBufferHostMappedPointer
        {
            Chain = new WGPUChainedStruct { SType = WGPUBufferHostMappedPointer.SType },
            Pointer = (void*)(memory.Address + (nint)offset),
            DisposeCallback = &HostMemoryLease.OnBufferDisposed,
            Userdata = CallbackState.Allocate(lease),
        };
        // Dawn calls the dispose callback only for a buffer it created, so every error must be seen here, even one an
        // application's error scope would capture: the call runs inside scopes of its own.
        nint handle = 0;
        GPUError? error = null;
        try
        {
            PushErrorScope(GPUErrorFilter.Internal);
            PushErrorScope(GPUErrorFilter.OutOfMemory);
            PushErrorScope(GPUErrorFilter.Validation);
            handle = CreateNativeBuffer(descriptor, &hostMapped.Chain);
            for (int i = 0; i < 3; i++)
            {
                error ??= PopErrorScopeAsync().GetAwaiter().GetResult();
            }
        }
        finally
        {
            if (handle == 0 || error is not null)
            {
                CallbackState.Take<HostMemoryLease>(hostMapped.Userdata).Release();
            }
        }
        if (error is not null)
        {
            lock (Sync)
            {
                Dawn.BufferRelease(handle);
            }
            throw error.ToException();
        }
        return new GPUBuffer(this, handle, descriptor, lease);
    }

    private unsafe nint CreateNativeBuffer(GPUBufferDescriptor descriptor, WGPUChainedStruct* chain)
    {
        using var label = new PinnedUtf8(descriptor.Label);
        var native = new WGPUBufferDescriptor
        {
            NextInChain = chain,
            Label = label.View,
            Usage = (ulong)descriptor.Usage,
            Size = descriptor.Size,
            MappedAtCreation = descriptor.MappedAtCreation ? 1u : 0u,
        };
        nint device = Native;
        nint address = (nint)(&native);
        return Call(() => Dawn.DeviceCreateBuffer(device, (WGPUBufferDescriptor*)address));
    }

    /// <summary>
    /// Dawn's rules for a buffer over host memory, checked here so that a broken one throws with the reason and Dawn never
    /// holds the memory of a buffer it failed to create (it would not report that buffer disposed).
    /// </summary>
    private void ValidateHostMapped(GPUBufferDescriptor descriptor, HostMappedMemory memory, ulong offset)
    {
        if (!Features.Contains(HostMappedMemory.Feature))
        {
            throw new NotSupportedException($"Buffers over host memory need a device created with the \"{HostMappedMemory.Feature}\" feature; this adapter " +
                (Adapter.Features.Contains(HostMappedMemory.Feature)
                    ? "has it: request it in GPUDeviceDescriptor.RequiredFeatures."
                    : "does not list it (Dawn lists this experimental feature only for an adapter requested with the \"allow_unsafe_apis\" toggle, " +
                      "and only where the driver can import host memory: Vulkan's VK_EXT_external_memory_host, Metal, D3D12)."));
        }
        if (descriptor.MappedAtCreation)
        {
            throw new ArgumentException("A buffer over host memory cannot be mapped at creation: the CPU reaches its bytes through the memory itself.", nameof(descriptor));
        }
        if (offset > (ulong)memory.Length || descriptor.Size > (ulong)memory.Length - offset)
        {
            throw new ArgumentException($"The buffer's range (offset {offset}, size {descriptor.Size}) is outside {memory}.", nameof(descriptor));
        }
        ulong alignment = Limits.HostMappedPointerAlignment!.Value;
        if (descriptor.Size % alignment != 0)
        {
            throw new ArgumentException($"The size ({descriptor.Size}) of a buffer over host memory is not a multiple of the device's hostMappedPointerAlignment ({alignment}).", nameof(descriptor));
        }
        if ((ulong)(memory.Address + (nint)offset) % alignment != 0)
        {
            throw new ArgumentException($"The host memory at offset {offset} of {memory} (aligned to {memory.Alignment}) is not aligned to the device's hostMappedPointerAlignment ({alignment}).", nameof(offset));
        }
    }

    /// <summary>Creates a shader module from WGSL (WebGPU's createShaderModule). A compile error throws, with every diagnostic and its line.</summary>
    /// <exception cref="GPUShaderCompilationException">The WGSL does not compile.</exception>
    public unsafe GPUShaderModule CreateShaderModule(GPUShaderModuleDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        using var label = new PinnedUtf8(descriptor.Label);
        using var code = new PinnedUtf8(descriptor.Code);
        var source = new WGPUShaderSourceWGSL { Chain = new WGPUChainedStruct { SType = WGPUShaderSourceWGSL.SType }, Code = code.View };
        var native = new WGPUShaderModuleDescriptor { NextInChain = &source.Chain, Label = label.View };
        nint device = Native;
        nint address = (nint)(&native);
        // A module that fails to compile is still created (an error object) and can report its diagnostics.
        nint handle = DeviceErrors.Collect(Sync, () => Dawn.DeviceCreateShaderModule(device, (WGPUShaderModuleDescriptor*)address), out var errors);
        var module = new GPUShaderModule(this, handle, descriptor.Label);
        if (errors.Count == 0)
        {
            return module;
        }
        var diagnostics = module.GetCompilationInfoAsync().GetAwaiter().GetResult().Where(m => m.Type == GPUCompilationMessageType.Error).ToList();
        module.Dispose();
        throw new GPUShaderCompilationException(
            diagnostics.Count == 0 ? errors[0].Message : $"WGSL compilation of '{descriptor.Label}' failed:{Environment.NewLine}" + string.Join(Environment.NewLine, diagnostics),
            diagnostics);
    }

    /// <summary>Creates a compute pipeline (WebGPU's createComputePipeline).</summary>
    public GPUComputePipeline CreateComputePipeline(GPUComputePipelineDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return WithPipelineDescriptor(descriptor, native => new GPUComputePipeline(this, Call(() => CreatePipeline(native)), descriptor.Label));
    }

    /// <summary>Creates a compute pipeline without blocking on shader compilation (WebGPU's createComputePipelineAsync).</summary>
    public unsafe Task<GPUComputePipeline> CreateComputePipelineAsync(GPUComputePipelineDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var request = new PipelineRequest(this, descriptor.Label);
        WithPipelineDescriptor(descriptor, native =>
        {
            lock (Sync)
            {
                Instance.BeginOperation();
                Dawn.DeviceCreateComputePipelineAsync(Native, (WGPUComputePipelineDescriptor*)native,
                    CallbackState.Info((delegate* unmanaged<uint, nint, WGPUStringView, void*, void*, void>)&OnPipelineCreated, request));
            }
            return 0;
        });
        return request.Completion.Task;
    }

    /// <summary>Creates a bind group layout (WebGPU's createBindGroupLayout).</summary>
    public unsafe GPUBindGroupLayout CreateBindGroupLayout(GPUBindGroupLayoutDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var entries = descriptor.Entries.Select(e => new WGPUBindGroupLayoutEntry
        {
            Binding = e.Binding,
            Visibility = (ulong)e.Visibility,
            Buffer = new WGPUBufferBindingLayout { Type = (uint)e.Buffer.Type, HasDynamicOffset = e.Buffer.HasDynamicOffset ? 1u : 0u, MinBindingSize = e.Buffer.MinBindingSize },
        }).ToArray();
        using var label = new PinnedUtf8(descriptor.Label);
        fixed (WGPUBindGroupLayoutEntry* entryPointer = entries)
        {
            var native = new WGPUBindGroupLayoutDescriptor { Label = label.View, EntryCount = (nuint)entries.Length, Entries = entryPointer };
            nint device = Native;
            nint address = (nint)(&native);
            return new GPUBindGroupLayout(this, Call(() => Dawn.DeviceCreateBindGroupLayout(device, (WGPUBindGroupLayoutDescriptor*)address)), descriptor.Label);
        }
    }

    /// <summary>Creates a pipeline layout (WebGPU's createPipelineLayout).</summary>
    public unsafe GPUPipelineLayout CreatePipelineLayout(GPUPipelineLayoutDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var layouts = descriptor.BindGroupLayouts.Select(l => l.Native).ToArray();
        using var label = new PinnedUtf8(descriptor.Label);
        fixed (nint* layoutPointer = layouts)
        {
            var native = new WGPUPipelineLayoutDescriptor { Label = label.View, BindGroupLayoutCount = (nuint)layouts.Length, BindGroupLayouts = layoutPointer };
            nint device = Native;
            nint address = (nint)(&native);
            return new GPUPipelineLayout(this, Call(() => Dawn.DeviceCreatePipelineLayout(device, (WGPUPipelineLayoutDescriptor*)address)), descriptor.Label);
        }
    }

    /// <summary>Creates a bind group (WebGPU's createBindGroup).</summary>
    public unsafe GPUBindGroup CreateBindGroup(GPUBindGroupDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var entries = descriptor.Entries.Select(e => new WGPUBindGroupEntry
        {
            Binding = e.Binding,
            Buffer = e.Buffer.Native,
            Offset = e.Offset,
            Size = e.Size ?? ulong.MaxValue,
        }).ToArray();
        using var label = new PinnedUtf8(descriptor.Label);
        fixed (WGPUBindGroupEntry* entryPointer = entries)
        {
            var native = new WGPUBindGroupDescriptor { Label = label.View, Layout = descriptor.Layout.Native, EntryCount = (nuint)entries.Length, Entries = entryPointer };
            nint device = Native;
            nint address = (nint)(&native);
            return new GPUBindGroup(this, Call(() => Dawn.DeviceCreateBindGroup(device, (WGPUBindGroupDescriptor*)address)), descriptor.Label, [.. descriptor.Entries.Select(e => e.Buffer)]);
        }
    }

    /// <summary>Creates a command encoder (WebGPU's createCommandEncoder).</summary>
    public unsafe GPUCommandEncoder CreateCommandEncoder(string label = "")
    {
        using var text = new PinnedUtf8(label);
        var native = new WGPULabelDescriptor { Label = text.View };
        nint device = Native;
        nint address = (nint)(&native);
        return new GPUCommandEncoder(this, Call(() => Dawn.DeviceCreateCommandEncoder(device, (WGPULabelDescriptor*)address)), label);
    }

    /// <summary>Creates a query set (WebGPU's createQuerySet); timestamp queries need the "timestamp-query" feature.</summary>
    public unsafe GPUQuerySet CreateQuerySet(GPUQuerySetDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Type == GPUQueryType.Timestamp && !Features.Contains("timestamp-query"))
        {
            throw new NotSupportedException("Timestamp queries need a device created with the \"timestamp-query\" feature; this adapter " +
                (Adapter.Features.Contains("timestamp-query") ? "has it: request it in GPUDeviceDescriptor.RequiredFeatures." : "does not have it."));
        }
        using var label = new PinnedUtf8(descriptor.Label);
        var native = new WGPUQuerySetDescriptor { Label = label.View, Type = (uint)descriptor.Type, Count = descriptor.Count };
        nint device = Native;
        nint address = (nint)(&native);
        return new GPUQuerySet(this, Call(() => Dawn.DeviceCreateQuerySet(device, (WGPUQuerySetDescriptor*)address)), descriptor);
    }

    /// <summary>Starts capturing errors of <paramref name="filter"/> (WebGPU's pushErrorScope).</summary>
    public void PushErrorScope(GPUErrorFilter filter)
    {
        nint device = Native;
        Call(() => Dawn.DevicePushErrorScope(device, (uint)filter));
    }

    /// <summary>Ends the innermost error scope and returns the first error it captured, or null (WebGPU's popErrorScope).</summary>
    /// <exception cref="InvalidOperationException">No error scope is open.</exception>
    public unsafe Task<GPUError?> PopErrorScopeAsync()
    {
        var request = new ErrorScopeRequest(this);
        nint device = Native;
        lock (Sync)
        {
            Instance.BeginOperation();
            Dawn.DevicePopErrorScope(device, CallbackState.Info((delegate* unmanaged<uint, uint, WGPUStringView, void*, void*, void>)&OnErrorScopePopped, request));
        }
        return request.Completion.Task;
    }

    /// <summary>Destroys the device: its memory is freed, <see cref="Lost"/> completes, later work fails (WebGPU's destroy).</summary>
    public void Destroy()
    {
        if (!IsDisposed)
        {
            nint device = Native;
            lock (Sync)
            {
                Dawn.DeviceDestroy(device);
            }
        }
    }

    /// <summary>Registers an object created from this device, which <see cref="GPUObject.Dispose"/> of the device disposes.</summary>
    internal void Own(GPUObject child) => _children.TryAdd(child, null);

    /// <summary>Disposes every object created from the device that is still alive, then destroys the device, so its GPU memory goes now.</summary>
    private protected override void OnDispose()
    {
        foreach (var (child, _) in _children)
        {
            child.Dispose();
        }
        Queue.Dispose();
        Destroy();
    }

    private unsafe nint CreatePipeline(nint native)
    {
        return Dawn.DeviceCreateComputePipeline(Native, (WGPUComputePipelineDescriptor*)native);
    }

    /// <summary>Builds the native pipeline descriptor (pinned strings and constants) and hands its address to <paramref name="use"/>.</summary>
    private unsafe T WithPipelineDescriptor<T>(GPUComputePipelineDescriptor descriptor, Func<nint, T> use)
    {
        using var label = new PinnedUtf8(descriptor.Label);
        using var entryPoint = new PinnedUtf8(descriptor.Compute.EntryPoint);
        var keys = descriptor.Compute.Constants.Keys.Select(k => new PinnedUtf8(k)).ToArray();
        try
        {
            var constants = descriptor.Compute.Constants.Values.Select((value, i) => new WGPUConstantEntry { Key = keys[i].View, Value = value }).ToArray();
            fixed (WGPUConstantEntry* constantPointer = constants)
            {
                var native = new WGPUComputePipelineDescriptor
                {
                    Label = label.View,
                    Layout = descriptor.Layout?.Native ?? 0,
                    Compute = new WGPUComputeState
                    {
                        Module = descriptor.Compute.Module.Native,
                        EntryPoint = descriptor.Compute.EntryPoint is null ? new WGPUStringView { Length = WGPUStringView.NullTerminated } : entryPoint.View,
                        ConstantCount = (nuint)constants.Length,
                        Constants = constantPointer,
                    },
                };
                return use((nint)(&native));
            }
        }
        finally
        {
            foreach (var key in keys)
            {
                key.Dispose();
            }
        }
    }

    private sealed class PipelineRequest(GPUDevice device, string label)
    {
        public GPUDevice Device { get; } = device;

        public string Label { get; } = label;

        public TaskCompletionSource<GPUComputePipeline> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class ErrorScopeRequest(GPUDevice device)
    {
        public GPUDevice Device { get; } = device;

        public TaskCompletionSource<GPUError?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [UnmanagedCallersOnly]
    private static unsafe void OnPipelineCreated(uint status, nint pipeline, WGPUStringView message, void* userdata1, void* userdata2)
    {
        var request = CallbackState.Take<PipelineRequest>(userdata1);
        request.Device.Instance.EndOperation();
        if (status == Dawn.StatusSuccess && pipeline != 0)
        {
            request.Completion.SetResult(new GPUComputePipeline(request.Device, pipeline, request.Label));
        }
        else
        {
            request.Completion.SetException(new GPUValidationException($"createComputePipelineAsync failed: {message}"));
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe void OnErrorScopePopped(uint status, uint type, WGPUStringView message, void* userdata1, void* userdata2)
    {
        var request = CallbackState.Take<ErrorScopeRequest>(userdata1);
        request.Device.Instance.EndOperation();
        if (status == Dawn.StatusSuccess)
        {
            request.Completion.SetResult(GPUError.FromDawn(type, message.ToString()));
        }
        else
        {
            request.Completion.SetException(new InvalidOperationException($"popErrorScope failed: {message}"));
        }
    }
}
