using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using WebGpu.Interop;

namespace WebGpu;

/// <summary>What kind of device an adapter is.</summary>
public enum GPUAdapterType
{
    /// <summary>A discrete GPU.</summary>
    DiscreteGpu = 1,
    /// <summary>A GPU integrated with the CPU.</summary>
    IntegratedGpu = 2,
    /// <summary>A software implementation on the CPU (Mesa's lavapipe, SwiftShader).</summary>
    Cpu = 3,
    /// <summary>Not known.</summary>
    Unknown = 4,
}

/// <summary>The native API an adapter runs on.</summary>
public enum GPUBackendType
{
    /// <summary>Not known.</summary>
    Undefined = 0,
    /// <summary>Dawn's Null backend: accepts calls and computes nothing. Never reported as usable.</summary>
    Null = 1,
    /// <summary>WebGPU itself.</summary>
    WebGpu = 2,
    /// <summary>Direct3D 11.</summary>
    D3D11 = 3,
    /// <summary>Direct3D 12.</summary>
    D3D12 = 4,
    /// <summary>Metal.</summary>
    Metal = 5,
    /// <summary>Vulkan.</summary>
    Vulkan = 6,
    /// <summary>OpenGL.</summary>
    OpenGL = 7,
    /// <summary>OpenGL ES.</summary>
    OpenGLES = 8,
}

/// <summary>Who an adapter is (WebGPU's GPUAdapterInfo, plus Dawn's backend and adapter type and PCI ids).</summary>
public sealed record GPUAdapterInfo(
    string Vendor,
    string Architecture,
    string Device,
    string Description,
    GPUBackendType Backend,
    GPUAdapterType AdapterType,
    uint VendorId,
    uint DeviceId,
    uint SubgroupMinSize,
    uint SubgroupMaxSize)
{
    /// <summary>True for software adapters (WebGPU's isFallbackAdapter).</summary>
    public bool IsFallbackAdapter => AdapterType == GPUAdapterType.Cpu;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Description} ({Vendor}, {AdapterType}, {Backend}, vendor 0x{VendorId:X4} device 0x{DeviceId:X4})";
}

/// <summary>Options of <see cref="GPU.RequestAdapterAsync"/> (WebGPU's GPURequestAdapterOptions).</summary>
public sealed class GPURequestAdapterOptions
{
    /// <summary>Which adapter to prefer when there are several.</summary>
    public GPUPowerPreference PowerPreference { get; init; }

    /// <summary>Ask for a software adapter.</summary>
    public bool ForceFallbackAdapter { get; init; }

    /// <summary>
    /// Dawn toggles to turn on for the adapter and the devices created from it (Dawn's DawnTogglesDescriptor, not WebGPU):
    /// "allow_unsafe_apis", for example, makes Dawn list and grant its experimental features, such as "host-mapped-pointer".
    /// </summary>
    public IReadOnlyList<string> EnabledToggles { get; init; } = [];
}

/// <summary>WebGPU's GPUPowerPreference.</summary>
public enum GPUPowerPreference
{
    /// <summary>No preference.</summary>
    Default = 0,
    /// <summary>Prefer the adapter that uses the least power.</summary>
    LowPower = 1,
    /// <summary>Prefer the fastest adapter.</summary>
    HighPerformance = 2,
}

/// <summary>What a new device needs (WebGPU's GPUDeviceDescriptor).</summary>
public sealed class GPUDeviceDescriptor
{
    /// <summary>A label for errors.</summary>
    public string Label { get; init; } = "";

    /// <summary>Features the device must have (names as in <see cref="GPUAdapter.Features"/>).</summary>
    public IReadOnlyList<string> RequiredFeatures { get; init; } = [];

    /// <summary>Limits the device must have, by WebGPU name (e.g. "maxStorageBufferBindingSize").</summary>
    public IReadOnlyDictionary<string, ulong> RequiredLimits { get; init; } = new Dictionary<string, ulong>();

