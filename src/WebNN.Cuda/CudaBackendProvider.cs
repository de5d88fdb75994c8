using WebNN.Backends;

namespace WebNN.Cuda;

/// <summary>
/// The CUDA backend: contexts on the first CUDA device, running convolutions through cuDNN, matrix products
/// through cuBLAS and every other operation as CUDA C kernels compiled once per graph with NVRTC. Offered only
/// when the driver, cuDNN 9, cuBLAS 13 and NVRTC 13 load and a device exists; otherwise it says which is missing.
/// </summary>
internal sealed class CudaBackendProvider : IBackendProvider
{
    private readonly Lazy<(CudaDevice? Device, string Reason)> _device = new(CudaDevice.Find);

    public string Name => "cuda";

    public bool Accelerated => true;

    public bool PreferredForHighPerformance => true;

    public BackendAvailability Probe()
    {
        var (device, reason) = _device.Value;
        return device is null
            ? new BackendAvailability(false, $"no CUDA context: {reason}", MLDeviceKind.DiscreteGpu)
            : new BackendAvailability(true, device.ToString(), device.Integrated ? MLDeviceKind.IntegratedGpu : MLDeviceKind.DiscreteGpu);
    }

    public Task<IBackendContext> CreateContextAsync(MLContextOptions options)
    {
        var (device, reason) = _device.Value;
        if (device is null)
        {
            throw new NotSupportedException($"createContext: the cuda backend is unavailable: {reason}.");
        }
        return Task.FromResult<IBackendContext>(new CudaContext(device, options.AllowTf32));
    }
}
