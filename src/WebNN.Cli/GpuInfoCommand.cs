using WebGpu;

namespace WebNN.Cli;

/// <summary><c>webnn gpu-info</c>: every WebGPU adapter Dawn finds, with its info, features and limits.</summary>
internal static class GpuInfoCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        _ = new CommandLine(args, [], []);
        var adapters = await GPU.EnumerateAdaptersAsync();
        if (adapters.Count == 0)
        {
            Console.WriteLine("No WebGPU adapter was found. " + GpuAdvice.HowToGetAnAdapter);
            return 1;
        }
        foreach (var adapter in adapters)
        {
            var info = adapter.Info;
            Console.WriteLine($"Adapter: {info.Description}");
            Console.WriteLine($"  vendor        {info.Vendor} (0x{info.VendorId:X4})");
            Console.WriteLine($"  architecture  {info.Architecture}");
            Console.WriteLine($"  device        {info.Device} (0x{info.DeviceId:X4})");
            Console.WriteLine($"  backend       {info.Backend}");
            Console.WriteLine($"  type          {info.AdapterType}{(info.IsFallbackAdapter ? " (software fallback)" : "")}");
            Console.WriteLine($"  subgroups     {info.SubgroupMinSize}..{info.SubgroupMaxSize}");
            Console.WriteLine($"  features ({adapter.Features.Count}):");
            foreach (var feature in adapter.Features.Order(StringComparer.Ordinal))
            {
                Console.WriteLine($"    {feature}");
            }
            Console.WriteLine("  limits:");
            foreach (var (name, value) in adapter.Limits.Values.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"    {name,-46} {value}");
            }
            adapter.Dispose();
        }
        return 0;
    }
}
