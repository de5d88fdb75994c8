using System.Buffers;
using WebGpu;
using WebNN.Cuda.Interop;
using WebNN.WebGpu;

namespace WebNN.Cuda;

/// <summary>
/// An <see cref="MLTensor"/> on a CUDA context: device memory, or pinned host memory registered with the device
/// (mapped, so kernels read and write it over the bus) for sharing with APIs that hand out host pointers. An exportable
/// tensor's host memory is also wrapped by a buffer of a WebGPU device, so WebGPU reads and writes the same bytes.
/// </summary>
internal sealed class CudaTensor : ILendableTensor
{
    private readonly nint _cudaContext;
    private readonly nint _registeredHost;
    // An exportable tensor's memory, the pin that keeps its address for CUDA, and the WebGPU buffer over it.
    private HostMappedMemory? _sharedMemory;
    private MemoryHandle _sharedPin;
    // WebGPU's work submitted before the tensor was given back, which CUDA's next use of it waits for.
    private Task? _webGpuWork;
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

    public GPUBuffer? LendableBuffer { get; private set; }

    public GPUBuffer? Export { get; set; }

    /// <summary>
    /// A tensor in new host memory that both CUDA (registered, mapped) and <paramref name="device"/> (a buffer over it,
    /// Dawn's "host-mapped-pointer") reach with no copy.
    /// </summary>
    /// <exception cref="NotSupportedException">The device was created without the "host-mapped-pointer" feature.</exception>
    public static CudaTensor CreateShared(nint cudaContext, long byteLength, GPUDevice device)
    {
        ulong alignment = device.Limits.HostMappedPointerAlignment
            ?? throw new NotSupportedException("createExportableTensor: a cuda tensor is lent to WebGPU through host memory that a buffer of the device wraps, " +
                $"which needs a device created with the \"{HostMappedMemory.Feature}\" feature (request the adapter with EnabledToggles = [\"{HostMappedMemory.AdapterToggle}\"], " +
                $"then the device with RequiredFeatures = [\"{HostMappedMemory.Feature}\"]).");
        if (byteLength > Array.MaxLength - (long)alignment)
        {
            throw new NotSupportedException($"createExportableTensor: a cuda tensor lent to WebGPU lives in one host allocation of at most {Array.MaxLength - (long)alignment} bytes; this one needs {byteLength}.");
        }
        var memory = new HostMappedMemory((int)Math.Max(byteLength, 4), (int)alignment);
        GPUBuffer? buffer = null;
        MemoryHandle pin = default;
        try
        {
            buffer = device.CreateBuffer(new GPUBufferDescriptor
            {
                Label = "webnn cuda tensor (host memory)",
                Size = (ulong)memory.Length,
                Usage = GPUBufferUsage.Storage | GPUBufferUsage.CopySrc | GPUBufferUsage.CopyDst,
            }, memory);
            pin = memory.Pin();
            unsafe
            {
                var tensor = RegisterHost(cudaContext, (nint)pin.Pointer, byteLength);
                tensor._sharedMemory = memory;
                tensor._sharedPin = pin;
                tensor.LendableBuffer = buffer;
                return tensor;
            }
        }
        catch
        {
            pin.Dispose();
            buffer?.Dispose();
            memory.Dispose();
            throw;
        }
    }

    /// <summary>Called when WebGPU gives the tensor back: CUDA's next use waits until <paramref name="webGpuWork"/> completes.</summary>
    public void AfterWebGpu(Task webGpuWork) => _webGpuWork = webGpuWork;

    /// <summary>Refuses a tensor WebGPU holds, and waits for WebGPU's work on a tensor it gave back, before <paramref name="where"/> uses it.</summary>
    public void PrepareForCuda(string where)
    {
        Lending.ThrowIfExported(this, where);
        if (_webGpuWork is { } work)
        {
            work.GetAwaiter().GetResult();
            _webGpuWork = null;
        }
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
        if (_sharedMemory is not null)
        {
            // The buffer holds the memory until Dawn reports it done with it; the pin and the owner's hold go now.
            LendableBuffer!.Dispose();
            _sharedPin.Dispose();
            _sharedMemory.Dispose();
        }
    }
}
