using WebNN.Graph;

namespace WebNN.Optimization;

/// <summary>
/// For a backend that adds a summand in its conv2d (<see cref="Backends.IBackendContext.FusesConv2dSummand"/>): a
/// conv2d with no fused activation whose only reader is an add of a tensor of the output's own shape and type (a
/// residual connection), and the activation that reads that sum alone, become one conv2d with the input "summand":
/// activation(conv2d + bias + summand). Runs after the layout pass, so that the residual and the convolution share a
/// layout. Results are those of the separate operations, up to the order of one addition.
/// </summary>
internal static class Conv2dSummandFusion
{
    public static GraphDescription Apply(GraphDescription graph, bool supported)
    {
        if (!supported)
        {
            return graph;
        }
        var consumers = graph.CountReaders();
        var replaced = new Dictionary<MLOperator, MLOperator?>(ReferenceEqualityComparer.Instance);
        foreach (var conv in graph.Operators)
        {
            if (conv.Name != "conv2d" || replaced.ContainsKey(conv) || conv.Input("summand") is not null)
            {
                continue;
            }
            var attributes = conv.AttributesAs<Conv2dAttributes>();
            var output = conv.Outputs[0];
            if (attributes.Activation is not null
                || Conv2dFusion.SoleConsumer(graph, consumers, output) is not { Name: "add" } add
                || replaced.ContainsKey(add)
                || Summand(add, output) is not { } summand)
            {
                continue;
            }
            var inputs = conv.Inputs.ToList();
            inputs.Add(new OperatorInput("summand", summand));
            var folded = new List<MLOperator> { add };
            var tail = add.Outputs[0];
            Conv2dFusion.AbsorbActivation(graph, consumers, ref attributes, folded, ref tail);
            Conv2dFusion.Replace(replaced, conv, folded, new MLOperator("conv2d", conv.Label, inputs, attributes) { Outputs = [tail] });
        }
        return Conv2dFusion.Rewritten(graph, replaced);
    }

    /// <summary>The add's other operand when it has the convolution output's shape and type (nothing broadcast).</summary>
    private static MLOperand? Summand(MLOperator add, MLOperand convOutput)
    {
        var other = ReferenceEquals(add.Inputs[0].Operand, convOutput) ? add.Inputs[1].Operand : add.Inputs[0].Operand;
        return !ReferenceEquals(other, convOutput) && other.DataType == convOutput.DataType
            && other.Dimensions.AsSpan().SequenceEqual(convOutput.Dimensions)
            ? other
            : null;
    }
}
