using System.Runtime.InteropServices;
using WebGpu.Interop;

namespace WebGpu;

/// <summary>
/// The entry point (WebGPU's navigator.gpu): finds adapters through one process-wide Dawn instance.
/// Dawn's Null backend, which accepts calls and computes nothing, is never returned.
/// </summary>
public static class GPU
{
    private static readonly Lazy<DawnInstance> SharedInstance = new(() => new DawnInstance());

    /// <summary>
    /// The adapter that best matches <paramref name="options"/> (WebGPU's requestAdapter), or null when
    /// none exists (no GPU driver and no software Vulkan: see the README for installing lavapipe).
    /// </summary>
    public static async Task<GPUAdapter?> RequestAdapterAsync(GPURequestAdapterOptions? options = null)
    {
        options ??= new GPURequestAdapterOptions();
        var adapter = await RequestAsync(SharedInstance.Value, options).ConfigureAwait(false);
        if (adapter is { Info.Backend: GPUBackendType.Null })
        {
            adapter.Dispose();
            return null;
        }
        return adapter;
    }

    /// <summary>
    /// Every usable adapter, each once: Dawn is asked for its high-performance, low-power and fallback
    /// choices, and the distinct answers are returned (Dawn's C API has no enumeration call).
    /// </summary>
    public static async Task<IReadOnlyList<GPUAdapter>> EnumerateAdaptersAsync()
    {
        var found = new List<GPUAdapter>();
        foreach (var (power, fallback) in new[] { (GPUPowerPreference.HighPerformance, false), (GPUPowerPreference.LowPower, false), (GPUPowerPreference.Default, true) })
        {
            var adapter = await RequestAdapterAsync(new GPURequestAdapterOptions { PowerPreference = power, ForceFallbackAdapter = fallback }).ConfigureAwait(false);
            if (adapter is null)
            {
                continue;
            }
            if (found.Any(a => a.Info == adapter.Info))
            {
                adapter.Dispose();
            }
            else
            {
                found.Add(adapter);
            }
        }
        return found;
    }

    private static unsafe Task<GPUAdapter?> RequestAsync(DawnInstance instance, GPURequestAdapterOptions options)
    {
        var request = new AdapterRequest(instance);
        // Dawn reads toggle names as null-terminated strings during the call.
        var toggles = options.EnabledToggles.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
        try
        {
            fixed (nint* togglePointer = toggles)
            {
                var togglesDescriptor = new WGPUDawnTogglesDescriptor
                {
                    Chain = new WGPUChainedStruct { SType = WGPUDawnTogglesDescriptor.SType },
                    EnabledToggleCount = (nuint)toggles.Length,
                    EnabledToggles = (byte**)togglePointer,
                };
                var native = new WGPURequestAdapterOptions
                {
                    NextInChain = toggles.Length == 0 ? null : &togglesDescriptor.Chain,
                    PowerPreference = (uint)options.PowerPreference,
                    ForceFallbackAdapter = options.ForceFallbackAdapter ? 1u : 0u,
                };
                lock (instance.Sync)
                {
                    instance.BeginOperation();
                    Dawn.InstanceRequestAdapter(instance.Native, &native,
                        CallbackState.Info((delegate* unmanaged<uint, nint, WGPUStringView, void*, void*, void>)&OnAdapterRequested, request));
                }
            }
        }
        finally
        {
            foreach (nint toggle in toggles)
            {
                Marshal.FreeCoTaskMem(toggle);
            }
        }
        return request.Completion.Task;
    }

    private sealed class AdapterRequest(DawnInstance instance)
    {
        public DawnInstance Instance { get; } = instance;

        public TaskCompletionSource<GPUAdapter?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [UnmanagedCallersOnly]
    private static unsafe void OnAdapterRequested(uint status, nint adapter, WGPUStringView message, void* userdata1, void* userdata2)
    {
        var request = CallbackState.Take<AdapterRequest>(userdata1);
        request.Instance.EndOperation();
        const uint Unavailable = 3;
        if (status == Dawn.StatusSuccess && adapter != 0)
        {
            // The callback runs under the instance lock on the pump thread; reading the adapter's info takes the same lock (re-entrant).
            try
            {
                request.Completion.SetResult(new GPUAdapter(request.Instance, adapter));
            }
            catch (Exception e)
            {
                request.Completion.SetException(e);
            }
        }
        else if (status == Unavailable)
        {
            request.Completion.SetResult(null);
        }
        else
        {
            request.Completion.SetException(new GPUException($"requestAdapter failed: {message}"));
        }
    }
}
