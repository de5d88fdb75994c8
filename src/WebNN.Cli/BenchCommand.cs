namespace WebNN.Cli;

/// <summary><c>webnn bench NAME</c>: the benchmarks (tables on stdout, JSON with --json).</summary>
internal static class BenchCommand
{
    /// <summary>ResNet18.onnx in the NuGet package folder, which the build writes into this assembly's metadata.</summary>
    private static string ResNet18Path => typeof(BenchCommand).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "ResNet18Path").Value!;

    public static Task<int> RunAsync(string[] args)
    {
        string name = args.Length > 0 ? args[0] : "";
        var options = new CommandLine(args.Length > 0 ? args[1..] : [], ["--iterations", "--size", "--json", "--device", "--threads", "--case", "--backend"], []);
        return name switch
        {
            "interop" => InteropBenchmark.RunAsync(options),
            "cpu" => CpuBenchmark.RunAsync(options),
            "resnet18" => RunCommand.RunModelAsync(ResNet18Path, options, compareOrt: true),
            _ => throw new UsageException($"unknown benchmark '{name}'; available: interop, cpu, resnet18."),
        };
    }
}
