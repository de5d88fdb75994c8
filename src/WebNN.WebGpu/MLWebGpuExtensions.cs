using WebGpu;

namespace WebNN.WebGpu;

/// <summary>
/// WebNN's WebGPU interop: contexts on a <see cref="GPUDevice"/> (spec: <c>createContext(GPUDevice)</c>) and
/// tensors lent to WebGPU with no copy, following the working group's interop proposal (webnn PR #942):
/// <c>createExportableTensor</c> and <c>exportToGPU</c>.
/// </summary>
public static class MLWebGpuExtensions
{
    extension(ML)
    {
        /// <summary>
        /// A context of type "webgpu" on <paramref name="device"/>: its tensors are buffers of that device, so they
        /// can be shared with WebGPU without copies. The caller keeps ownership of the device.
        /// </summary>
        public static Task<MLContext> CreateContextAsync(GPUDevice device)
        {
            ArgumentNullException.ThrowIfNull(device);
            ObjectDisposedException.ThrowIf(device.IsDisposed, device);
            return Task.FromResult(new MLContext(new WebGpuContext(device, ownsDevice: false), "webgpu", new MLContextOptions()));
        }
    }

    extension(MLContext context)
    {
        /// <summary>
        /// The WebGPU device of a context of type "webgpu" (null for other contexts): an extension of the spec.
        /// </summary>
        public GPUDevice? GpuDevice => context.Backend is WebGpuContext gpu ? gpu.Device : null;

        /// <summary>
        /// Creates a tensor that may be lent to WebGPU with <see cref="ExportToGpu"/> (spec proposal:
        /// <c>createExportableTensor(descriptor, device)</c>). <paramref name="device"/> must be the context's.
        /// </summary>
        /// <exception cref="ArgumentException">The context does not run on <paramref name="device"/>.</exception>
        public Task<MLTensor> CreateExportableTensorAsync(MLTensorDescriptor descriptor, GPUDevice device)
        {
            ArgumentNullException.ThrowIfNull(device);
            if (!ReferenceEquals(context.GpuDevice, device))
            {
                throw new ArgumentException("createExportableTensor: the context does not run on this GPUDevice; exporting across devices would need a copy. Create the context with ML.CreateContextAsync(device).");
            }
            return context.CreateTensorAsync(descriptor);
        }

        /// <summary>
        /// Lends the tensor's memory to WebGPU (spec proposal: <c>exportToGPU(tensor)</c>): a <see cref="GPUBuffer"/>
        /// of usage STORAGE | COPY_SRC | COPY_DST over the same memory, no copy. WebNN work submitted before is
        /// ordered before WebGPU's on the device's queue. Until the buffer is destroyed or disposed, dispatch,
        /// readTensor and writeTensor on the tensor throw; exporting again returns the same buffer.
        /// </summary>
        public GPUBuffer ExportToGpu(MLTensor tensor)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            if (context.Backend is not WebGpuContext)
            {
                throw new ArgumentException("exportToGPU: only tensors of a context created on a GPUDevice can be exported.");
            }
            if (!ReferenceEquals(tensor.Context, context))
            {
                throw new ArgumentException("exportToGPU: the tensor belongs to another context.");
            }
            if (tensor.IsDestroyed)
            {
                throw new ArgumentException("exportToGPU: the tensor has been destroyed.");
            }
            var gpuTensor = (WebGpuTensor)tensor.Backend;
            lock (gpuTensor)
            {
                if (gpuTensor.Export is { IsDisposed: false } existing)
                {
                    return existing;
                }
                gpuTensor.Export = gpuTensor.Buffer.CreateAlias($"webnn export ({tensor})", () =>
                {
                    lock (gpuTensor)
                    {
                        gpuTensor.Export = null;
                    }
                });
                return gpuTensor.Export;
            }
        }
    }
}
