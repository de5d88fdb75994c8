using System.Buffers;
using WebNN.Backends;
using WebNN.Cuda.Interop;
using WebGpu;
using WebNN.Graph;
using WebNN.WebGpu;

namespace WebNN.Cuda;

/// <summary>
/// A WebNN context on a CUDA device: the device's primary context, one non-blocking stream that orders every
/// copy and kernel (the context's timeline), and a cuDNN and a cuBLAS handle bound to that stream.
/// The CUDA context is made current on the calling thread at every entry, since callers may be on any thread.
/// </summary>
internal sealed class CudaContext : IWebGpuSharingContext
{
    private readonly nint _primaryContext;
    private int _disposed;

    public CudaContext(CudaDevice device, bool allowTf32)
    {
        Device = device;
        AllowTf32 = allowTf32;
        CudaDriver.Check(CudaDriver.cuDevicePrimaryCtxRetain(out _primaryContext, device.Ordinal), "cuDevicePrimaryCtxRetain");
        MakeCurrent();
        CudaDriver.Check(CudaDriver.cuStreamCreate(out nint stream, CudaDriver.StreamNonBlocking), "cuStreamCreate");
        Stream = stream;
        Cudnn.Check(Cudnn.cudnnCreate(out nint cudnn), "cudnnCreate");
        CudnnHandle = cudnn;
        Cudnn.Check(Cudnn.cudnnSetStream(cudnn, stream), "cudnnSetStream");
        Cublas.Check(Cublas.cublasCreate_v2(out nint cublas), "cublasCreate");
        CublasHandle = cublas;
        Cublas.Check(Cublas.cublasSetStream_v2(cublas, stream), "cublasSetStream");
        // Without TF32 cuBLAS computes float32 products in float32 (its default math never rounds inputs to TF32).
        Cublas.Check(Cublas.cublasSetMathMode(cublas, allowTf32 ? Cublas.Tf32TensorOpMath : 0), "cublasSetMathMode");
    }

    public CudaDevice Device { get; }

    /// <summary>Whether float32 convolutions and products may run on tensor cores in TF32 (<see cref="MLContextOptions.AllowTf32"/>).</summary>
    public bool AllowTf32 { get; }

    /// <summary>The stream every operation of this context runs on, in order.</summary>
    public nint Stream { get; }

    /// <summary>The cuDNN handle, bound to <see cref="Stream"/>.</summary>
    public nint CudnnHandle { get; }

    /// <summary>The cuBLAS handle, bound to <see cref="Stream"/>.</summary>
    public nint CublasHandle { get; }

    public bool Accelerated => true;

    public string DeviceDescription => Device.ToString();

    public MLOpSupportLimits OpSupportLimits() => CudaOperators.Limits(Device);

    /// <summary>Makes this context's CUDA context current on the calling thread.</summary>
    public void MakeCurrent() => CudaDriver.Check(CudaDriver.cuCtxSetCurrent(_primaryContext), "cuCtxSetCurrent");

    /// <summary>Device memory of this context (the caller has made it current).</summary>
    public CudaTensor Allocate(long byteLength) => CudaTensor.Allocate(_primaryContext, byteLength);

    public IBackendTensor CreateTensor(MLOperandDescriptor descriptor)
    {
        MakeCurrent();
        var tensor = Allocate(descriptor.ByteLength);
        CudaDriver.Check(CudaDriver.cuMemsetD8Async(tensor.DevicePointer, 0, (nuint)descriptor.ByteLength, Stream), "cuMemsetD8Async");
        return tensor;
    }

    /// <summary>
    /// A tensor in the caller's host memory, pinned and mapped for the device (for sharing with APIs that hand out host
    /// pointers, such as a host-mapped WebGPU buffer); the caller keeps the memory alive until the tensor is disposed.
    /// </summary>
    public CudaTensor RegisterHostTensor(nint hostPointer, long byteLength)
    {
        MakeCurrent();
        return CudaTensor.RegisterHost(_primaryContext, hostPointer, byteLength);
    }

    public IBackendGraph Compile(GraphDescription graph)
    {
        MakeCurrent();
        return CudaGraph.Compile(this, graph);
    }

    public void Dispatch(IBackendGraph graph, IReadOnlyDictionary<string, IBackendTensor> inputs, IReadOnlyDictionary<string, IBackendTensor> outputs)
    {
        MakeCurrent();
        ((CudaGraph)graph).Run(inputs, outputs);
    }

    public Task ReadAsync(IBackendTensor tensor, Memory<byte> destination)
    {
        ((CudaTensor)tensor).PrepareForCuda("readTensor");
        MakeCurrent();
        using MemoryHandle pin = destination.Pin();
        unsafe
        {
            CudaDriver.Check(CudaDriver.cuMemcpyDtoHAsync_v2((nint)pin.Pointer, ((CudaTensor)tensor).DevicePointer, (nuint)destination.Length, Stream), "cuMemcpyDtoHAsync");
        }
        Synchronize();
        return Task.CompletedTask;
    }

    public void Write(IBackendTensor tensor, ReadOnlySpan<byte> source)
    {
        ((CudaTensor)tensor).PrepareForCuda("writeTensor");
        MakeCurrent();
        unsafe
        {
            // From pageable memory the copy returns once the bytes are staged, so the span may be reused at once.
            fixed (byte* pointer = source)
            {
                CudaDriver.Check(CudaDriver.cuMemcpyHtoDAsync_v2(((CudaTensor)tensor).DevicePointer, (nint)pointer, (nuint)source.Length, Stream), "cuMemcpyHtoDAsync");
            }
        }
    }

    /// <summary>
    /// A tensor in pinned host memory that a buffer of <paramref name="device"/> wraps (no device memory is shared
    /// between CUDA and Dawn's Vulkan backend: see the README). CUDA kernels reach it over the bus.
    /// </summary>
    public ILendableTensor CreateExportableTensor(MLTensorDescriptor descriptor, GPUDevice device)
    {
        MakeCurrent();
        return CudaTensor.CreateShared(_primaryContext, descriptor.ByteLength, device);
    }

    /// <summary>CUDA's writes to host memory are visible to WebGPU once the stream has finished them: waits for the stream.</summary>
    public void BeforeLending(ILendableTensor tensor)
    {
        MakeCurrent();
        Synchronize();
    }

    /// <summary>CUDA's next use of the tensor waits until the WebGPU queue has done the work submitted so far.</summary>
    public void AfterLending(ILendableTensor tensor) =>
        ((CudaTensor)tensor).AfterWebGpu(tensor.LendableBuffer!.Device.Queue.OnSubmittedWorkDoneAsync());

    /// <summary>Waits for everything queued on the stream.</summary>
    public void Synchronize() => CudaDriver.Check(CudaDriver.cuStreamSynchronize(Stream), "cuStreamSynchronize");

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        // Release errors have no caller to go to: the context is going away either way.
        _ = CudaDriver.cuCtxSetCurrent(_primaryContext);
        _ = CudaDriver.cuStreamSynchronize(Stream);
        _ = Cublas.cublasDestroy_v2(CublasHandle);
        _ = Cudnn.cudnnDestroy(CudnnHandle);
        _ = CudaDriver.cuStreamDestroy_v2(Stream);
        _ = CudaDriver.cuDevicePrimaryCtxRelease_v2(Device.Ordinal);
    }
}
