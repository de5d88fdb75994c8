using WebGpu;
using WebNN.Backends;

namespace WebNN.WebGpu;

/// <summary>
/// A backend context whose tensors WebGPU can use with no copy (the interop proposal's <c>createExportableTensor</c> and
/// <c>exportToGPU</c>): WebNN's WebGPU backend, whose tensors are buffers of its device, and backends on other APIs whose
/// exportable tensors live in host memory that a buffer of the WebGPU device wraps (CUDA: pinned, mapped host memory).
/// </summary>
internal interface IWebGpuSharingContext : IBackendContext
{
    /// <summary>Makes a tensor whose memory a buffer of <paramref name="device"/> covers.</summary>
    /// <exception cref="ArgumentException">Tensors of this context cannot be lent to <paramref name="device"/>; the message says why.</exception>
    /// <exception cref="NotSupportedException">The device lacks a feature the sharing needs; the message says which and how to get it.</exception>
    ILendableTensor CreateExportableTensor(MLTensorDescriptor descriptor, GPUDevice device);

    /// <summary>
    /// Makes the context's work queued before on <paramref name="tensor"/> visible to WebGPU work submitted after this returns
    /// (nothing to do where both share one queue; a wait on the other API's stream otherwise).
    /// </summary>
    void BeforeLending(ILendableTensor tensor);

    /// <summary>
    /// Called when WebGPU gives the tensor back: orders WebGPU's work submitted until now before the context's next use of
    /// the tensor.
    /// </summary>
    void AfterLending(ILendableTensor tensor);
}

/// <summary>A backend tensor that WebGPU can borrow: the buffer over its memory, and the loan while one runs.</summary>
internal interface ILendableTensor : IBackendTensor
{
    /// <summary>
    /// The buffer over the tensor's memory, of the device it may be lent to (STORAGE | COPY_SRC | COPY_DST); null for a
    /// tensor of a backend on another API that was not created exportable.
    /// </summary>
    GPUBuffer? LendableBuffer { get; }

    /// <summary>The buffer lent to WebGPU while the tensor is exported; WebNN must not touch the tensor meanwhile.</summary>
    GPUBuffer? Export { get; set; }
}

/// <summary>Checks shared by every backend that lends tensors.</summary>
internal static class Lending
{
    /// <summary>Throws when WebGPU holds the tensor: <paramref name="where"/> names the WebNN call.</summary>
    public static void ThrowIfExported(ILendableTensor tensor, string where)
    {
        if (tensor.Export is not null)
        {
            throw new ArgumentException($"{where}: the tensor is exported to WebGPU; WebNN can use it again once the exported GPUBuffer is destroyed or disposed.");
        }
    }
}
