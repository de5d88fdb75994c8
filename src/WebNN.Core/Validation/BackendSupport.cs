using WebNN.Graph;

namespace WebNN.Validation;

/// <summary>
/// Checks a graph against what the context's backend reports in <see cref="MLContext.OpSupportLimits"/>,
/// so that an operation without a kernel fails at build with its name, never with a wrong answer.
/// </summary>
internal static class BackendSupport
{
    /// <exception cref="NotSupportedException">An operator, argument, input, constant or output is outside the backend's limits.</exception>
    public static void Check(MLContext context, GraphDescription graph)
    {
        var limits = context.OpSupportLimits();
        string backend = $"the {context.BackendName} backend";
        foreach (var (name, input) in graph.Inputs)
        {
            CheckTensor("build", $"input '{name}'", input, limits.Input, backend);
        }
        foreach (var constant in graph.Constants)
        {
            CheckTensor("build", $"constant {constant}", constant, limits.Constant, backend);
        }
        foreach (var (name, output) in graph.Outputs)
        {
            CheckTensor("build", $"output '{name}'", output, limits.Output, backend);
        }
        foreach (var op in graph.Operators)
        {
            var opLimits = limits[op.Name]
                ?? throw Errors.NotSupported(op.DisplayName, $"{backend} does not support {op.Name} yet (see MLContext.OpSupportLimits()).");
            foreach (var (argument, operand) in op.Inputs)
            {
                if (opLimits.TryGetValue(argument, out var argumentLimits))
                {
                    CheckTensor(op.DisplayName, argument, operand, argumentLimits, backend);
                }
            }
            for (int i = 0; i < op.Outputs.Count; i++)
            {
                string argument = OutputArgument(opLimits, op.Outputs.Count, i);
                if (opLimits.TryGetValue(argument, out var outputLimits))
                {
                    CheckTensor(op.DisplayName, "output", op.Outputs[i], outputLimits, backend);
                }
            }
        }
    }

    private static string OutputArgument(IReadOnlyDictionary<string, MLTensorLimits> limits, int count, int index) =>
        count == 1 && limits.ContainsKey("output") ? "output"
        : limits.ContainsKey("outputs") ? "outputs"
        : $"outputs{index}";

    private static void CheckTensor(string where, string what, MLOperand operand, MLTensorLimits limits, string backend)
    {
        if (!limits.DataTypes.Contains(operand.DataType))
        {
            throw Errors.NotSupported(where, $"{backend} does not support {what} of data type {operand.DataType.SpecName()} (supported: {SpecTensorLimits.FormatTypes(limits.DataTypes)}).");
        }
        if (!limits.RankRange.Contains(operand.Rank))
        {
            throw Errors.NotSupported(where, $"{backend} does not support {what} of rank {operand.Rank} (supported: {limits.RankRange}).");
        }
    }
}
