using System.Runtime.InteropServices;
using System.Text;
using WebNN.Cuda.Interop;

namespace WebNN.Cuda.Kernels;

/// <summary>
/// The generated CUDA C kernels of one graph, compiled together by NVRTC into a CUBIN for the device's
/// architecture and loaded as one module at build. Kernels are added while the graph is lowered; launches
/// find their function once the module is loaded.
/// </summary>
internal sealed class CudaProgram : IDisposable
{
    /// <summary>The device function that widens a float16 (its 16 bits) to float.</summary>
    public const string HalfToFloat = "webnn_half_to_float";

    /// <summary>The device function that rounds a float to the nearest float16 (ties to even) and returns its 16 bits.</summary>
    public const string FloatToHalf = "webnn_float_to_half";

    /// <summary>
    /// What every program starts with: the float16 conversions as the PTX instructions that cuda_fp16.h wraps, so that
    /// kernels need no header (NVRTC would have to find cuda_fp16.h) and hold float16 as unsigned short.
    /// </summary>
    private const string Prelude = $$"""
        __device__ __forceinline__ float {{HalfToFloat}}(unsigned short h) { float f; asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h)); return f; }
        __device__ __forceinline__ unsigned short {{FloatToHalf}}(float f) { unsigned short h; asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(f)); return h; }

        """;

    private readonly StringBuilder _source = new();
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private nint _module;

    public bool IsEmpty => _names.Count == 0;

    /// <summary>The whole source (for tests and error messages).</summary>
    public string Source => Prelude + _source;

    /// <summary>
    /// Adds a kernel and returns its name: <paramref name="define"/> gets the name to declare
    /// (<c>extern "C" __global__ void NAME(...)</c>) and returns the definition. The same definition added twice is one kernel.
    /// </summary>
    public string Add(Func<string, string> define)
    {
        string key = define("KERNEL");
        if (!_names.TryGetValue(key, out string? name))
        {
            name = $"k{_names.Count}";
            _names.Add(key, name);
            _source.Append(define(name)).Append('\n');
        }
        return name;
    }

    /// <summary>Compiles the source for <paramref name="device"/> and loads it.</summary>
    public void Compile(CudaDevice device)
    {
        byte[] cubin = CompileToCubin(Source, device.Architecture);
        unsafe
        {
            fixed (byte* image = cubin)
            {
                CudaDriver.Check(CudaDriver.cuModuleLoadData(out _module, image), "cuModuleLoadData");
            }
        }
    }

    /// <summary>A kernel of the loaded module.</summary>
    public nint Function(string name)
    {
        CudaDriver.Check(CudaDriver.cuModuleGetFunction(out nint function, _module, name), $"cuModuleGetFunction({name})");
        return function;
    }

    /// <summary>NVRTC's CUBIN of <paramref name="source"/> for <paramref name="architecture"/> (e.g. sm_90); a compile error carries NVRTC's log.</summary>
    public static byte[] CompileToCubin(string source, string architecture)
    {
        Nvrtc.Check(Nvrtc.nvrtcCreateProgram(out nint program, source, "webnn_graph.cu", 0, 0, 0), "nvrtcCreateProgram");
        string[] options = [$"--gpu-architecture={architecture}", "--std=c++17"];
        var optionPointers = options.Select(o => Marshal.StringToCoTaskMemUTF8(o)).ToArray();
        try
        {
            int result = Nvrtc.nvrtcCompileProgram(program, optionPointers.Length, optionPointers);
            if (result != 0)
            {
                throw new CudaException($"nvrtcCompileProgram failed: {Nvrtc.ErrorName(result)}.\n{Log(program)}\n{source}");
            }
            Nvrtc.Check(Nvrtc.nvrtcGetCUBINSize(program, out nuint size), "nvrtcGetCUBINSize");
            var cubin = new byte[size];
            Nvrtc.Check(Nvrtc.nvrtcGetCUBIN(program, cubin), "nvrtcGetCUBIN");
            return cubin;
        }
        finally
        {
            foreach (nint option in optionPointers)
            {
                Marshal.FreeCoTaskMem(option);
            }
            _ = Nvrtc.nvrtcDestroyProgram(ref program);
        }
    }

    private static string Log(nint program)
    {
        if (Nvrtc.nvrtcGetProgramLogSize(program, out nuint size) != 0 || size <= 1)
        {
            return "";
        }
        var log = new byte[size];
        return Nvrtc.nvrtcGetProgramLog(program, log) == 0 ? Encoding.UTF8.GetString(log, 0, log.Length - 1) : "";
    }

    public void Dispose()
    {
        if (_module != 0)
        {
            _ = CudaDriver.cuModuleUnload(_module);
            _module = 0;
        }
    }
}

/// <summary>
/// A launch of a generated kernel: one thread per element of <paramref name="threads"/>, in blocks of
/// <see cref="BlockSize"/>; its parameters are the device addresses of <paramref name="values"/>, in order.
/// </summary>
internal sealed class KernelLaunch(CudaProgram program, string name, long threads, CudaValue[] values) : CudaStep
{
    public const int BlockSize = 256;

    private nint _function;

    public override unsafe void Run(CudaRun run)
    {
        if (_function == 0)
        {
            _function = program.Function(name);
        }
        ulong* pointers = stackalloc ulong[values.Length];
        void** parameters = stackalloc void*[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            pointers[i] = run.Pointer(values[i]);
            parameters[i] = &pointers[i];
        }
        uint blocks = (uint)((threads + BlockSize - 1) / BlockSize);
        CudaDriver.Check(CudaDriver.cuLaunchKernel(_function, blocks, 1, 1, BlockSize, 1, 1, 0, run.Context.Stream, parameters, null), $"cuLaunchKernel({name})");
    }
}

/// <summary>A device-to-device copy of <paramref name="source"/>'s bytes into <paramref name="destination"/> (reshape).</summary>
internal sealed class CopyStep(CudaValue source, CudaValue destination) : CudaStep
{
    public override void Run(CudaRun run) =>
        CudaDriver.Check(CudaDriver.cuMemcpyDtoDAsync_v2(run.Pointer(destination), run.Pointer(source), (nuint)source.ByteLength, run.Context.Stream), "cuMemcpyDtoDAsync");
}
