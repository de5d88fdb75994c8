using System.Runtime.InteropServices;
using WebGpu.Interop;

namespace WebGpu;

/// <summary>
/// Turns a device's uncaptured errors into exceptions. Dawn reports a validation error synchronously,
/// inside the call that caused it; the wrapper opens a capture on the calling thread around each call,
/// and the first error captured is thrown from that call. Errors outside any capture are raised by
/// <see cref="GPUDevice.UncapturedError"/>.
/// </summary>
internal sealed class DeviceErrors
{
    [ThreadStatic]
    private static List<GPUError>? t_capture;

    public event Action<GPUError>? Uncaptured;

    /// <summary>Runs <paramref name="call"/> (under the instance lock) and throws the first error Dawn reported during it.</summary>
    public static T Run<T>(Lock sync, Func<T> call)
    {
        var result = Collect(sync, call, out var errors);
        if (errors.Count > 0)
        {
            throw errors[0].ToException();
        }
        return result;
    }

    /// <summary>Runs <paramref name="call"/> (under the instance lock) and returns the errors Dawn reported during it.</summary>
    public static T Collect<T>(Lock sync, Func<T> call, out List<GPUError> errors)
    {
        var outer = t_capture;
        errors = [];
        t_capture = errors;
        try
        {
            lock (sync)
            {
                return call();
            }
        }
        finally
        {
            t_capture = outer;
        }
    }

    /// <summary>Runs <paramref name="call"/> and throws the first error Dawn reported during it.</summary>
    public static void Run(Lock sync, Action call) => Run(sync, () =>
    {
        call();
        return 0;
    });

    private void Report(GPUError error)
    {
        if (t_capture is { } capture)
        {
            capture.Add(error);
        }
        else
        {
            Uncaptured?.Invoke(error);
        }
    }

    [UnmanagedCallersOnly]
    internal static unsafe void OnUncapturedError(nint* device, uint type, WGPUStringView message, void* userdata1, void* userdata2)
    {
        if (GPUError.FromDawn(type, message.ToString()) is { } error && GCHandle.FromIntPtr((nint)userdata1).Target is DeviceErrors errors)
        {
            errors.Report(error);
        }
    }
}
