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

    internal GPUSupportedLimits(WGPULimits limits)
    {
        object boxed = limits;
        _values = Fields.ToDictionary(f => WebGpuName(f), f => Convert.ToUInt64(f.GetValue(boxed), System.Globalization.CultureInfo.InvariantCulture));
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
