using System.Runtime.InteropServices;
using System.Text;

namespace WebGpu.Interop;

// Blittable mirrors of webgpu.h as built into bun-webgpu 0.1.7's Dawn (spring 2025: WGPUStringView, callback-info
// structs, WGPULimits with maxImmediateSize, WGPUBindGroupLayoutEntry with bindingArraySize). The C names are kept.
// Layouts are proven by the round-trip tests in tests/WebGpu.Tests/InteropLayoutTests.cs.
#pragma warning disable IDE1006 // C names, as in webgpu.h

/// <summary><c>WGPUStringView</c>: UTF-8 bytes and a length; a null pointer with <see cref="NullTerminated"/> means "absent".</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUStringView
{
    public const nuint NullTerminated = nuint.MaxValue;

    public byte* data;
    public nuint length;

    public static WGPUStringView Null => new() { data = null, length = NullTerminated };

    public static WGPUStringView Of(byte* utf8, int length) => new() { data = utf8, length = (nuint)length };

    public readonly override string ToString()
    {
        if (data == null)
        {
            return string.Empty;
        }
        if (length == NullTerminated)
        {
            return Marshal.PtrToStringUTF8((nint)data) ?? string.Empty;
        }
        return Encoding.UTF8.GetString(data, checked((int)length));
    }
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUChainedStruct
{
    public WGPUChainedStruct* next;
    public WGPUSType sType;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUFutureWaitInfo
{
    public ulong futureId;
    public uint completed;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUInstanceCapabilities
{
    public void* nextInChain;
    public uint timedWaitAnyEnable;
    public nuint timedWaitAnyMaxCount;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUInstanceDescriptor
{
    public void* nextInChain;
    public WGPUInstanceCapabilities capabilities;
}

/// <summary>The shape shared by every <c>WGPU…CallbackInfo</c> that has a mode.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUCallbackInfo
{
    public void* nextInChain;
    public WGPUCallbackMode mode;
    public void* callback;
    public void* userdata1;
    public void* userdata2;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUUncapturedErrorCallbackInfo
{
    public void* nextInChain;
    public void* callback;
    public void* userdata1;
    public void* userdata2;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPURequestAdapterOptions
{
    public void* nextInChain;
    public uint featureLevel;
    public WGPUPowerPreference powerPreference;
    public uint forceFallbackAdapter;
    public WGPUBackendType backendType;
    public void* compatibleSurface;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUAdapterInfo
{
    public void* nextInChain;
    public WGPUStringView vendor;
    public WGPUStringView architecture;
    public WGPUStringView device;
    public WGPUStringView description;
    public WGPUBackendType backendType;
    public WGPUAdapterType adapterType;
    public uint vendorID;
    public uint deviceID;
    public uint subgroupMinSize;
    public uint subgroupMaxSize;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUSupportedFeatures
{
    public nuint featureCount;
    public uint* features;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPULimits
{
    public const uint U32Undefined = uint.MaxValue;
    public const ulong U64Undefined = ulong.MaxValue;

    public void* nextInChain;
    public uint maxTextureDimension1D;
    public uint maxTextureDimension2D;
    public uint maxTextureDimension3D;
    public uint maxTextureArrayLayers;
    public uint maxBindGroups;
    public uint maxBindGroupsPlusVertexBuffers;
    public uint maxBindingsPerBindGroup;
    public uint maxDynamicUniformBuffersPerPipelineLayout;
    public uint maxDynamicStorageBuffersPerPipelineLayout;
    public uint maxSampledTexturesPerShaderStage;
    public uint maxSamplersPerShaderStage;
    public uint maxStorageBuffersPerShaderStage;
    public uint maxStorageTexturesPerShaderStage;
    public uint maxUniformBuffersPerShaderStage;
    public ulong maxUniformBufferBindingSize;
    public ulong maxStorageBufferBindingSize;
    public uint minUniformBufferOffsetAlignment;
    public uint minStorageBufferOffsetAlignment;
    public uint maxVertexBuffers;
    public ulong maxBufferSize;
    public uint maxVertexAttributes;
    public uint maxVertexBufferArrayStride;
    public uint maxInterStageShaderVariables;
    public uint maxColorAttachments;
    public uint maxColorAttachmentBytesPerSample;
    public uint maxComputeWorkgroupStorageSize;
    public uint maxComputeInvocationsPerWorkgroup;
    public uint maxComputeWorkgroupSizeX;
    public uint maxComputeWorkgroupSizeY;
    public uint maxComputeWorkgroupSizeZ;
    public uint maxComputeWorkgroupsPerDimension;
    public uint maxImmediateSize;
    public uint maxStorageBuffersInVertexStage;
    public uint maxStorageTexturesInVertexStage;
    public uint maxStorageBuffersInFragmentStage;
    public uint maxStorageTexturesInFragmentStage;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUQueueDescriptor
{
    public void* nextInChain;
    public WGPUStringView label;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUDeviceDescriptor
{
    public void* nextInChain;
    public WGPUStringView label;
    public nuint requiredFeatureCount;
    public uint* requiredFeatures;
    public WGPULimits* requiredLimits;
    public WGPUQueueDescriptor defaultQueue;
    public WGPUCallbackInfo deviceLostCallbackInfo;
    public WGPUUncapturedErrorCallbackInfo uncapturedErrorCallbackInfo;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUBufferDescriptor
{
    public void* nextInChain;
    public WGPUStringView label;
    public ulong usage;
    public ulong size;
    public uint mappedAtCreation;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUShaderModuleDescriptor
{
    public WGPUChainedStruct* nextInChain;
    public WGPUStringView label;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUShaderSourceWGSL
{
    public WGPUChainedStruct chain;
    public WGPUStringView code;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUCompilationInfo
{
    public void* nextInChain;
    public nuint messageCount;
    public WGPUCompilationMessage* messages;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUCompilationMessage
{
    public void* nextInChain;
    public WGPUStringView message;
    public WGPUCompilationMessageType type;
    public ulong lineNum;
    public ulong linePos;
    public ulong offset;
    public ulong length;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUConstantEntry
{
    public void* nextInChain;
    public WGPUStringView key;
    public double value;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUComputeState
{
    public void* nextInChain;
    public nint module;
    public WGPUStringView entryPoint;
    public nuint constantCount;
    public WGPUConstantEntry* constants;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUComputePipelineDescriptor
{
    public void* nextInChain;
    public WGPUStringView label;
    public nint layout;
    public WGPUComputeState compute;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUBufferBindingLayout
{
    public void* nextInChain;
    public WGPUBufferBindingType type;
    public uint hasDynamicOffset;
    public ulong minBindingSize;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUSamplerBindingLayout
{
    public void* nextInChain;
    public uint type;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUTextureBindingLayout
{
    public void* nextInChain;
    public uint sampleType;
    public uint viewDimension;
    public uint multisampled;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUStorageTextureBindingLayout
{
    public void* nextInChain;
    public uint access;
    public uint format;
    public uint viewDimension;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUBindGroupLayoutEntry
{
    public void* nextInChain;
    public uint binding;
    public ulong visibility;
    public uint bindingArraySize;
    public WGPUBufferBindingLayout buffer;
    public WGPUSamplerBindingLayout sampler;
    public WGPUTextureBindingLayout texture;
    public WGPUStorageTextureBindingLayout storageTexture;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUBindGroupLayoutDescriptor
{
    public void* nextInChain;
    public WGPUStringView label;
    public nuint entryCount;
    public WGPUBindGroupLayoutEntry* entries;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUPipelineLayoutDescriptor
{
    public void* nextInChain;
    public WGPUStringView label;
    public nuint bindGroupLayoutCount;
    public nint* bindGroupLayouts;
    public uint immediateSize;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUBindGroupEntry
{
    public void* nextInChain;
    public uint binding;
    public nint buffer;
    public ulong offset;
    public ulong size;
    public nint sampler;
    public nint textureView;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUBindGroupDescriptor
{
    public void* nextInChain;
    public WGPUStringView label;
    public nint layout;
    public nuint entryCount;
    public WGPUBindGroupEntry* entries;
}

/// <summary><c>WGPUCommandEncoderDescriptor</c> and <c>WGPUCommandBufferDescriptor</c> alike: a chain and a label.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPULabeledDescriptor
{
    public void* nextInChain;
    public WGPUStringView label;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUPassTimestampWrites
{
    public const uint QuerySetIndexUndefined = uint.MaxValue;

    public void* nextInChain;
    public nint querySet;
    public uint beginningOfPassWriteIndex;
    public uint endOfPassWriteIndex;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUComputePassDescriptor
{
    public void* nextInChain;
    public WGPUStringView label;
    public WGPUPassTimestampWrites* timestampWrites;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUQuerySetDescriptor
{
    public void* nextInChain;
    public WGPUStringView label;
    public WGPUQueryType type;
    public uint count;
}

internal enum WGPUSType : uint
{
    ShaderSourceWGSL = 0x00000002,
}

internal enum WGPUCallbackMode : uint
{
    WaitAnyOnly = 1,
    AllowProcessEvents = 2,
    AllowSpontaneous = 3,
}

internal enum WGPUWaitStatus : uint
{
    Success = 1,
    TimedOut = 2,
}

internal enum WGPUStatus : uint
{
    Success = 1,
    Error = 2,
}

internal enum WGPUPowerPreference : uint
{
    Undefined = 0,
    LowPower = 1,
    HighPerformance = 2,
}

internal enum WGPUBackendType : uint
{
    Undefined = 0,
    Null = 1,
    WebGPU = 2,
    D3D11 = 3,
    D3D12 = 4,
    Metal = 5,
    Vulkan = 6,
    OpenGL = 7,
    OpenGLES = 8,
}

internal enum WGPUAdapterType : uint
{
    DiscreteGPU = 1,
    IntegratedGPU = 2,
    CPU = 3,
    Unknown = 4,
}

internal enum WGPURequestStatus : uint
{
    Success = 1,
}

internal enum WGPUMapAsyncStatus : uint
{
    Success = 1,
    CallbackCancelled = 2,
    Error = 3,
    Aborted = 4,
}

internal enum WGPUErrorType : uint
{
    NoError = 1,
    Validation = 2,
    OutOfMemory = 3,
    Internal = 4,
    Unknown = 5,
}

internal enum WGPUBufferBindingType : uint
{
    BindingNotUsed = 0,
    Undefined = 1,
    Uniform = 2,
    Storage = 3,
    ReadOnlyStorage = 4,
}

internal enum WGPUCompilationMessageType : uint
{
    Error = 1,
    Warning = 2,
    Info = 3,
}

internal enum WGPUQueryType : uint
{
    Occlusion = 1,
    Timestamp = 2,
}
