using System.Runtime.InteropServices;

namespace WebNN.Cuda.Interop;

/// <summary>
/// NVRTC (nvrtc.h) from libnvrtc.so.13: compiles CUDA C to a CUBIN at run time. Every call returns an
/// nvrtcResult; <see cref="Check"/> turns a failure into a <see cref="CudaException"/> with NVRTC's name for it.
/// </summary>
internal static partial class Nvrtc
{
    private const string Library = "libnvrtc.so.13";

    [LibraryImport(Library)]
    public static partial int nvrtcVersion(out int major, out int minor);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int nvrtcCreateProgram(out nint program, string source, string name, int headerCount, nint headers, nint includeNames);

    [LibraryImport(Library)]
    public static partial int nvrtcCompileProgram(nint program, int optionCount, nint[] options);

    [LibraryImport(Library)]
    public static partial int nvrtcGetProgramLogSize(nint program, out nuint size);

    [LibraryImport(Library)]
    public static partial int nvrtcGetProgramLog(nint program, byte[] log);

    [LibraryImport(Library)]
    public static partial int nvrtcGetCUBINSize(nint program, out nuint size);

    [LibraryImport(Library)]
    public static partial int nvrtcGetCUBIN(nint program, byte[] cubin);

    [LibraryImport(Library)]
    public static partial int nvrtcDestroyProgram(ref nint program);

    [LibraryImport(Library)]
    private static partial nint nvrtcGetErrorString(int result);

    /// <summary>Throws a <see cref="CudaException"/> naming <paramref name="call"/> and NVRTC's error when <paramref name="result"/> is not NVRTC_SUCCESS.</summary>
    public static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new CudaException($"{call} failed: {ErrorName(result)}.");
        }
    }

    public static string ErrorName(int result) => Marshal.PtrToStringUTF8(nvrtcGetErrorString(result)) ?? $"nvrtcResult {result}";
}
