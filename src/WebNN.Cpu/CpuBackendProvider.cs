using System.Runtime.Intrinsics;
using WebNN.Backends;

namespace WebNN.Cpu;

/// <summary>The CPU backend: managed kernels, always available. Found by name by WebNN.Core's backend registry.</summary>
internal sealed class CpuBackendProvider : IBackendProvider
{
    public string Name => "cpu";

    public bool Accelerated => false;

    public BackendAvailability Probe() => new(true, DescribeProcessor(), MLDeviceKind.Cpu);

    public Task<IBackendContext> CreateContextAsync(MLContextOptions options) =>
        Task.FromResult<IBackendContext>(new CpuContext(DescribeProcessor()));

    /// <summary>The CPU as the context reports it: cores and the widest vectors the kernels use.</summary>
    internal static string DescribeProcessor()
    {
        string vectors = Vector512.IsHardwareAccelerated ? "512-bit vectors (AVX-512)"
            : Vector256.IsHardwareAccelerated ? "256-bit vectors (AVX2)"
            : Vector128.IsHardwareAccelerated ? "128-bit vectors"
            : "scalar";
        return $"CPU: {Environment.ProcessorCount} logical cores, {vectors}, managed kernels";
    }
}
