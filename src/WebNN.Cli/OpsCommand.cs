using WebGpu;
using WebNN.WebGpu;

namespace WebNN.Cli;

/// <summary>
/// <c>webnn ops</c>: every spec operation and the data types each backend runs it on, read from the
/// contexts' <see cref="MLContext.OpSupportLimits"/> (never written by hand). <c>--markdown</c> prints a
/// table for the README.
/// </summary>
internal static class OpsCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new CommandLine(args, [], ["--markdown"]);
        var contexts = new List<(string Name, MLContext Context)>
        {
            ("cpu", await ML.CreateContextAsync(new MLContextOptions { Accelerated = false })),
        };
        using var adapter = await GPU.RequestAdapterAsync();
        GPUDevice? device = adapter is null ? null : await adapter.RequestDeviceAsync();
        if (device is not null)
        {
            contexts.Add(("webgpu", await ML.CreateContextAsync(device)));
        }
        var operators = MLGraphBuilder.OperationNames;
        bool markdown = options.Has("--markdown");
        if (markdown)
        {
            Console.WriteLine("| operation | " + string.Join(" | ", contexts.Select(c => c.Name)) + " |");
            Console.WriteLine("| --- |" + string.Concat(contexts.Select(_ => " --- |")));
        }
        foreach (var op in operators)
        {
            var cells = contexts.Select(c => Describe(c.Context.OpSupportLimits()[op])).ToList();
            Console.WriteLine(markdown ? $"| {op} | {string.Join(" | ", cells)} |" : $"{op,-24} " + string.Join("  ", cells.Select((cell, i) => $"{contexts[i].Name}: {cell,-60}")));
        }
        var counts = contexts.Select(c => $"{c.Name} {operators.Count(op => c.Context.OpSupportLimits()[op] is not null)}/{operators.Count}");
        Console.WriteLine(markdown ? $"\nOperations supported: {string.Join(", ", counts)}." : $"supported: {string.Join(", ", counts)}");
        foreach (var (_, context) in contexts)
        {
            context.Dispose();
        }
        device?.Dispose();
        return 0;
    }

    /// <summary>The data types of the operation's first argument, or "—" when the backend lacks it.</summary>
    private static string Describe(IReadOnlyDictionary<string, MLTensorLimits>? limits) =>
        limits is null ? "—" : string.Join(", ", limits.Values.First().DataTypes.Select(t => t.SpecName()));
}
