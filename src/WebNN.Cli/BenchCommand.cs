namespace WebNN.Cli;

/// <summary><c>webnn bench NAME</c>: the benchmarks (tables on stdout, JSON with --json).</summary>
internal static class BenchCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        string name = args.Length > 0 ? args[0] : "";
        var options = new CommandLine(args.Length > 0 ? args[1..] : [], ["--iterations", "--size", "--json", "--device", "--threads", "--case"], []);
        return name switch
        {
            "interop" => InteropBenchmark.RunAsync(options),
            "cpu" => CpuBenchmark.RunAsync(options),
            _ => throw new UsageException($"unknown benchmark '{name}'; available: interop, cpu."),
        };
    }
}
