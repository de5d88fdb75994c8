namespace WebNN.Cli;

/// <summary><c>webnn devices</c>: the backends present, whether each can run here, and what each preference picks.</summary>
internal static class DevicesCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        _ = new CommandLine(args, [], []);
        Console.WriteLine("Backends:");
        foreach (var backend in ML.EnumerateBackends())
        {
            string state = backend.Available ? "available" : "unavailable";
            Console.WriteLine($"  {backend.Name,-8} {(backend.Available ? backend.Kind.ToString() : "-"),-14} {state,-12} {backend.Description}");
        }
        Console.WriteLine();
        Console.WriteLine("Context options → chosen device:");
        foreach (var power in Enum.GetValues<MLPowerPreference>())
        {
            foreach (bool accelerated in new[] { true, false })
            {
                var options = new MLContextOptions { PowerPreference = power, Accelerated = accelerated };
                using var context = await ML.CreateContextAsync(options);
                Console.WriteLine($"  power={power,-16} accelerated={accelerated,-5} → {context.BackendName}: {context.DeviceDescription}");
                Console.WriteLine($"      why: {ML.Explain(options)}");
            }
        }
        if (!ML.EnumerateBackends().Any(b => b.Accelerated && b.Available))
        {
            Console.WriteLine();
            Console.WriteLine(GpuAdvice.NoGpuContext);
        }
        return 0;
    }
}

/// <summary>What to tell a user who has no GPU context: why, and how to get one.</summary>
internal static class GpuAdvice
{
    public const string HowToGetAnAdapter =
        "GPU contexts run on WebGPU (Dawn) over Vulkan: they need a GPU with its Vulkan driver or, on a machine without one, " +
        "Mesa's software Vulkan (lavapipe): on Debian 12 run `sudo bash .ci/install-vulkan.sh` (mesa-vulkan-drivers from bookworm-backports).";

    /// <summary>The advice for this application's backends: why no GPU context, and how to get one.</summary>
    public static string NoGpuContext => ML.EnumerateBackends().FirstOrDefault(b => b.Accelerated) is { } gpu
        ? $"No GPU context: the {gpu.Name} backend reports {gpu.Description}. WebNN runs on the CPU. " + HowToGetAnAdapter
        : "This build has no GPU backend, so WebNN runs on the CPU. " + HowToGetAnAdapter;
}