    /// <summary>
    /// Dawn toggles to turn off on the device (Dawn's DawnTogglesDescriptor, not WebGPU): "timestamp_quantization", for
    /// example, gives timestamp queries full resolution instead of Dawn's default 65,536 ns steps.
    /// </summary>
    public IReadOnlyList<string> DisabledToggles { get; init; } = [];
}

/// <summary>
/// A physical device WebGPU can use (WebGPU's GPUAdapter): its info, features and limits, and device
/// creation. Thread-safe.
/// </summary>
public sealed class GPUAdapter : GPUObject
{
    internal GPUAdapter(DawnInstance instance, nint handle)
        : base(DawnObjectKind.Adapter, handle, "")
    {
        Instance = instance;
        unsafe
        {
            lock (instance.Sync)
            {
                WGPUAdapterInfo info = default;
                if (Dawn.AdapterGetInfo(handle, &info) != Dawn.StatusSuccess)
                {
                    throw new GPUException("Dawn could not read the adapter's info.");
                }
                Info = new GPUAdapterInfo(info.Vendor.ToString(), info.Architecture.ToString(), info.Device.ToString(), info.Description.ToString(),
                    (GPUBackendType)info.BackendType, (GPUAdapterType)info.AdapterType, info.VendorId, info.DeviceId, info.SubgroupMinSize, info.SubgroupMaxSize);
                Dawn.AdapterInfoFreeMembers(info);
                Limits = GPUSupportedLimits.Read(handle, &Dawn.AdapterGetLimits, "adapter");
                WGPUSupportedFeatures features = default;
                Dawn.AdapterGetFeatures(handle, &features);
                Features = ReadFeatures(features);
                Dawn.SupportedFeaturesFreeMembers(features);
            }
        }
    }

    /// <summary>The adapter's vendor, device, backend and type.</summary>
    public GPUAdapterInfo Info { get; }

    /// <summary>The best limits a device of this adapter can have.</summary>
    public GPUSupportedLimits Limits { get; }

    /// <summary>The features a device of this adapter can have, by WebGPU name ("shader-f16", "timestamp-query", ...).</summary>
    public IReadOnlySet<string> Features { get; }

    internal DawnInstance Instance { get; }

    /// <summary>Creates a device (WebGPU's requestDevice).</summary>
    /// <exception cref="GPUException">Dawn refused: a feature or limit the adapter lacks, for example.</exception>
    public unsafe Task<GPUDevice> RequestDeviceAsync(GPUDeviceDescriptor? descriptor = null)
    {
        descriptor ??= new GPUDeviceDescriptor();
        var request = new DeviceRequest(this, descriptor.Label);
        var features = descriptor.RequiredFeatures.Select(GPUFeatures.Value).ToArray();
        var limits = GPUSupportedLimits.Required(descriptor.RequiredLimits);
        using var label = new PinnedUtf8(descriptor.Label);
        // Dawn reads toggle names as null-terminated strings during the call.
        var toggles = descriptor.DisabledToggles.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
        fixed (uint* featurePointer = features)
        fixed (nint* togglePointer = toggles)
        {
            var togglesDescriptor = new WGPUDawnTogglesDescriptor
            {
                Chain = new WGPUChainedStruct { SType = WGPUDawnTogglesDescriptor.SType },
                DisabledToggleCount = (nuint)toggles.Length,
                DisabledToggles = (byte**)togglePointer,
            };
            void* errors = CallbackState.Allocate(request.Errors);
            var deviceDescriptor = new WGPUDeviceDescriptor
            {
                NextInChain = toggles.Length == 0 ? null : (WGPUChainedStruct*)&togglesDescriptor,
                Label = label.View,
                RequiredFeatureCount = (nuint)features.Length,
                RequiredFeatures = featurePointer,
                RequiredLimits = &limits,
                // The lost callback is Dawn's last word on a device: it frees the error callback's state too.
                DeviceLostCallbackInfo = new WGPUCallbackInfo
                {
                    Mode = Dawn.CallbackModeAllowSpontaneous,
                    Callback = (delegate* unmanaged<nint*, uint, WGPUStringView, void*, void*, void>)&OnDeviceLost,
                    Userdata1 = CallbackState.Allocate(request.Lost),
                    Userdata2 = errors,
                },
                UncapturedErrorCallbackInfo = new WGPUUncapturedErrorCallbackInfo
                {
                    Callback = (delegate* unmanaged<nint*, uint, WGPUStringView, void*, void*, void>)&DeviceErrors.OnUncapturedError,
                    Userdata1 = errors,
                },
            };
            try
            {
                lock (Instance.Sync)
                {
                    Instance.BeginOperation();
                    Dawn.AdapterRequestDevice(Native, &deviceDescriptor, CallbackState.Info((delegate* unmanaged<uint, nint, WGPUStringView, void*, void*, void>)&OnDeviceRequested, request));
                }
            }
            finally
            {
                foreach (nint toggle in toggles)
                {
                    Marshal.FreeCoTaskMem(toggle);
                }
            }
        }
        return request.Completion.Task;
    }

