namespace WebNN.Onnx;

/// <summary>One ONNX node while it is being built: typed access to its inputs and attributes, and where its outputs go.</summary>
internal sealed class OnnxNode(OnnxGraphConverter converter, NodeProto node)
{
    /// <summary>The node's name, or its first output's when it has none.</summary>
    public string Name => node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault() ?? "";

    public string OpType => node.OpType;

    public long OpsetVersion => converter.OpsetVersion;

    public MLGraphBuilder Builder => converter.Builder;

    /// <summary>The options every WebNN operation takes: labelled with the node's name, so WebNN's errors point back to it.</summary>
    public MLOperatorOptions Options => new() { Label = Name };

    public int DefinedOutputs { get; private set; }

    public OnnxUnsupportedException Unsupported(string problem) => new(Name, OpType, problem);

    /// <summary>The node contradicts the ONNX specification or its own inputs.</summary>
    public OnnxFormatException Malformed(string problem) => new($"Node '{Name}' ({OpType}): {problem}");

    /// <summary>Whether input <paramref name="index"/> is given (ONNX leaves optional inputs out or names them "").</summary>
    public bool HasInput(int index) => index < node.Input.Count && node.Input[index].Length > 0;

    public int InputCount => node.Input.Count;

    public int OutputCount => node.Output.Count;

    /// <summary>Whether output <paramref name="index"/> is wanted (ONNX leaves optional outputs out or names them "").</summary>
    public bool HasOutput(int index) => index < node.Output.Count && node.Output[index].Length > 0;

    public MLOperand Input(int index) => converter.Operand(Required(index), $"Node '{Name}' ({OpType})");

    /// <summary>Input <paramref name="index"/>'s values when they are known while building, else null.</summary>
    public ConstantTensor? ConstantInput(int index) => HasInput(index) ? converter.ConstantOrNull(node.Input[index]) : null;

    /// <summary>Input <paramref name="index"/>'s values, which the mapping needs while building (a shape, the pads, the axes).</summary>
    public ConstantTensor RequiredConstant(int index, string role) =>
        ConstantInput(index) ?? throw Unsupported($"input {index} ({role}) must be a constant or computable from constants and shapes; it is computed at run time.");

    public int[] InputShape(int index) => ConstantInput(index)?.Shape ?? Input(index).Shape;

    public void Output(MLOperand operand, int index = 0) => Define(index, () => converter.Define(node.Output[index], operand));

    public void Output(ConstantTensor constant, int index = 0) => Define(index, () => converter.Define(node.Output[index], constant));

    public bool HasAttribute(string name) => Find(name) is not null;

    public long Int(string name, long defaultValue) => Find(name) is { } a ? Expect(a, AttributeProto.Types.AttributeType.Int).I : defaultValue;

    public float Float(string name, float defaultValue) => Find(name) is { } a ? Expect(a, AttributeProto.Types.AttributeType.Float).F : defaultValue;

    public string String(string name, string defaultValue) => Find(name) is { } a ? Expect(a, AttributeProto.Types.AttributeType.String).S.ToStringUtf8() : defaultValue;

    public long[]? Ints(string name) => Find(name) is { } a ? [.. Expect(a, AttributeProto.Types.AttributeType.Ints).Ints] : null;

    public string[]? Strings(string name) => Find(name) is { } a ? [.. Expect(a, AttributeProto.Types.AttributeType.Strings).Strings.Select(s => s.ToStringUtf8())] : null;

    public float[]? Floats(string name) => Find(name) is { } a ? [.. Expect(a, AttributeProto.Types.AttributeType.Floats).Floats] : null;

    public TensorProto? Tensor(string name) => Find(name) is { } a ? Expect(a, AttributeProto.Types.AttributeType.Tensor).T : null;

    public GraphProto? Graph(string name) => Find(name) is { } a ? Expect(a, AttributeProto.Types.AttributeType.Graph).G : null;

    /// <summary>
    /// Builds <paramref name="graph"/>'s initializers and nodes into the graph being built (a subgraph reads the values
    /// of the graphs around it by name) and makes its outputs this node's, in order.
    /// </summary>
    public void OutputSubgraph(GraphProto graph)
    {
        if (graph.Output.Count != node.Output.Count)
        {
            throw Malformed($"its subgraph '{graph.Name}' has {graph.Output.Count} output(s); the node declares {node.Output.Count}.");
        }
        foreach (var initializer in graph.Initializer)
        {
            converter.AddInitializer(initializer);
        }
        foreach (var inner in graph.Node)
        {
            converter.Convert(inner);
        }
        for (int i = 0; i < graph.Output.Count; i++)
        {
            if (converter.ConstantOrNull(graph.Output[i].Name) is { } constant) Output(constant, i);
            else Output(converter.Operand(graph.Output[i].Name, $"Node '{Name}' ({OpType})"), i);
        }
    }

    /// <summary>An axis attribute or value in [-rank, rank) as a non-negative axis.</summary>
    public int Axis(long axis, int rank, string what)
    {
        if (axis < -rank || axis >= rank)
        {
            throw Malformed($"{what} ({axis}) is outside [{-rank}, {rank}) for an input of rank {rank}.");
        }
        return (int)(axis < 0 ? axis + rank : axis);
    }

    private string Required(int index) =>
        HasInput(index) ? node.Input[index] : throw Malformed($"input {index} is required but not given.");

    private void Define(int index, Action define)
    {
        if (index >= node.Output.Count)
        {
            throw Malformed($"it declares {node.Output.Count} output(s), fewer than the operator produces.");
        }
        define();
        DefinedOutputs = Math.Max(DefinedOutputs, index + 1);
    }

    private AttributeProto? Find(string name)
    {
        foreach (var attribute in node.Attribute)
        {
            if (attribute.Name == name)
            {
                return attribute;
            }
        }
        return null;
    }

    private AttributeProto Expect(AttributeProto attribute, AttributeProto.Types.AttributeType type)
    {
        // Files from old exporters may leave type unset; the value field then tells.
        if (attribute.HasType && attribute.Type != type)
        {
            throw Malformed($"attribute '{attribute.Name}' is {attribute.Type}; the operator expects {type}.");
        }
        return attribute;
    }
}
