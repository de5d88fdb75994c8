using System.Runtime.InteropServices;

namespace WebGpu.Interop;

/// <summary>
/// The functions of Dawn's C API (webgpu.h) this library calls. Handles are opaque pointers; every
/// struct is blittable (see DawnStructs.cs). The only place that calls into Dawn.
/// </summary>
internal static unsafe partial class Dawn
{
    static Dawn() => DawnLibrary.Register();

    // Instance
    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuCreateInstance")]
    public static partial nint CreateInstance(void* descriptor);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuInstanceRequestAdapter")]
    public static partial WGPUFuture InstanceRequestAdapter(nint instance, WGPURequestAdapterOptions* options, WGPUCallbackInfo callbackInfo);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuInstanceProcessEvents")]
    public static partial void InstanceProcessEvents(nint instance);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuInstanceRelease")]
    public static partial void InstanceRelease(nint instance);

    // Adapter
    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuAdapterGetInfo")]
    public static partial uint AdapterGetInfo(nint adapter, WGPUAdapterInfo* info);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuAdapterInfoFreeMembers")]
    public static partial void AdapterInfoFreeMembers(WGPUAdapterInfo info);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuAdapterGetLimits")]
    public static partial uint AdapterGetLimits(nint adapter, WGPULimits* limits);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuAdapterGetFeatures")]
    public static partial void AdapterGetFeatures(nint adapter, WGPUSupportedFeatures* features);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuSupportedFeaturesFreeMembers")]
    public static partial void SupportedFeaturesFreeMembers(WGPUSupportedFeatures features);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuAdapterRequestDevice")]
    public static partial WGPUFuture AdapterRequestDevice(nint adapter, WGPUDeviceDescriptor* descriptor, WGPUCallbackInfo callbackInfo);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuAdapterRelease")]
    public static partial void AdapterRelease(nint adapter);

    // Device
    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuDeviceGetQueue")]
    public static partial nint DeviceGetQueue(nint device);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuDeviceGetLimits")]
    public static partial uint DeviceGetLimits(nint device, WGPULimits* limits);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuDeviceGetFeatures")]
    public static partial void DeviceGetFeatures(nint device, WGPUSupportedFeatures* features);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuDeviceCreateBuffer")]
    public static partial nint DeviceCreateBuffer(nint device, WGPUBufferDescriptor* descriptor);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuDeviceCreateShaderModule")]
    public static partial nint DeviceCreateShaderModule(nint device, WGPUShaderModuleDescriptor* descriptor);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuDeviceCreateComputePipeline")]
    public static partial nint DeviceCreateComputePipeline(nint device, WGPUComputePipelineDescriptor* descriptor);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuDeviceCreateComputePipelineAsync")]
    public static partial WGPUFuture DeviceCreateComputePipelineAsync(nint device, WGPUComputePipelineDescriptor* descriptor, WGPUCallbackInfo callbackInfo);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuDeviceCreateBindGroupLayout")]
    public static partial nint DeviceCreateBindGroupLayout(nint device, WGPUBindGroupLayoutDescriptor* descriptor);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuDeviceCreatePipelineLayout")]
    public static partial nint DeviceCreatePipelineLayout(nint device, WGPUPipelineLayoutDescriptor* descriptor);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuDeviceCreateBindGroup")]
    public static partial nint DeviceCreateBindGroup(nint device, WGPUBindGroupDescriptor* descriptor);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuDeviceCreateCommandEncoder")]
    public static partial nint DeviceCreateCommandEncoder(nint device, WGPULabelDescriptor* descriptor);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuDeviceCreateQuerySet")]
    public static partial nint DeviceCreateQuerySet(nint device, WGPUQuerySetDescriptor* descriptor);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuDevicePushErrorScope")]
    public static partial void DevicePushErrorScope(nint device, uint filter);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuDevicePopErrorScope")]
    public static partial WGPUFuture DevicePopErrorScope(nint device, WGPUCallbackInfo callbackInfo);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuDeviceDestroy")]
    public static partial void DeviceDestroy(nint device);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuDeviceRelease")]
    public static partial void DeviceRelease(nint device);

    // Buffer
    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuBufferMapAsync")]
    public static partial WGPUFuture BufferMapAsync(nint buffer, ulong mode, nuint offset, nuint size, WGPUCallbackInfo callbackInfo);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuBufferGetMappedRange")]
    public static partial void* BufferGetMappedRange(nint buffer, nuint offset, nuint size);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuBufferGetConstMappedRange")]
    public static partial void* BufferGetConstMappedRange(nint buffer, nuint offset, nuint size);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuBufferUnmap")]
    public static partial void BufferUnmap(nint buffer);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuBufferGetMapState")]
    public static partial uint BufferGetMapState(nint buffer);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuBufferDestroy")]
    public static partial void BufferDestroy(nint buffer);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuBufferAddRef")]
    public static partial void BufferAddRef(nint buffer);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuBufferRelease")]
    public static partial void BufferRelease(nint buffer);

