using WebNN.Backends;
using WebNN.Cuda.Interop;

namespace WebNN.Cuda;

/// <summary>
/// An <see cref="MLTensor"/> on a CUDA context: device memory, or pinned host memory registered with the device
/// (mapped, so kernels read and write it over the bus) for sharing with APIs that hand out host pointers.
/// </summary>
internal sealed class CudaTensor : IBackendTensor
{
    private readonly nint _cudaContext;
    private readonly nint _registeredHost;
    private int _disposed;

    private CudaTensor(nint cudaContext, ulong devicePointer, long byteLength, nint registeredHost)
    {
        _cudaContext = cudaContext;
        DevicePointer = devicePointer;
        ByteLength = byteLength;
        _registeredHost = registeredHost;
    }

    /// <summary>Where kernels find the tensor's bytes.</summary>
    public ulong DevicePointer { get; }

    /// <summary>The tensor's packed byte length.</summary>
    public long ByteLength { get; }

    /// <summary>A tensor in new device memory of <paramref name="cudaContext"/> (the current one) (at least 4 bytes, so that an empty tensor still has an address).</summary>
    public static CudaTensor Allocate(nint cudaContext, long byteLength)
    {
        CudaDriver.Check(CudaDriver.cuMemAlloc_v2(out ulong pointer, (nuint)Math.Max(byteLength, 4)), "cuMemAlloc");
        return new CudaTensor(cudaContext, pointer, byteLength, 0);
    }

    /// <summary>
    /// A tensor in the caller's host memory, page-locked and mapped into the device's address space
    /// (cuMemHostRegister, then cuMemHostGetDevicePointer). The caller keeps the memory alive until the tensor is disposed.
    /// </summary>
    public static CudaTensor RegisterHost(nint cudaContext, nint hostPointer, long byteLength)
    {
        CudaDriver.Check(CudaDriver.cuMemHostRegister_v2(hostPointer, (nuint)byteLength, CudaDriver.HostRegisterPortableDeviceMap), "cuMemHostRegister");
        int result = CudaDriver.cuMemHostGetDevicePointer_v2(out ulong devicePointer, hostPointer, 0);
        if (result != 0)
        {
            CudaDriver.cuMemHostUnregister(hostPointer);
            CudaDriver.Check(result, "cuMemHostGetDevicePointer");
        }
        return new CudaTensor(cudaContext, devicePointer, byteLength, hostPointer);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        // Freeing memory the device may still use waits for it (cuMemFree synchronizes); errors at release have no caller to go to.
        // The caller may be on any thread, so the CUDA context is made current first.
        _ = CudaDriver.cuCtxSetCurrent(_cudaContext);
        _ = _registeredHost != 0 ? CudaDriver.cuMemHostUnregister(_registeredHost) : CudaDriver.cuMemFree_v2(DevicePointer);
    }
}
