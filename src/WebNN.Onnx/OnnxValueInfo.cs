namespace WebNN.Onnx;

/// <summary>One dimension of an ONNX shape: a fixed size, a named free dimension (<c>dim_param</c>), or unknown.</summary>
public readonly record struct OnnxDimension(long? Value, string? Parameter)
{
    /// <summary>The size, the free dimension's name, or "?".</summary>
    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Parameter ?? "?";
}

/// <summary>A graph input or output as the model declares it: its name, ONNX element type and shape (null when the model gives no shape).</summary>
public sealed record OnnxValueInfo(string Name, TensorProto.Types.DataType ElementType, IReadOnlyList<OnnxDimension>? Shape)
{
    /// <summary>"name: float[N,3,224,224]".</summary>
    public override string ToString() =>
        $"{Name}: {ElementType.ToString().ToLowerInvariant()}{(Shape is null ? "[?]" : $"[{string.Join(",", Shape)}]")}";
}
