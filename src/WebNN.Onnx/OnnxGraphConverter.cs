namespace WebNN.Onnx;

/// <summary>
/// Walks an ONNX graph's nodes in order and builds each onto an <see cref="MLGraphBuilder"/>. Every ONNX value is
/// either a <see cref="ConstantTensor"/> (known now, so shape arithmetic folds away) or an <see cref="MLOperand"/>;
/// a constant becomes a WebNN constant the first time an operation needs it as an operand.
/// </summary>
internal sealed class OnnxGraphConverter(MLGraphBuilder builder, long opsetVersion)
{
    private readonly Dictionary<string, ConstantTensor> _constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MLOperand> _operands = new(StringComparer.Ordinal);
    private readonly HashSet<MLOperand> _inputs = [];

    public MLGraphBuilder Builder => builder;

    public long OpsetVersion => opsetVersion;

    public void AddInitializer(TensorProto initializer) =>
        _constants[initializer.Name] = ConstantTensor.FromProto(initializer, "", "");

    public void AddInput(string name, MLOperandDescriptor descriptor)
    {
        var operand = builder.Input(name, descriptor);
        _operands[name] = operand;
        _inputs.Add(operand);
    }

    /// <summary>Builds one node; every output it declares must then be defined.</summary>
    public void Convert(NodeProto node)
    {
        var onnxNode = new OnnxNode(this, node);
        try
        {
            OnnxOperators.Convert(onnxNode);
        }
        catch (ArgumentException e)
        {
            // The builder's validation: the node's inputs do not meet WebNN's rules for the operation.
            throw onnxNode.Unsupported($"WebNN rejects it: {e.Message}");
        }
        for (int i = 0; i < node.Output.Count; i++)
        {
            if (node.Output[i].Length > 0 && !IsDefined(node.Output[i]))
            {
                throw onnxNode.Unsupported($"output {i} ('{node.Output[i]}') is not supported; only {onnxNode.DefinedOutputs} of its outputs are.");
            }
        }
    }

    /// <summary>The graph outputs by name; one that is an input or a constant gets an identity, since WebNN outputs must be computed.</summary>
    public Dictionary<string, MLOperand> Outputs(IEnumerable<string> names)
    {
        var outputs = new Dictionary<string, MLOperand>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            bool computed = _operands.TryGetValue(name, out var operand) && !_inputs.Contains(operand);
            operand = Operand(name, "graph output");
            outputs[name] = computed ? operand : builder.Identity(operand);
        }
        return outputs;
    }

    public bool IsDefined(string name) => _constants.ContainsKey(name) || _operands.ContainsKey(name);

    public ConstantTensor? ConstantOrNull(string name) => _constants.GetValueOrDefault(name);

    /// <summary>The value as an operand: an input, an operation's result, or a constant declared on first use.</summary>
    public MLOperand Operand(string name, string user)
    {
        if (_operands.TryGetValue(name, out var operand))
        {
            return operand;
        }
        if (_constants.TryGetValue(name, out var constant))
        {
            operand = builder.Constant(constant.Descriptor, constant.Bytes.AsSpan());
            _operands[name] = operand;
            return operand;
        }
        throw new OnnxFormatException($"{user} uses value '{name}' before any node produces it (the graph is not in topological order, or the value does not exist).");
    }

    public void Define(string name, MLOperand operand) => _operands[name] = operand;

    public void Define(string name, ConstantTensor constant) => _constants[name] = constant;
}
