using System.Diagnostics.CodeAnalysis;

namespace WebNN.Backends;

/// <summary>
/// Finds the backends present in the application: each backend assembly that is deployed beside
/// WebNN.Core provides one <see cref="IBackendProvider"/> under a well-known type name, so the
/// frontend depends on no backend and an absent backend is simply not offered.
/// </summary>
internal static class BackendRegistry
{
    private static readonly string[] KnownProviders =
    [
        "WebNN.Cpu.CpuBackendProvider, WebNN.Cpu",
        "WebNN.WebGpu.WebGpuBackendProvider, WebNN.WebGpu",
        "WebNN.Cuda.CudaBackendProvider, WebNN.Cuda",
    ];

    private static readonly Lazy<IReadOnlyList<IBackendProvider>> Discovered = new(Discover);

    /// <summary>The providers whose assemblies are present, in preference order for equal standing.</summary>
    public static IReadOnlyList<IBackendProvider> Providers => Discovered.Value;

    [UnconditionalSuppressMessage("Trimming", "IL2057", Justification = "Backends are optional assemblies located by name; an application that trims keeps the ones it references.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "See above.")]
    private static IReadOnlyList<IBackendProvider> Discover()
    {
        var providers = new List<IBackendProvider>();
        foreach (string typeName in KnownProviders)
        {
            Type? type;
            try
            {
                type = Type.GetType(typeName, throwOnError: false);
            }
            catch (FileNotFoundException)
            {
                continue;
            }
            catch (FileLoadException)
            {
                continue;
            }
            if (type is not null && Activator.CreateInstance(type, nonPublic: true) is IBackendProvider provider)
            {
                providers.Add(provider);
            }
        }
        return providers;
    }
}
