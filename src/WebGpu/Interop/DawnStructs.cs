using System.Runtime.InteropServices;
using System.Text;

#pragma warning disable CS0649 // fields are written by Dawn or by the struct's users through object initializers

namespace WebGpu.Interop;

// The C structs of Dawn's webgpu.h at the revision inside bun-webgpu 0.1.7, field for field, in
// declaration order with C's natural alignment (which sequential layout reproduces for these blittable
// fields). Layouts follow kommander/bun-webgpu's src/structs_def.ts; tests round-trip them through Dawn.

/// <summary>WGPUStringView: UTF-8 bytes and a length (SIZE_MAX = null-terminated).</summary>
internal unsafe struct WGPUStringView
{
    public byte* Data;
    public nuint Length;

    public static readonly nuint NullTerminated = nuint.MaxValue;

    public override readonly string ToString()
    {
        if (Data == null)
        {
            return "";
        }
        return Length == NullTerminated
            ? Marshal.PtrToStringUTF8((nint)Data) ?? ""
            : Encoding.UTF8.GetString(Data, checked((int)Length));
    }
}

internal unsafe struct WGPUChainedStruct
{
    public WGPUChainedStruct* Next;
    public uint SType;
}

internal unsafe struct WGPUFuture
{
    public ulong Id;
}

internal unsafe struct WGPURequestAdapterOptions
{
    public WGPUChainedStruct* NextInChain;
    public uint FeatureLevel;
    public uint PowerPreference;
    public uint ForceFallbackAdapter;
    public uint BackendType;
    public nint CompatibleSurface;
}

/// <summary>The shape shared by every WGPU*CallbackInfo: mode, callback and two user pointers.</summary>
internal unsafe struct WGPUCallbackInfo
{
    public WGPUChainedStruct* NextInChain;
    public uint Mode;
    public void* Callback;
    public void* Userdata1;
    public void* Userdata2;
}

internal unsafe struct WGPUUncapturedErrorCallbackInfo
{
    public WGPUChainedStruct* NextInChain;
    public void* Callback;
    public void* Userdata1;
    public void* Userdata2;
}

internal unsafe struct WGPUAdapterInfo
{
    public WGPUChainedStruct* NextInChain;
    public WGPUStringView Vendor;
    public WGPUStringView Architecture;
    public WGPUStringView Device;
    public WGPUStringView Description;
    public uint BackendType;
    public uint AdapterType;
    public uint VendorId;
    public uint DeviceId;
    public uint SubgroupMinSize;
    public uint SubgroupMaxSize;
}

internal unsafe struct WGPULimits
{
    public WGPUChainedStruct* NextInChain;
    public uint MaxTextureDimension1D;
    public uint MaxTextureDimension2D;
    public uint MaxTextureDimension3D;
    public uint MaxTextureArrayLayers;
    public uint MaxBindGroups;
    public uint MaxBindGroupsPlusVertexBuffers;
    public uint MaxBindingsPerBindGroup;
    public uint MaxDynamicUniformBuffersPerPipelineLayout;
    public uint MaxDynamicStorageBuffersPerPipelineLayout;
    public uint MaxSampledTexturesPerShaderStage;
    public uint MaxSamplersPerShaderStage;
    public uint MaxStorageBuffersPerShaderStage;
    public uint MaxStorageTexturesPerShaderStage;
    public uint MaxUniformBuffersPerShaderStage;
    public ulong MaxUniformBufferBindingSize;
    public ulong MaxStorageBufferBindingSize;
    public uint MinUniformBufferOffsetAlignment;
    public uint MinStorageBufferOffsetAlignment;
    public uint MaxVertexBuffers;
    public ulong MaxBufferSize;
    public uint MaxVertexAttributes;
    public uint MaxVertexBufferArrayStride;
    public uint MaxInterStageShaderVariables;
    public uint MaxColorAttachments;
    public uint MaxColorAttachmentBytesPerSample;
    public uint MaxComputeWorkgroupStorageSize;
    public uint MaxComputeInvocationsPerWorkgroup;
    public uint MaxComputeWorkgroupSizeX;
    public uint MaxComputeWorkgroupSizeY;
    public uint MaxComputeWorkgroupSizeZ;
    public uint MaxComputeWorkgroupsPerDimension;
    public uint MaxImmediateSize;
    // Dawn writes 152 bytes here: this revision has no maxStorage{Buffers,Textures}In{Vertex,Fragment}Stage (newer
    // webgpu.h appends them), and ignores them when required. InteropLayoutTests measures the size Dawn writes.
}

internal unsafe struct WGPUSupportedFeatures
{
    public nuint FeatureCount;
    public uint* Features;
}

internal unsafe struct WGPUQueueDescriptor
{
    public WGPUChainedStruct* NextInChain;
    public WGPUStringView Label;
}

internal unsafe struct WGPUDeviceDescriptor
{
    public WGPUChainedStruct* NextInChain;
    public WGPUStringView Label;
    public nuint RequiredFeatureCount;
    public uint* RequiredFeatures;
    public WGPULimits* RequiredLimits;
    public WGPUQueueDescriptor DefaultQueue;
    public WGPUCallbackInfo DeviceLostCallbackInfo;
    public WGPUUncapturedErrorCallbackInfo UncapturedErrorCallbackInfo;
}

/// <summary>Dawn's extension chained to a device descriptor: toggles to turn on or off by name.</summary>
internal unsafe struct WGPUDawnTogglesDescriptor
{
    public WGPUChainedStruct Chain;
    public nuint EnabledToggleCount;
    public byte** EnabledToggles;
    public nuint DisabledToggleCount;
    public byte** DisabledToggles;

