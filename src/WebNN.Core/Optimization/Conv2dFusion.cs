using WebNN.Graph;

namespace WebNN.Optimization;

/// <summary>
/// Folds conv2d → add(per-channel bias) → activation chains into one conv2d, for every backend: the add
/// becomes conv2d's bias when conv2d has none and the added operand holds one value per output channel,
/// and an element-wise activation becomes the conv2d's fused activation. Only values read by nothing
/// else and not graph outputs are folded away, so results are those of the unfused graph.
/// </summary>
internal static class Conv2dFusion
{
    /// <summary>The activations a backend applies in a fused epilogue (element-wise, one operand).</summary>
    internal static readonly HashSet<string> Activations =
        ["relu", "clamp", "sigmoid", "tanh", "leakyRelu", "elu", "hardSigmoid", "hardSwish", "gelu", "softplus", "softsign", "linear"];

    public static GraphDescription Apply(GraphDescription graph)
    {
        var consumers = graph.CountReaders();
        var replaced = new Dictionary<MLOperator, MLOperator?>(ReferenceEqualityComparer.Instance);
        foreach (var conv in graph.Operators)
        {
            if (conv.Name != "conv2d" || replaced.ContainsKey(conv))
            {
                continue;
            }
            var attributes = conv.AttributesAs<Conv2dAttributes>();
            var inputs = conv.Inputs.ToList();
            var tail = conv.Outputs[0];
            var folded = new List<MLOperator>();
            if (conv.Input("bias") is null && SoleConsumer(graph, consumers, tail) is { Name: "add" } add && PerChannelOperand(add, tail, attributes.InputLayout) is { } bias)
            {
                inputs.Add(new OperatorInput("bias", bias));
                folded.Add(add);
                tail = add.Outputs[0];
            }
            AbsorbActivation(graph, consumers, ref attributes, folded, ref tail);
            if (folded.Count == 0)
            {
                continue;
            }
            Replace(replaced, conv, folded, new MLOperator("conv2d", conv.Label, inputs, attributes) { Outputs = [tail] });
        }
        return Rewritten(graph, replaced);
    }

    /// <summary>
    /// When the only reader of <paramref name="tail"/> is an activation a backend fuses, makes it the convolution's
    /// activation, adds it to <paramref name="absorbed"/> and moves <paramref name="tail"/> to its output.
    /// </summary>
    internal static void AbsorbActivation(GraphDescription graph, Dictionary<MLOperand, int> consumers, ref Conv2dAttributes attributes,
        List<MLOperator> absorbed, ref MLOperand tail)
    {
        if (SoleConsumer(graph, consumers, tail) is { } activation && Activations.Contains(activation.Name))
        {
            attributes = attributes with { Activation = new FusedActivation(activation.Name, activation.Attributes) };
            absorbed.Add(activation);
            tail = activation.Outputs[0];
        }
    }

    /// <summary>
    /// Records in <paramref name="replaced"/> that <paramref name="fused"/> stands for <paramref name="conv"/> and the
    /// operators after it that it absorbs: it takes the place of the last of them, after everything it reads; the
    /// others are dropped.
    /// </summary>
    internal static void Replace(Dictionary<MLOperator, MLOperator?> replaced, MLOperator conv, List<MLOperator> absorbed, MLOperator fused)
    {
        replaced[conv] = null;
        for (int i = 0; i < absorbed.Count - 1; i++)
        {
            replaced[absorbed[i]] = null;
        }
        replaced[absorbed[^1]] = fused;
    }

    /// <summary>The graph with <paramref name="replaced"/>'s replacements made (itself when there are none).</summary>
    internal static GraphDescription Rewritten(GraphDescription graph, Dictionary<MLOperator, MLOperator?> replaced) =>
        replaced.Count == 0 ? graph : new GraphDescription(graph.Inputs, graph.Constants, graph.ReplaceOperators(replaced), graph.Outputs);

    /// <summary>The one operator that reads <paramref name="operand"/>, when exactly one does and it is not a graph output.</summary>
    internal static MLOperator? SoleConsumer(GraphDescription graph, Dictionary<MLOperand, int> consumers, MLOperand operand)
    {
        if (consumers.GetValueOrDefault(operand) != 1)
        {
            return null;
        }
        foreach (var op in graph.Operators)
        {
            if (op.Inputs.Any(i => ReferenceEquals(i.Operand, operand)))
            {
                return op;
            }
        }
        return null;
    }

    /// <summary>
    /// The add's other operand when it holds one value per channel of <paramref name="convOutput"/>
    /// (so that its elements, in order, are a bias vector) and broadcasting keeps the output's shape.
    /// </summary>
    private static MLOperand? PerChannelOperand(MLOperator add, MLOperand convOutput, MLInputOperandLayout layout)
    {
        var other = ReferenceEquals(add.Inputs[0].Operand, convOutput) ? add.Inputs[1].Operand : add.Inputs[0].Operand;
        if (ReferenceEquals(other, convOutput) || other.DataType != convOutput.DataType || !add.Outputs[0].Dimensions.AsSpan().SequenceEqual(convOutput.Dimensions))
        {
            return null;
        }
        int channelAxis = layout == MLInputOperandLayout.Nchw ? 1 : 3;
        int channels = convOutput.Dimensions[channelAxis];
        var shape = other.Dimensions;
        for (int i = 0; i < shape.Length; i++)
        {
            int axis = 4 - shape.Length + i;
            int expected = axis == channelAxis ? channels : 1;
            if (shape[i] != expected)
            {
                return null;
            }
        }
        // The channel axis must be one of the operand's own axes (a scalar would add one value to every channel).
        return shape.Length >= 4 - channelAxis || channels == 1 ? other : null;
    }
}
