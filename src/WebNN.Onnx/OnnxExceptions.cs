namespace WebNN.Onnx;

/// <summary>The bytes are not a well-formed ONNX model: truncated, not protobuf, or inconsistent (a tensor whose data does not fit its shape, a value used before it is produced).</summary>
public sealed class OnnxFormatException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>
/// The model is well formed but uses something the importer does not map onto WebNN: an operator, an attribute value,
/// a data type, or a dynamic value where a constant is needed. The message names the node, its operator and what is missing:
/// "Node 'conv1' (Conv): auto_pad 'FOO' is not one of ...".
/// </summary>
public sealed class OnnxUnsupportedException(string nodeName, string operatorType, string problem)
    : NotSupportedException(operatorType.Length == 0 ? problem : $"Node '{nodeName}' ({operatorType}): {problem}")
{
    /// <summary>The node's name, or its first output's name when the node has none; empty when no node is at fault.</summary>
    public string NodeName { get; } = nodeName;

    /// <summary>The node's <c>op_type</c>; empty when no node is at fault.</summary>
    public string OperatorType { get; } = operatorType;
}
