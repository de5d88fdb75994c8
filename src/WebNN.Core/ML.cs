using WebNN.Backends;

namespace WebNN;

/// <summary>A backend present in the application, as <see cref="ML.EnumerateBackends"/> reports it (an extension of the spec).</summary>
/// <param name="Name">The backend's short name ("cpu", "webgpu", ...).</param>
/// <param name="Accelerated">Whether it runs on an accelerator.</param>
/// <param name="Available">Whether it can make a context on this machine.</param>
/// <param name="Description">The device it would use, or why it cannot make a context.</param>
public sealed record MLBackendInfo(string Name, bool Accelerated, bool Available, string Description);

/// <summary>The entry point (spec: <c>navigator.ml</c>): creates contexts.</summary>
public static class ML
{
    /// <summary>
    /// Creates a context on the device that best fits <paramref name="options"/> (spec:
    /// <c>createContext(options)</c>). <see cref="MLContextOptions.Accelerated"/> = false asks for the
    /// CPU; otherwise an available accelerated backend is preferred and the CPU is the fallback.
    /// </summary>
    /// <exception cref="NotSupportedException">No backend is present (reference WebNN.Cpu).</exception>
    public static async Task<MLContext> CreateContextAsync(MLContextOptions? options = null)
    {
        options ??= new MLContextOptions();
        var candidates = BackendRegistry.Providers
            .Where(p => p.Probe().Available)
            .OrderBy(p => p.Accelerated == options.Accelerated ? 0 : 1)
            .ToList();
        if (candidates.Count == 0)
        {
            throw new NotSupportedException(
                "createContext: no WebNN backend is available. Reference the WebNN.Cpu package (the always-available CPU backend) from the application.");
        }
        var backend = await candidates[0].CreateContextAsync(options).ConfigureAwait(false);
        return new MLContext(backend, candidates[0].Name, options);
    }

    /// <summary>Every backend present in the application, with whether it can run here and on what.</summary>
    public static IReadOnlyList<MLBackendInfo> EnumerateBackends() =>
        BackendRegistry.Providers
            .Select(p => (Provider: p, Availability: p.Probe()))
            .Select(x => new MLBackendInfo(x.Provider.Name, x.Provider.Accelerated, x.Availability.Available, x.Availability.Description))
            .ToList();
}
