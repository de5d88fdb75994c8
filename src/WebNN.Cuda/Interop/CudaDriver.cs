using System.Runtime.InteropServices;

namespace WebNN.Cuda.Interop;

/// <summary>
/// The CUDA driver API (cuda.h), from libcuda.so.1 as the NVIDIA driver installs it. Handles are pointers
/// (CUcontext, CUstream, CUmodule, CUfunction), device memory is a 64-bit CUdeviceptr, a device is an int.
/// Every call returns a CUresult; <see cref="Check"/> turns a failure into a <see cref="CudaException"/>.
/// </summary>
internal static partial class CudaDriver
{
    private const string Library = "libcuda.so.1";

    /// <summary>CU_DEVICE_ATTRIBUTE_* values used here.</summary>
    public const int AttributeIntegrated = 18;
    public const int AttributeMemoryClockRate = 36;
    public const int AttributeGlobalMemoryBusWidth = 37;
    public const int AttributeComputeCapabilityMajor = 75;
    public const int AttributeComputeCapabilityMinor = 76;

    /// <summary>CU_STREAM_NON_BLOCKING: the stream does not synchronize with the legacy default stream.</summary>
    public const uint StreamNonBlocking = 1;

    /// <summary>CU_MEMHOSTREGISTER_PORTABLE | CU_MEMHOSTREGISTER_DEVICEMAP: pinned and mapped into the device's address space.</summary>
    public const uint HostRegisterPortableDeviceMap = 0x01 | 0x02;

    [LibraryImport(Library)]
    public static partial int cuInit(uint flags);

    [LibraryImport(Library)]
    public static partial int cuDriverGetVersion(out int version);

    [LibraryImport(Library)]
    public static partial int cuDeviceGetCount(out int count);

    [LibraryImport(Library)]
    public static partial int cuDeviceGet(out int device, int ordinal);

    [LibraryImport(Library)]
    public static unsafe partial int cuDeviceGetName(byte* name, int length, int device);

    [LibraryImport(Library)]
    public static partial int cuDeviceGetAttribute(out int value, int attribute, int device);

    [LibraryImport(Library)]
    public static partial int cuDeviceTotalMem_v2(out nuint bytes, int device);

    [LibraryImport(Library)]
    public static partial int cuDevicePrimaryCtxRetain(out nint context, int device);

    [LibraryImport(Library)]
    public static partial int cuDevicePrimaryCtxRelease_v2(int device);

    [LibraryImport(Library)]
    public static partial int cuCtxSetCurrent(nint context);

    [LibraryImport(Library)]
    public static partial int cuStreamCreate(out nint stream, uint flags);

    [LibraryImport(Library)]
    public static partial int cuStreamDestroy_v2(nint stream);

    [LibraryImport(Library)]
    public static partial int cuStreamSynchronize(nint stream);

    [LibraryImport(Library)]
    public static partial int cuMemAlloc_v2(out ulong pointer, nuint bytes);

    [LibraryImport(Library)]
    public static partial int cuMemFree_v2(ulong pointer);

    [LibraryImport(Library)]
    public static partial int cuMemHostRegister_v2(nint pointer, nuint bytes, uint flags);

    [LibraryImport(Library)]
    public static partial int cuMemHostUnregister(nint pointer);

    [LibraryImport(Library)]
    public static partial int cuMemHostGetDevicePointer_v2(out ulong devicePointer, nint hostPointer, uint flags);

    [LibraryImport(Library)]
    public static partial int cuMemcpyHtoDAsync_v2(ulong destination, nint source, nuint bytes, nint stream);

    [LibraryImport(Library)]
    public static partial int cuMemcpyDtoHAsync_v2(nint destination, ulong source, nuint bytes, nint stream);

    [LibraryImport(Library)]
    public static partial int cuMemcpyDtoDAsync_v2(ulong destination, ulong source, nuint bytes, nint stream);

    [LibraryImport(Library)]
    public static partial int cuMemsetD8Async(ulong destination, byte value, nuint count, nint stream);

    [LibraryImport(Library)]
    public static unsafe partial int cuModuleLoadData(out nint module, byte* image);

    [LibraryImport(Library)]
    public static partial int cuModuleUnload(nint module);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int cuModuleGetFunction(out nint function, nint module, string name);

    [LibraryImport(Library)]
    public static unsafe partial int cuLaunchKernel(
        nint function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ,
        uint sharedMemoryBytes, nint stream, void** parameters, void** extra);

    /// <summary>CU_STREAM_CAPTURE_MODE_THREAD_LOCAL: only this thread's unsafe calls end a capture in error.</summary>
    public const int CaptureModeThreadLocal = 1;

    [LibraryImport(Library)]
    public static partial int cuStreamBeginCapture_v2(nint stream, int mode);

    [LibraryImport(Library)]
    public static partial int cuStreamEndCapture(nint stream, out nint graph);

    [LibraryImport(Library)]
    public static partial int cuGraphInstantiateWithFlags(out nint graphExec, nint graph, ulong flags);

    [LibraryImport(Library)]
    public static partial int cuGraphLaunch(nint graphExec, nint stream);

    [LibraryImport(Library)]
    public static partial int cuGraphExecDestroy(nint graphExec);

    [LibraryImport(Library)]
    public static partial int cuGraphDestroy(nint graph);

    [LibraryImport(Library)]
    public static partial int cuEventCreate(out nint cudaEvent, uint flags);

    [LibraryImport(Library)]
    public static partial int cuEventRecord(nint cudaEvent, nint stream);

    [LibraryImport(Library)]
    public static partial int cuEventSynchronize(nint cudaEvent);

    [LibraryImport(Library)]
    public static partial int cuEventElapsedTime(out float milliseconds, nint start, nint end);

    [LibraryImport(Library)]
    public static partial int cuEventDestroy_v2(nint cudaEvent);

    [LibraryImport(Library)]
    private static partial int cuGetErrorName(int result, out nint name);

    [LibraryImport(Library)]
    private static partial int cuGetErrorString(int result, out nint description);

    /// <summary>Throws a <see cref="CudaException"/> naming <paramref name="call"/> and the error when <paramref name="result"/> is not CUDA_SUCCESS.</summary>
    public static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new CudaException($"{call} failed: {ErrorName(result)}.");
        }
    }

    /// <summary>"CUDA_ERROR_OUT_OF_MEMORY (out of memory)", or the number when the driver does not know it.</summary>
    public static string ErrorName(int result)
    {
        string name = cuGetErrorName(result, out nint namePointer) == 0 ? Marshal.PtrToStringUTF8(namePointer) ?? "" : $"CUresult {result}";
        string description = cuGetErrorString(result, out nint descriptionPointer) == 0 ? Marshal.PtrToStringUTF8(descriptionPointer) ?? "" : "";
        return description.Length == 0 ? name : $"{name} ({description})";
    }
}

/// <summary>A call into CUDA, cuDNN, cuBLAS or NVRTC failed; the message names the call and the library's error.</summary>
public sealed class CudaException(string message) : Exception(message);