    // Shader module, pipelines, bindings
    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuShaderModuleGetCompilationInfo")]
    public static partial WGPUFuture ShaderModuleGetCompilationInfo(nint shaderModule, WGPUCallbackInfo callbackInfo);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuShaderModuleRelease")]
    public static partial void ShaderModuleRelease(nint shaderModule);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuComputePipelineGetBindGroupLayout")]
    public static partial nint ComputePipelineGetBindGroupLayout(nint pipeline, uint groupIndex);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuComputePipelineRelease")]
    public static partial void ComputePipelineRelease(nint pipeline);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuBindGroupLayoutRelease")]
    public static partial void BindGroupLayoutRelease(nint layout);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuPipelineLayoutRelease")]
    public static partial void PipelineLayoutRelease(nint layout);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuBindGroupRelease")]
    public static partial void BindGroupRelease(nint group);

    // Commands
    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuCommandEncoderBeginComputePass")]
    public static partial nint CommandEncoderBeginComputePass(nint encoder, WGPUComputePassDescriptor* descriptor);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuCommandEncoderCopyBufferToBuffer")]
    public static partial void CommandEncoderCopyBufferToBuffer(nint encoder, nint source, ulong sourceOffset, nint destination, ulong destinationOffset, ulong size);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuCommandEncoderClearBuffer")]
    public static partial void CommandEncoderClearBuffer(nint encoder, nint buffer, ulong offset, ulong size);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuCommandEncoderResolveQuerySet")]
    public static partial void CommandEncoderResolveQuerySet(nint encoder, nint querySet, uint firstQuery, uint queryCount, nint destination, ulong destinationOffset);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuCommandEncoderFinish")]
    public static partial nint CommandEncoderFinish(nint encoder, WGPULabelDescriptor* descriptor);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuCommandEncoderRelease")]
    public static partial void CommandEncoderRelease(nint encoder);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuComputePassEncoderSetPipeline")]
    public static partial void ComputePassEncoderSetPipeline(nint pass, nint pipeline);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuComputePassEncoderSetBindGroup")]
    public static partial void ComputePassEncoderSetBindGroup(nint pass, uint groupIndex, nint group, nuint dynamicOffsetCount, uint* dynamicOffsets);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuComputePassEncoderDispatchWorkgroups")]
    public static partial void ComputePassEncoderDispatchWorkgroups(nint pass, uint x, uint y, uint z);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuComputePassEncoderDispatchWorkgroupsIndirect")]
    public static partial void ComputePassEncoderDispatchWorkgroupsIndirect(nint pass, nint indirectBuffer, ulong indirectOffset);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuComputePassEncoderEnd")]
    public static partial void ComputePassEncoderEnd(nint pass);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuComputePassEncoderRelease")]
    public static partial void ComputePassEncoderRelease(nint pass);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuCommandBufferRelease")]
    public static partial void CommandBufferRelease(nint commandBuffer);

    // Queue
    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuQueueSubmit")]
    public static partial void QueueSubmit(nint queue, nuint commandCount, nint* commands);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuQueueWriteBuffer")]
    public static partial void QueueWriteBuffer(nint queue, nint buffer, ulong bufferOffset, void* data, nuint size);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuQueueOnSubmittedWorkDone")]
    public static partial WGPUFuture QueueOnSubmittedWorkDone(nint queue, WGPUCallbackInfo callbackInfo);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuQueueRelease")]
    public static partial void QueueRelease(nint queue);

    // Query set
    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuQuerySetDestroy")]
    public static partial void QuerySetDestroy(nint querySet);

    [LibraryImport(DawnLibrary.Name, EntryPoint = "wgpuQuerySetRelease")]
    public static partial void QuerySetRelease(nint querySet);

    /// <summary>WGPUStatus_Success.</summary>
    public const uint StatusSuccess = 1;

    /// <summary>The callback mode for operations completed by <see cref="InstanceProcessEvents"/>.</summary>
    public const uint CallbackModeAllowProcessEvents = 2;

    /// <summary>The callback mode for callbacks Dawn may call on any thread (device lost).</summary>
    public const uint CallbackModeAllowSpontaneous = 3;
}