    public const uint SType = 0x0005000A;
}

internal unsafe struct WGPUBufferDescriptor
{
    public WGPUChainedStruct* NextInChain;
    public WGPUStringView Label;
    public ulong Usage;
    public ulong Size;
    public uint MappedAtCreation;
}

/// <summary>
/// Dawn's extension chained to a buffer descriptor (feature "host-mapped-pointer"): the buffer wraps memory the
/// application owns, and Dawn calls DisposeCallback(Userdata) once the GPU no longer uses it.
/// </summary>
internal unsafe struct WGPUBufferHostMappedPointer
{
    public WGPUChainedStruct Chain;
    public void* Pointer;
    public delegate* unmanaged<void*, void> DisposeCallback;
    public void* Userdata;

    public const uint SType = 0x00050012;
}

/// <summary>Dawn's extension chained to WGPULimits on output: the alignment host-mapped pointers and sizes need.</summary>
internal unsafe struct WGPUDawnHostMappedPointerLimits
{
    public WGPUChainedStruct Chain;
    public uint HostMappedPointerAlignment;

    public const uint SType = 0x00050043;
}

internal unsafe struct WGPUShaderModuleDescriptor
{
    public WGPUChainedStruct* NextInChain;
    public WGPUStringView Label;
}

internal unsafe struct WGPUShaderSourceWGSL
{
    public WGPUChainedStruct Chain;
    public WGPUStringView Code;

    public const uint SType = 0x00000002;
}

internal unsafe struct WGPUCompilationMessage
{
    public WGPUChainedStruct* NextInChain;
    public WGPUStringView Message;
    public uint Type;
    public ulong LineNum;
    public ulong LinePos;
    public ulong Offset;
    public ulong Length;
}

internal unsafe struct WGPUCompilationInfo
{
    public WGPUChainedStruct* NextInChain;
    public nuint MessageCount;
    public WGPUCompilationMessage* Messages;
}

internal unsafe struct WGPUBufferBindingLayout
{
    public WGPUChainedStruct* NextInChain;
    public uint Type;
    public uint HasDynamicOffset;
    public ulong MinBindingSize;
}

internal unsafe struct WGPUSamplerBindingLayout
{
    public WGPUChainedStruct* NextInChain;
    public uint Type;
}

internal unsafe struct WGPUTextureBindingLayout
{
    public WGPUChainedStruct* NextInChain;
    public uint SampleType;
    public uint ViewDimension;
    public uint Multisampled;
}

internal unsafe struct WGPUStorageTextureBindingLayout
{
    public WGPUChainedStruct* NextInChain;
    public uint Access;
    public uint Format;
    public uint ViewDimension;
}

internal unsafe struct WGPUBindGroupLayoutEntry
{
    public WGPUChainedStruct* NextInChain;
    public uint Binding;
    public ulong Visibility;
    public uint BindingArraySize;
    public WGPUBufferBindingLayout Buffer;
    public WGPUSamplerBindingLayout Sampler;
    public WGPUTextureBindingLayout Texture;
    public WGPUStorageTextureBindingLayout StorageTexture;
}

internal unsafe struct WGPUBindGroupLayoutDescriptor
{
    public WGPUChainedStruct* NextInChain;
    public WGPUStringView Label;
    public nuint EntryCount;
    public WGPUBindGroupLayoutEntry* Entries;
}

internal unsafe struct WGPUBindGroupEntry
{
    public WGPUChainedStruct* NextInChain;
    public uint Binding;
    public nint Buffer;
    public ulong Offset;
    public ulong Size;
    public nint Sampler;
    public nint TextureView;
}

internal unsafe struct WGPUBindGroupDescriptor
{
    public WGPUChainedStruct* NextInChain;
    public WGPUStringView Label;
    public nint Layout;
    public nuint EntryCount;
    public WGPUBindGroupEntry* Entries;
}

internal unsafe struct WGPUPipelineLayoutDescriptor
{
    public WGPUChainedStruct* NextInChain;
    public WGPUStringView Label;
    public nuint BindGroupLayoutCount;
    public nint* BindGroupLayouts;
    public uint ImmediateSize;
}

internal unsafe struct WGPUConstantEntry
{
    public WGPUChainedStruct* NextInChain;
    public WGPUStringView Key;
    public double Value;
}

internal unsafe struct WGPUComputeState
{
    public WGPUChainedStruct* NextInChain;
    public nint Module;
    public WGPUStringView EntryPoint;
    public nuint ConstantCount;
    public WGPUConstantEntry* Constants;
}

internal unsafe struct WGPUComputePipelineDescriptor
{
    public WGPUChainedStruct* NextInChain;
    public WGPUStringView Label;
    public nint Layout;
    public WGPUComputeState Compute;
}

/// <summary>The shape of every descriptor that holds only a label (command encoder, command buffer).</summary>
internal unsafe struct WGPULabelDescriptor
{
    public WGPUChainedStruct* NextInChain;
    public WGPUStringView Label;
}

internal unsafe struct WGPUPassTimestampWrites
{
    public WGPUChainedStruct* NextInChain;
    public nint QuerySet;
    public uint BeginningOfPassWriteIndex;
    public uint EndOfPassWriteIndex;
}

internal unsafe struct WGPUComputePassDescriptor
{
    public WGPUChainedStruct* NextInChain;
    public WGPUStringView Label;
    public WGPUPassTimestampWrites* TimestampWrites;
}

internal unsafe struct WGPUQuerySetDescriptor
{
    public WGPUChainedStruct* NextInChain;
    public WGPUStringView Label;
    public uint Type;
    public uint Count;
}
