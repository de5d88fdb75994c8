using WebNN.Backends;

namespace WebNN;

/// <summary>The kind of device a backend runs on, which context options choose between.</summary>
public enum MLDeviceKind
{
    /// <summary>The CPU.</summary>
    Cpu,
    /// <summary>A GPU that shares memory and power with the CPU.</summary>
    IntegratedGpu,
    /// <summary>A discrete GPU.</summary>
    DiscreteGpu,
}

/// <summary>A backend present in the application, as <see cref="ML.EnumerateBackends"/> reports it (an extension of the spec).</summary>
/// <param name="Name">The backend's short name ("cpu", "webgpu", ...).</param>
/// <param name="Accelerated">Whether it runs on an accelerator.</param>
/// <param name="Available">Whether it can make a context on this machine.</param>
/// <param name="Description">The device it would use, or why it cannot make a context.</param>
/// <param name="Kind">The kind of device it would use.</param>
public sealed record MLBackendInfo(string Name, bool Accelerated, bool Available, string Description, MLDeviceKind Kind);

/// <summary>The entry point (spec: <c>navigator.ml</c>): creates contexts.</summary>
public static class ML
{
    /// <summary>
    /// Creates a context on the device that best fits <paramref name="options"/> (spec:
    /// <c>createContext(options)</c>): <see cref="MLContextOptions.Accelerated"/> = false takes the CPU;
    /// high-performance (and default) prefer a discrete GPU, then an integrated one, then the CPU; low-power
    /// prefers an integrated GPU, then the CPU. Among backends on the same kind of device, high-performance prefers
    /// a vendor-library backend (cuda on an NVIDIA GPU), the others take the portable one (webgpu). Software GPU
    /// adapters are never chosen here (they are slower than the CPU backend): ask for one with the GPUDevice
    /// overload. <see cref="MLContextOptions.Backend"/> names a backend outright. <see cref="Explain"/> says why.
    /// </summary>
    /// <exception cref="NotSupportedException">No backend is present (reference WebNN.Cpu), or the backend asked for is absent or unavailable.</exception>
    public static async Task<MLContext> CreateContextAsync(MLContextOptions? options = null)
    {
        options ??= new MLContextOptions();
        if (options.Backend is { } name)
        {
            var named = Named(name);
            return new MLContext(await named.CreateContextAsync(options).ConfigureAwait(false), named.Name, options);
        }
        var candidates = Rank(options);
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
            .Select(x => new MLBackendInfo(x.Provider.Name, x.Provider.Accelerated, x.Availability.Available, x.Availability.Description, x.Availability.Kind))
            .ToList();

    /// <summary>Which backend <see cref="CreateContextAsync(MLContextOptions?)"/> picks for <paramref name="options"/>, and why (an extension of the spec).</summary>
    public static string Explain(MLContextOptions options)
    {
        if (options.Backend is { } name)
        {
            var named = BackendRegistry.Providers.FirstOrDefault(p => p.Name == name);
            return named is null ? $"the {name} backend asked for is not present" : $"{name}, asked for by name ({named.Probe().Description})";
        }
        var ranked = Rank(options);
        if (ranked.Count == 0)
        {
            return "no backend is available";
        }
        string order = string.Join(" > ", Preference(options).Select(k => k.ToString()));
        var chosen = ranked[0];
        string vendor = chosen.PreferredForHighPerformance && options.PowerPreference == MLPowerPreference.HighPerformance
            ? ", preferred for high performance over the portable backends on the same kind of device"
            : "";
        return $"{chosen.Name} ({chosen.Probe().Kind}), by the order {order} among the available backends{vendor}";
    }

    /// <summary>The backend named <paramref name="name"/>, when it is present and available.</summary>
    private static IBackendProvider Named(string name)
    {
        var provider = BackendRegistry.Providers.FirstOrDefault(p => p.Name == name)
            ?? throw new NotSupportedException($"createContext: no backend is named '{name}' in this application (present: {string.Join(", ", BackendRegistry.Providers.Select(p => p.Name))}).");
        var availability = provider.Probe();
        return availability.Available
            ? provider
            : throw new NotSupportedException($"createContext: the {name} backend is unavailable: {availability.Description}.");
    }

    private static List<IBackendProvider> Rank(MLContextOptions options) => Rank(options, BackendRegistry.Providers);

    /// <summary>The available providers among <paramref name="providers"/> that <paramref name="options"/> allow, best first.</summary>
    internal static List<IBackendProvider> Rank(MLContextOptions options, IEnumerable<IBackendProvider> providers)
    {
        var preference = Preference(options);
        return providers
            .Select(p => (Provider: p, Availability: p.Probe()))
            .Where(x => x.Availability.Available && preference.Contains(x.Availability.Kind))
            .OrderBy(x => Array.IndexOf(preference, x.Availability.Kind))
            .ThenBy(x => options.PowerPreference == MLPowerPreference.HighPerformance && x.Provider.PreferredForHighPerformance ? 0 : 1)
            .Select(x => x.Provider)
            .ToList();
    }

    private static MLDeviceKind[] Preference(MLContextOptions options) =>
        !options.Accelerated ? [MLDeviceKind.Cpu]
        : options.PowerPreference == MLPowerPreference.LowPower ? [MLDeviceKind.IntegratedGpu, MLDeviceKind.Cpu]
        : [MLDeviceKind.DiscreteGpu, MLDeviceKind.IntegratedGpu, MLDeviceKind.Cpu];
}
