using System.Reflection;
using WebGpu.Interop;

namespace WebGpu;

/// <summary>
/// An adapter's or device's limits (WebGPU's GPUSupportedLimits), by their WebGPU names
/// ("maxStorageBufferBindingSize", "maxComputeWorkgroupSizeX", ...).
/// </summary>
public sealed class GPUSupportedLimits
{
    private static readonly FieldInfo[] Fields = typeof(WGPULimits).GetFields().Where(f => f.Name != nameof(WGPULimits.NextInChain)).ToArray();

    private readonly Dictionary<string, ulong> _values;

    private GPUSupportedLimits(WGPULimits limits, uint hostMappedPointerAlignment)
    {
        object boxed = limits;
        _values = Fields.ToDictionary(f => WebGpuName(f), f => Convert.ToUInt64(f.GetValue(boxed), System.Globalization.CultureInfo.InvariantCulture));
        HostMappedPointerAlignment = hostMappedPointerAlignment == uint.MaxValue ? null : hostMappedPointerAlignment;
    }

    /// <summary>
    /// Reads an adapter's or device's limits through <paramref name="getLimits"/> (wgpuAdapterGetLimits or
    /// wgpuDeviceGetLimits), with Dawn's host-mapped-pointer limit chained on. The caller holds the instance lock.
    /// </summary>
    internal static unsafe GPUSupportedLimits Read(nint handle, delegate*<nint, WGPULimits*, uint> getLimits, string owner)
    {
        var hostMapped = new WGPUDawnHostMappedPointerLimits { Chain = new WGPUChainedStruct { SType = WGPUDawnHostMappedPointerLimits.SType } };
        var limits = new WGPULimits { NextInChain = &hostMapped.Chain };
        if (getLimits(handle, &limits) != Dawn.StatusSuccess)
        {
            throw new GPUException($"Dawn could not read the {owner}'s limits.");
        }
        limits.NextInChain = null;
        return new GPUSupportedLimits(limits, hostMapped.HostMappedPointerAlignment);
    }

    /// <summary>Every limit by name.</summary>
    public IReadOnlyDictionary<string, ulong> Values => _values;

    /// <summary>A limit by its WebGPU name.</summary>
    public ulong this[string name] => _values.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"'{name}' is not a WebGPU limit.");

    /// <summary>maxBufferSize.</summary>
    public ulong MaxBufferSize => _values["maxBufferSize"];

    /// <summary>maxStorageBufferBindingSize.</summary>
    public ulong MaxStorageBufferBindingSize => _values["maxStorageBufferBindingSize"];

    /// <summary>maxComputeWorkgroupStorageSize.</summary>
    public ulong MaxComputeWorkgroupStorageSize => _values["maxComputeWorkgroupStorageSize"];

    /// <summary>maxComputeInvocationsPerWorkgroup.</summary>
    public ulong MaxComputeInvocationsPerWorkgroup => _values["maxComputeInvocationsPerWorkgroup"];

    /// <summary>maxComputeWorkgroupsPerDimension.</summary>
    public ulong MaxComputeWorkgroupsPerDimension => _values["maxComputeWorkgroupsPerDimension"];

    /// <summary>maxStorageBuffersPerShaderStage.</summary>
    public ulong MaxStorageBuffersPerShaderStage => _values["maxStorageBuffersPerShaderStage"];

    /// <summary>
    /// Dawn's hostMappedPointerAlignment (not a WebGPU limit, so not in <see cref="Values"/>): the alignment of the address
    /// and the size of host memory a buffer wraps (<see cref="GPUDevice.CreateBuffer(GPUBufferDescriptor, HostMappedMemory, ulong)"/>);
    /// null without the "host-mapped-pointer" feature. Dawn's Vulkan backend asks for 4,096 bytes.
    /// </summary>
    public ulong? HostMappedPointerAlignment { get; }

    /// <summary>Limits as Dawn takes them for a device request: the given names set, every other one "undefined" (the default).</summary>
    internal static WGPULimits Required(IReadOnlyDictionary<string, ulong> required)
    {
        object boxed = default(WGPULimits);
        foreach (var field in Fields)
        {
            bool is64 = field.FieldType == typeof(ulong);
            string name = WebGpuName(field);
            if (required.TryGetValue(name, out var value))
            {
                field.SetValue(boxed, is64 ? value : (object)checked((uint)value));
            }
            else
            {
                field.SetValue(boxed, is64 ? ulong.MaxValue : (object)uint.MaxValue);
            }
        }
        foreach (var name in required.Keys)
        {
            if (!Fields.Any(f => WebGpuName(f) == name))
            {
                throw new ArgumentException($"'{name}' is not a WebGPU limit.", nameof(required));
            }
        }
        return (WGPULimits)boxed;
    }

    private static string WebGpuName(FieldInfo field) => char.ToLowerInvariant(field.Name[0]) + field.Name[1..];
}
