namespace WebNN;

/// <summary>Options every operation takes (spec: <c>MLOperatorOptions</c>).</summary>
public class MLOperatorOptions
{
    /// <summary>A name for the operation, shown in error messages (spec: <c>label</c>).</summary>
    public string Label { get; init; } = "";
}
