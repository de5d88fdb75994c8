using System.Text;
using WebNN.Cuda.Interop;

namespace WebNN.Cuda;

/// <summary>The first CUDA device and the libraries the backend needs, as found on this machine.</summary>
internal sealed record CudaDevice(int Ordinal, string Name, int ComputeMajor, int ComputeMinor, bool Integrated, ulong TotalMemory, string Libraries)
{
    /// <summary>Peak memory bandwidth in bytes per second (double data rate × bus width), or 0 when the driver does not report it.</summary>
    public double MemoryBandwidth { get; init; }

    /// <summary>NVRTC's target for this device, e.g. <c>sm_90</c>.</summary>
    public string Architecture => $"sm_{ComputeMajor}{ComputeMinor}";

    /// <inheritdoc/>
    public override string ToString() =>
        $"CUDA: {Name} ({Architecture}, {TotalMemory / (1024 * 1024 * 1024)} GiB{(Integrated ? ", integrated" : "")}; {Libraries})";

    /// <summary>
    /// Initializes the driver and checks every library (cuDNN, cuBLAS, NVRTC): the device, or why the backend cannot run here.
    /// Never throws: a missing library or symbol and a CUDA error are reasons.
    /// </summary>
    public static (CudaDevice? Device, string Reason) Find()
    {
        try
        {
            return FindOrThrow();
        }
        catch (DllNotFoundException e)
        {
            return (null, $"{LibraryName(e.Message)} cannot be loaded (it comes with the NVIDIA driver, cuDNN 9, cuBLAS 13 or NVRTC 13)");
        }
        catch (EntryPointNotFoundException e)
        {
            return (null, $"a CUDA library is too old ({FirstLine(e.Message)})");
        }
        catch (CudaException e)
        {
            return (null, e.Message);
        }
    }

    private static unsafe (CudaDevice? Device, string Reason) FindOrThrow()
    {
        CudaDriver.Check(CudaDriver.cuInit(0), "cuInit");
        CudaDriver.Check(CudaDriver.cuDriverGetVersion(out int driverVersion), "cuDriverGetVersion");
        CudaDriver.Check(CudaDriver.cuDeviceGetCount(out int count), "cuDeviceGetCount");
        if (count == 0)
        {
            return (null, "the CUDA driver sees no device");
        }
        CudaDriver.Check(CudaDriver.cuDeviceGet(out int device, 0), "cuDeviceGet");
        var name = new byte[256];
        fixed (byte* pointer = name)
        {
            CudaDriver.Check(CudaDriver.cuDeviceGetName(pointer, name.Length, device), "cuDeviceGetName");
        }
        CudaDriver.Check(CudaDriver.cuDeviceGetAttribute(out int major, CudaDriver.AttributeComputeCapabilityMajor, device), "cuDeviceGetAttribute");
        CudaDriver.Check(CudaDriver.cuDeviceGetAttribute(out int minor, CudaDriver.AttributeComputeCapabilityMinor, device), "cuDeviceGetAttribute");
        CudaDriver.Check(CudaDriver.cuDeviceGetAttribute(out int integrated, CudaDriver.AttributeIntegrated, device), "cuDeviceGetAttribute");
        CudaDriver.Check(CudaDriver.cuDeviceTotalMem_v2(out nuint totalMemory, device), "cuDeviceTotalMem");
        string cudnn = Cudnn.VersionText();
        Nvrtc.Check(Nvrtc.nvrtcVersion(out int nvrtcMajor, out int nvrtcMinor), "nvrtcVersion");
        Cublas.Check(Cublas.cublasGetProperty(0, out int cublasMajor), "cublasGetProperty");
        Cublas.Check(Cublas.cublasGetProperty(1, out int cublasMinor), "cublasGetProperty");
        string libraries = $"driver CUDA {driverVersion / 1000}.{driverVersion % 1000 / 10}, cuDNN {cudnn}, cuBLAS {cublasMajor}.{cublasMinor}, NVRTC {nvrtcMajor}.{nvrtcMinor}";
        string deviceName = Encoding.UTF8.GetString(name, 0, Array.IndexOf(name, (byte)0) is var end and >= 0 ? end : name.Length);
        // Reported in kHz and bits; some drivers no longer report them, and then the bandwidth is unknown (0).
        bool hasBandwidth = CudaDriver.cuDeviceGetAttribute(out int memoryClockKhz, CudaDriver.AttributeMemoryClockRate, device) == 0
            & CudaDriver.cuDeviceGetAttribute(out int busWidthBits, CudaDriver.AttributeGlobalMemoryBusWidth, device) == 0;
        return (new CudaDevice(device, deviceName, major, minor, integrated != 0, totalMemory, libraries)
        {
            MemoryBandwidth = hasBandwidth ? 2.0 * memoryClockKhz * 1000 * busWidthBits / 8 : 0,
        }, "");
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>The library a DllNotFoundException's message names ("Unable to load shared library 'libcuda.so.1' ...").</summary>
    private static string LibraryName(string message) => message.Split('\'') is [_, var name, ..] ? name : FirstLine(message);
}
