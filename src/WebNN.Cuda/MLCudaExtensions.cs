using WebNN.Cuda.Interop;

namespace WebNN.Cuda;

/// <summary>Extensions of the spec for contexts of the cuda backend.</summary>
public static class MLCudaExtensions
{
    /// <summary>
    /// The GPU time, in milliseconds, of the work that <paramref name="work"/> queues on a cuda context: the time
    /// between CUDA events recorded on the context's stream before and after it (as PyTorch times with torch.cuda.Event).
    /// </summary>
    /// <exception cref="ArgumentException">The context is not on the cuda backend.</exception>
    public static double MeasureGpuMilliseconds(this MLContext context, Action work)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        var cuda = context.Backend as CudaContext ?? throw new ArgumentException($"the context is on the {context.BackendName} backend, not cuda.", nameof(context));
        cuda.MakeCurrent();
        CudaDriver.Check(CudaDriver.cuEventCreate(out nint start, 0), "cuEventCreate");
        CudaDriver.Check(CudaDriver.cuEventCreate(out nint end, 0), "cuEventCreate");
        try
        {
            CudaDriver.Check(CudaDriver.cuEventRecord(start, cuda.Stream), "cuEventRecord");
            work();
            cuda.MakeCurrent();
            CudaDriver.Check(CudaDriver.cuEventRecord(end, cuda.Stream), "cuEventRecord");
            CudaDriver.Check(CudaDriver.cuEventSynchronize(end), "cuEventSynchronize");
            CudaDriver.Check(CudaDriver.cuEventElapsedTime(out float milliseconds, start, end), "cuEventElapsedTime");
            return milliseconds;
        }
        finally
        {
            _ = CudaDriver.cuEventDestroy_v2(start);
            _ = CudaDriver.cuEventDestroy_v2(end);
        }
    }
}
