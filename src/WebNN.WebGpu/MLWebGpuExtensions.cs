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
        /// <c>createExportableTensor(descriptor, device)</c>). A context of type "webgpu" must run on
        /// <paramref name="device"/>; a CUDA context keeps the tensor in pinned host memory that a buffer of
        /// <paramref name="device"/> wraps (the device needs the "host-mapped-pointer" feature).
        /// </summary>
        /// <exception cref="ArgumentException">The context's tensors cannot be lent to <paramref name="device"/>.</exception>
        /// <exception cref="NotSupportedException">The device lacks a feature the sharing needs.</exception>
        public Task<MLTensor> CreateExportableTensorAsync(MLTensorDescriptor descriptor, GPUDevice device)
        {
            ArgumentNullException.ThrowIfNull(descriptor);
            ArgumentNullException.ThrowIfNull(device);
            ObjectDisposedException.ThrowIf(device.IsDisposed, device);
            try
            {
                if (context.Backend is not IWebGpuSharingContext sharing)
                {
                    throw new ArgumentException($"createExportableTensor: tensors of a \"{context.BackendName}\" context cannot be lent to WebGPU. Create the context with ML.CreateContextAsync(device).");
                }
                return Task.FromResult(context.Adopt("createExportableTensor", descriptor, () => sharing.CreateExportableTensor(descriptor, device)));
            }
            catch (Exception e)
            {
                return Task.FromException<MLTensor>(e);
            }
        }

        /// <summary>
        /// Wraps a user's buffer of the context's device as a tensor, with no copy (an extension of ours: the
        /// working group's proposal leaves import open). The tensor holds its own reference to the buffer, which
        /// must have STORAGE usage (plus COPY_SRC to be read and COPY_DST to be written) and at least the
        /// descriptor's byte length. The user's later writes through WebGPU are ordered with WebNN's work by the queue.
        /// </summary>
        /// <exception cref="ArgumentException">Another device's buffer, a missing usage, or a buffer too small.</exception>
        public MLTensor ImportFromGpu(GPUBuffer buffer, MLTensorDescriptor descriptor)
        {
            ArgumentNullException.ThrowIfNull(buffer);
            ArgumentNullException.ThrowIfNull(descriptor);
            if (context.GpuDevice is not { } device || !ReferenceEquals(buffer.Device, device))
            {
                throw new ArgumentException("importFromGPU: the buffer belongs to another device than the context's (or the context is not on a GPUDevice); copy it instead.");
            }
            var required = GPUBufferUsage.Storage
                | (descriptor.Readable ? GPUBufferUsage.CopySrc : GPUBufferUsage.None)
                | (descriptor.Writable ? GPUBufferUsage.CopyDst : GPUBufferUsage.None);
            if ((buffer.Usage & required) != required)
            {
                throw new ArgumentException($"importFromGPU: the buffer's usage ({buffer.Usage}) lacks {required & ~buffer.Usage}, which a {(descriptor.Readable ? "readable " : "")}{(descriptor.Writable ? "writable " : "")}tensor needs.");
            }
            if (buffer.Size < WebGpuTensor.PaddedSize(descriptor.ByteLength))
            {
                throw new ArgumentException($"importFromGPU: the buffer ({buffer.Size} bytes) is smaller than {descriptor} ({descriptor.ByteLength} bytes, padded to a multiple of 4).");
            }
            return context.Adopt("importFromGPU", descriptor, () => new WebGpuTensor(buffer.CreateAlias($"webnn import ({descriptor})", () => { }), descriptor.ByteLength));
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
            if (context.Backend is not IWebGpuSharingContext sharing)
            {
                throw new ArgumentException($"exportToGPU: tensors of a \"{context.BackendName}\" context cannot be lent to WebGPU.");
            }
            if (!ReferenceEquals(tensor.Context, context))
            {
                throw new ArgumentException("exportToGPU: the tensor belongs to another context.");
            }
            if (tensor.IsDestroyed)
            {
                throw new ArgumentException("exportToGPU: the tensor has been destroyed.");
            }
            var lendable = (ILendableTensor)tensor.Backend;
            if (lendable.LendableBuffer is not { } buffer)
            {
                throw new ArgumentException($"exportToGPU: the tensor was not created by createExportableTensor, and a \"{context.BackendName}\" context keeps other tensors where WebGPU cannot reach them.");
            }
            lock (lendable)
            {
                if (lendable.Export is { IsDisposed: false } existing)
                {
                    return existing;
                }
                sharing.BeforeLending(lendable);
                lendable.Export = buffer.CreateAlias($"webnn export ({tensor})", () =>
                {
                    lock (lendable)
                    {
                        lendable.Export = null;
                        sharing.AfterLending(lendable);
                    }
                });
                return lendable.Export;
            }
        }
    }
}
