namespace WebNN.Validation;

/// <summary>
/// One row of a spec "Tensor limits" table: the data types and ranks an operator's argument may have
/// (allowed) and must be supported (required). A null <see cref="AllowedDataTypes"/> means "same as"
/// <see cref="SameTypeAs"/>; a non-null <see cref="SameRankAs"/> means "same rank as" that argument.
/// </summary>
internal sealed record SpecOperandLimits(
    string Argument,
    MLOperandDataType[]? AllowedDataTypes,
    string? SameTypeAs,
    int MinRank,
    int MaxRank,
    string? SameRankAs,
    MLOperandDataType[] RequiredDataTypes,
    int RequiredMinRank,
    int RequiredMaxRank);

internal static partial class SpecTensorLimits
{
    /// <summary>The spec's "any rank" (N).</summary>
    public const int AnyRank = int.MaxValue;

    /// <summary>The spec's "any data type".</summary>
    public static readonly MLOperandDataType[] AnyDataType = Enum.GetValues<MLOperandDataType>();

    /// <summary>The rows of <paramref name="operatorName"/>'s table.</summary>
    public static SpecOperandLimits[] Of(string operatorName) =>
        ByOperator.TryGetValue(operatorName, out var rows)
            ? rows
            : throw new InvalidOperationException($"The spec has no tensor limits for '{operatorName}'.");

    /// <summary>
    /// Checks each given operand against its row of the operator's table: data type (an explicit list,
    /// or the same as another argument) and rank (a range, or the same as another argument).
    /// </summary>
    /// <exception cref="ArgumentException">An operand breaks its row (spec: TypeError).</exception>
    public static void Validate(string displayName, string operatorName, IReadOnlyList<Graph.OperatorInput> inputs)
    {
        var rows = Of(operatorName);
        foreach (var (argument, operand) in inputs)
        {
            var row = Array.Find(rows, r => r.Argument == argument)
                ?? throw new InvalidOperationException($"{operatorName}: the spec's tensor limits have no row '{argument}'.");
            if (row.AllowedDataTypes is { } allowed)
            {
                if (Array.IndexOf(allowed, operand.DataType) < 0)
                {
                    throw Errors.Type(displayName, $"{argument}'s data type ({operand.DataType.SpecName()}) must be one of {FormatTypes(allowed)}.");
                }
            }
            else if (Find(inputs, row.SameTypeAs!) is { } other && other.DataType != operand.DataType)
            {
                throw Errors.Type(displayName, $"{argument}'s data type ({operand.DataType.SpecName()}) must be the same as {row.SameTypeAs}'s ({other.DataType.SpecName()}).");
            }
            if (row.SameRankAs is { } sameRankAs)
            {
                if (Find(inputs, sameRankAs) is { } other && other.Rank != operand.Rank)
                {
                    throw Errors.Type(displayName, $"{argument}'s rank ({operand.Rank}) must be the same as {sameRankAs}'s ({other.Rank}).");
                }
            }
            else if (operand.Rank < row.MinRank || operand.Rank > row.MaxRank)
            {
                throw Errors.Type(displayName, $"{argument}'s rank ({operand.Rank}) must be {FormatRanks(row.MinRank, row.MaxRank)}.");
            }
        }
    }

    /// <summary>
    /// Support limits of one operator for a backend: each argument's allowed types narrowed to
    /// <paramref name="dataTypes"/> (index-like arguments whose allowed types do not meet
    /// <paramref name="dataTypes"/> keep their own) and its allowed ranks capped at <paramref name="maxRank"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, MLTensorLimits> SupportLimits(string operatorName, IReadOnlyCollection<MLOperandDataType> dataTypes, int maxRank)
    {
        var rows = Of(operatorName);
        var result = new Dictionary<string, MLTensorLimits>();
        foreach (var row in rows)
        {
            var types = ResolveTypes(rows, row);
            var narrowed = types.Where(dataTypes.Contains).ToArray();
            var ranks = ResolveRanks(rows, row);
            result[row.Argument] = new MLTensorLimits(narrowed.Length > 0 ? narrowed : types, new MLRankRange(ranks.Min, Math.Min(ranks.Max, maxRank)));
        }
        return result;
    }

    /// <summary>The data types the spec allows <paramref name="row"/>'s argument: its own list, or that of the argument it follows.</summary>
    internal static MLOperandDataType[] ResolveTypes(SpecOperandLimits[] rows, SpecOperandLimits row) =>
        row.AllowedDataTypes ?? ResolveTypes(rows, Array.Find(rows, r => r.Argument == row.SameTypeAs)!);

    private static (int Min, int Max) ResolveRanks(SpecOperandLimits[] rows, SpecOperandLimits row) =>
        row.SameRankAs is null ? (row.MinRank, row.MaxRank) : ResolveRanks(rows, Array.Find(rows, r => r.Argument == row.SameRankAs)!);

    private static MLOperand? Find(IReadOnlyList<Graph.OperatorInput> inputs, string argument)
    {
        foreach (var input in inputs)
        {
            if (input.Argument == argument)
            {
                return input.Operand;
            }
        }
        return null;
    }

    internal static string FormatTypes(IEnumerable<MLOperandDataType> types) => string.Join(", ", types.Select(t => t.SpecName()));

    private static string FormatRanks(int min, int max) =>
        min == max ? $"{min}" : max == AnyRank ? $"at least {min}" : $"between {min} and {max}";
}
