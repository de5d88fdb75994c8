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
        // The README's table (--markdown) is the one CI checks, and CI has no CUDA device: cuda's column is printed without --markdown only.
        if (!options.Has("--markdown") && ML.EnumerateBackends().Any(b => b.Name == "cuda" && b.Available))
        {
            contexts.Add(("cuda", await ML.CreateContextAsync(new MLContextOptions { Backend = "cuda" })));
        }
        foreach (var line in Table(contexts, options.Has("--markdown")))
        {
            Console.WriteLine(line);
        }
        foreach (var (_, context) in contexts)
        {
            context.Dispose();
        }
        device?.Dispose();
        return 0;
    }

    /// <summary>The table's lines: one per spec operation with the data types each context runs it on, then the counts.</summary>
    public static IEnumerable<string> Table(IReadOnlyList<(string Name, MLContext Context)> contexts, bool markdown)
    {
        var operators = MLGraphBuilder.OperationNames;
        var limits = contexts.Select(c => c.Context.OpSupportLimits()).ToList();
        if (markdown)
        {
            yield return "| operation | " + string.Join(" | ", contexts.Select(c => c.Name)) + " |";
            yield return "| --- |" + string.Concat(contexts.Select(_ => " --- |"));
        }
        foreach (var op in operators)
        {
            var cells = limits.Select(l => Describe(l[op])).ToList();
            yield return markdown ? $"| {op} | {string.Join(" | ", cells)} |" : $"{op,-24} " + string.Join("  ", cells.Select((cell, i) => $"{contexts[i].Name}: {cell,-60}"));
        }
        var counts = contexts.Select((c, i) => $"{c.Name} {operators.Count(op => limits[i][op] is not null)}/{operators.Count}");
        yield return markdown ? $"\nOperations supported: {string.Join(", ", counts)}." : $"supported: {string.Join(", ", counts)}";
    }

    /// <summary>The data types of the operation's first argument, or "—" when the backend lacks it.</summary>
    private static string Describe(IReadOnlyDictionary<string, MLTensorLimits>? limits) =>
        limits is null ? "—" : string.Join(", ", limits.Values.First().DataTypes.Select(t => t.SpecName()));
}
