using WebGpu;
using WebNN.Backends;

namespace WebNN.WebGpu;

/// <summary>
/// The WebGPU backend: contexts on a WebGPU device. Offered for <see cref="ML.CreateContextAsync(MLContextOptions?)"/>
/// only when a hardware adapter exists; a software adapter (lavapipe) is a GPU of type CPU, slower than the
/// CPU backend, and is used only when asked for with <c>ML.CreateContextAsync(GPUDevice)</c>.
/// </summary>
internal sealed class WebGpuBackendProvider : IBackendProvider
{
    private readonly Lazy<IReadOnlyList<GPUAdapterInfo>> _adapters = new(() =>
    {
        try
        {
            var adapters = GPU.EnumerateAdaptersAsync().GetAwaiter().GetResult();
            var infos = adapters.Select(a => a.Info).ToList();
            foreach (var adapter in adapters)
            {
                adapter.Dispose();
            }
            return infos;
        }
        catch (DllNotFoundException)
        {
            return [];
        }
    });

    public string Name => "webgpu";

    public bool Accelerated => true;

    public BackendAvailability Probe()
    {
        var adapters = _adapters.Value;
        if (adapters.FirstOrDefault(a => !a.IsFallbackAdapter) is { } hardware)
        {
            var kind = hardware.AdapterType == GPUAdapterType.IntegratedGpu ? MLDeviceKind.IntegratedGpu : MLDeviceKind.DiscreteGpu;
            return new BackendAvailability(true, $"WebGPU: {hardware}", kind);
        }
        return adapters.Count > 0
            ? new BackendAvailability(false, $"only a software adapter ({adapters[0].Description}): slower than the CPU backend, used only when asked for with ML.CreateContextAsync(GPUDevice)", MLDeviceKind.DiscreteGpu)
            : new BackendAvailability(false, "no WebGPU adapter (no Vulkan driver; see `webnn gpu-info`)", MLDeviceKind.DiscreteGpu);
    }

    public async Task<IBackendContext> CreateContextAsync(MLContextOptions options)
    {
        var power = options.PowerPreference switch
        {
            MLPowerPreference.LowPower => GPUPowerPreference.LowPower,
            MLPowerPreference.HighPerformance => GPUPowerPreference.HighPerformance,
            _ => GPUPowerPreference.Default,
        };
        var adapter = await GPU.RequestAdapterAsync(new GPURequestAdapterOptions { PowerPreference = power }).ConfigureAwait(false);
        if (adapter is null or { Info.IsFallbackAdapter: true })
        {
            adapter?.Dispose();
            throw new NotSupportedException("createContext: no hardware WebGPU adapter is available.");
        }
        var device = await adapter.RequestDeviceAsync(WebGpuDevices.Descriptor(adapter)).ConfigureAwait(false);
        return new WebGpuContext(device, ownsDevice: true);
    }
}

/// <summary>What WebNN asks of a device it creates: the adapter's best storage limits.</summary>
internal static class WebGpuDevices
{
    public static GPUDeviceDescriptor Descriptor(GPUAdapter adapter) => new()
    {
        Label = "webnn",
        RequiredLimits = new Dictionary<string, ulong>
        {
            ["maxStorageBufferBindingSize"] = adapter.Limits.MaxStorageBufferBindingSize,
            ["maxBufferSize"] = adapter.Limits.MaxBufferSize,
            ["maxStorageBuffersPerShaderStage"] = adapter.Limits.MaxStorageBuffersPerShaderStage,
        },
    };
}
