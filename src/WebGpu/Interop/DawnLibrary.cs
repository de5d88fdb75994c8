using System.Reflection;
using System.Runtime.InteropServices;

namespace WebGpu.Interop;

/// <summary>
/// Finds Dawn's library: the file named by WEBGPU_DAWN_LIBRARY when set, else the one the build placed
/// beside this assembly (libwebgpu_wrapper.so, libwebgpu_wrapper.dylib or webgpu_wrapper.dll by OS).
/// </summary>
internal static class DawnLibrary
{
    /// <summary>The environment variable that points to another Dawn build.</summary>
    public const string OverrideVariable = "WEBGPU_DAWN_LIBRARY";

    /// <summary>The name every <see cref="LibraryImportAttribute"/> of <see cref="Dawn"/> uses.</summary>
    public const string Name = "webgpu_wrapper";

    /// <summary>The file name of Dawn's library on this OS.</summary>
    public static string FileName =>
        OperatingSystem.IsWindows() ? "webgpu_wrapper.dll"
        : OperatingSystem.IsMacOS() ? "libwebgpu_wrapper.dylib"
        : "libwebgpu_wrapper.so";

    /// <summary>Installs the resolver; <see cref="Dawn"/>'s static constructor calls it before the first call into Dawn.</summary>
    internal static void Register() => NativeLibrary.SetDllImportResolver(typeof(DawnLibrary).Assembly, Resolve);

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Name)
        {
            return IntPtr.Zero;
        }
        string? path = Environment.GetEnvironmentVariable(OverrideVariable);
        if (string.IsNullOrEmpty(path))
        {
            path = Path.Combine(AppContext.BaseDirectory, FileName);
        }
        if (NativeLibrary.TryLoad(path, out var handle))
        {
            return handle;
        }
        throw new DllNotFoundException(
            $"Dawn's WebGPU library was not found at '{path}'. The build copies {FileName} from the npm package bun-webgpu next to the program; " +
            $"to use another Dawn build, set {OverrideVariable} to its path.");
    }
}
