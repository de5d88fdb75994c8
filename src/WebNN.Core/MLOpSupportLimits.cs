namespace WebNN;

/// <summary>A range of ranks, inclusive (spec: <c>MLRankRange</c>).</summary>
public readonly record struct MLRankRange(int Min, int Max)
{
    /// <summary>True when <paramref name="rank"/> lies in the range.</summary>
    public bool Contains(int rank) => rank >= Min && rank <= Max;

    /// <inheritdoc/>
    public override string ToString() => Min == Max ? $"{Min}" : $"{Min} to {Max}";
}

/// <summary>The data types and ranks an operand may have (spec: <c>MLTensorLimits</c>).</summary>
public sealed record MLTensorLimits(IReadOnlyList<MLOperandDataType> DataTypes, MLRankRange RankRange)
{
    /// <summary>True when an operand of <paramref name="dataType"/> and <paramref name="rank"/> is within the limits.</summary>
    public bool Allows(MLOperandDataType dataType, int rank) => DataTypes.Contains(dataType) && RankRange.Contains(rank);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{string.Join(", ", DataTypes.Select(t => t.SpecName()))}; rank {RankRange}";
}

/// <summary>
/// What a context's backend supports (spec: <c>MLOpSupportLimits</c>). The spec gives each operator a
/// dictionary member named after it whose members are the operator's arguments; here that is
/// <see cref="Operators"/>: operator name (the spec's, e.g. "conv2d") → argument name (e.g. "input",
/// "filter", "bias", "output") → limits. An operator the backend cannot run is absent.
/// </summary>
public sealed class MLOpSupportLimits
{
    /// <summary>The layout that layout-dependent operators (conv2d, pooling, ...) run fastest in.</summary>
    public required MLInputOperandLayout PreferredInputLayout { get; init; }

    /// <summary>The largest tensor, in bytes.</summary>
    public required long MaxTensorByteLength { get; init; }

    /// <summary>Limits of graph inputs.</summary>
    public required MLTensorLimits Input { get; init; }

    /// <summary>Limits of graph constants.</summary>
    public required MLTensorLimits Constant { get; init; }

    /// <summary>Limits of graph outputs.</summary>
    public required MLTensorLimits Output { get; init; }

    /// <summary>Per operator (spec name), per argument (spec name), the supported data types and ranks.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, MLTensorLimits>> Operators { get; init; }

    /// <summary>The limits of <paramref name="operatorName"/>, or null when the backend does not support it.</summary>
    public IReadOnlyDictionary<string, MLTensorLimits>? this[string operatorName] =>
        Operators.TryGetValue(operatorName, out var limits) ? limits : null;
}