    private static IReadOnlySet<string> ReadFeatures(WGPUSupportedFeatures features)
    {
        var names = new HashSet<string>();
        unsafe
        {
            for (nuint i = 0; i < features.FeatureCount; i++)
            {
                names.Add(GPUFeatures.Name(features.Features[i]));
            }
        }
        return names;
    }

    /// <summary>A device request in flight: the adapter, the completion, and the states its device's callbacks will use.</summary>
    internal sealed class DeviceRequest(GPUAdapter adapter, string label)
    {
        public GPUAdapter Adapter { get; } = adapter;

        public string Label { get; } = label;

        public TaskCompletionSource<GPUDevice> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the device is lost; handed to Dawn's device-lost callback.</summary>
        public TaskCompletionSource<GPUDeviceLostInfo> Lost { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Receives the device's uncaptured errors; its handle is freed when the device is lost.</summary>
        public DeviceErrors Errors { get; } = new();
    }

    [UnmanagedCallersOnly]
    private static unsafe void OnDeviceRequested(uint status, nint device, WGPUStringView message, void* userdata1, void* userdata2)
    {
        var request = CallbackState.Take<DeviceRequest>(userdata1);
        request.Adapter.Instance.EndOperation();
        if (status == Dawn.StatusSuccess && device != 0)
        {
            request.Completion.SetResult(new GPUDevice(request.Adapter, device, request.Label, request.Lost.Task, request.Errors));
        }
        else
        {
            request.Completion.SetException(new GPUException($"requestDevice failed: {message}"));
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe void OnDeviceLost(nint* device, uint reason, WGPUStringView message, void* userdata1, void* userdata2)
    {
        var lost = CallbackState.Take<TaskCompletionSource<GPUDeviceLostInfo>>(userdata1);
        CallbackState.Take<DeviceErrors>(userdata2);
        var why = reason switch
        {
            2 => GPUDeviceLostReason.Destroyed,
            _ => GPUDeviceLostReason.Unknown,
        };
        lost.TrySetResult(new GPUDeviceLostInfo(why, message.ToString()));
    }
}

/// <summary>Why a device was lost (WebGPU's GPUDeviceLostReason).</summary>
public enum GPUDeviceLostReason
{
    /// <summary>The GPU, its driver or Dawn lost the device.</summary>
    Unknown,
    /// <summary><see cref="GPUDevice.Destroy"/> was called.</summary>
    Destroyed,
}

/// <summary>Why and how a device was lost (WebGPU's GPUDeviceLostInfo).</summary>
public sealed record GPUDeviceLostInfo(GPUDeviceLostReason Reason, string Message);
