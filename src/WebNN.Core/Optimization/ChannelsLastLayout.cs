using WebNN.Graph;

namespace WebNN.Optimization;

/// <summary>
/// Runs a graph's NCHW convolutions and poolings in NHWC for a backend whose preferred input layout is NHWC (spec:
/// <c>opSupportLimits().preferredInputLayout</c>), so that it does not transpose around every one of them: each
/// becomes transpose → NHWC operation → transpose back, then in one pass in topological order a transpose back to
/// NCHW is carried down through element-wise activations and through element-wise binary operations whose operands
/// are both carried, and cancels against the transpose to NHWC of the next convolution or pooling. It is made only
/// where something else reads the NCHW value (and for graph outputs). Results are exactly those of the NCHW graph.
/// </summary>
internal static class ChannelsLastLayout
{
    private static readonly int[] ToNhwc = [0, 2, 3, 1];
    private static readonly int[] ToNchw = [0, 3, 1, 2];

    private static readonly HashSet<string> Pools = ["averagePool2d", "l2Pool2d", "maxPool2d"];

    /// <summary>Element-wise binary operations carried when both operands are carried (and so have one shape).</summary>
    private static readonly HashSet<string> Binary = ["add", "sub", "mul", "div", "max", "min"];

    public static GraphDescription Apply(GraphDescription graph, MLInputOperandLayout preferredLayout)
    {
        if (preferredLayout != MLInputOperandLayout.Nhwc || !graph.Operators.Any(IsNchwConvolutionOrPooling))
        {
            return graph;
        }
        var rewrite = new Rewrite();
        foreach (var op in graph.Operators)
        {
            rewrite.Add(op);
        }
        foreach (var output in graph.Outputs.Values)
        {
            rewrite.Materialize(output);
        }
        return new GraphDescription(graph.Inputs, graph.Constants, rewrite.Operators, graph.Outputs);
    }

    private static bool IsNchwConvolutionOrPooling(MLOperator op) =>
        (op.Name == "conv2d" && op.AttributesAs<Conv2dAttributes>().InputLayout == MLInputOperandLayout.Nchw)
        || (Pools.Contains(op.Name) && op.AttributesAs<Pool2dAttributes>().Layout == MLInputOperandLayout.Nchw);

    /// <summary>The operators of the rewritten graph, made one original operator at a time.</summary>
    private sealed class Rewrite
    {
        /// <summary>NCHW operands computed in NHWC: each is the transpose to NCHW of its NHWC operand here.</summary>
        private readonly Dictionary<MLOperand, MLOperand> _carried = new(ReferenceEqualityComparer.Instance);

        /// <summary>The carried operands whose NCHW transpose has been made (their NHWC form stays carried).</summary>
        private readonly HashSet<MLOperand> _materialized = new(ReferenceEqualityComparer.Instance);

        /// <summary>The NHWC transposes made of NCHW operands, so that each is made once.</summary>
        private readonly Dictionary<MLOperand, MLOperand> _nhwc = new(ReferenceEqualityComparer.Instance);

        public List<MLOperator> Operators { get; } = [];

        public void Add(MLOperator op)
        {
            if (IsNchwConvolutionOrPooling(op))
            {
                var inputs = op.Inputs.Select(i => i.Argument == "input" ? i with { Operand = Nhwc(i.Operand) } : Input(i)).ToList();
                object attributes = op.Name == "conv2d"
                    ? op.AttributesAs<Conv2dAttributes>() with { InputLayout = MLInputOperandLayout.Nhwc }
                    : op.AttributesAs<Pool2dAttributes>() with { Layout = MLInputOperandLayout.Nhwc };
                Carry(op, inputs, attributes);
            }
            else if (Conv2dFusion.Activations.Contains(op.Name) && _carried.TryGetValue(op.Inputs[0].Operand, out var nhwcInput))
            {
                Carry(op, [op.Inputs[0] with { Operand = nhwcInput }, .. op.Inputs.Skip(1).Select(Input)], op.Attributes);
            }
            else if (Binary.Contains(op.Name) && _carried.TryGetValue(op.Inputs[0].Operand, out var a) && _carried.TryGetValue(op.Inputs[1].Operand, out var b)
                && a.Dimensions.AsSpan().SequenceEqual(b.Dimensions))
            {
                Carry(op, [op.Inputs[0] with { Operand = a }, op.Inputs[1] with { Operand = b }], op.Attributes);
            }
            else
            {
                foreach (var input in op.Inputs)
                {
                    Materialize(input.Operand);
                }
                Operators.Add(op);
            }
        }

        /// <summary>Makes the transpose to NCHW of a carried operand (once), for a reader that needs it in NCHW.</summary>
        public void Materialize(MLOperand operand)
        {
            if (_carried.TryGetValue(operand, out var nhwc) && _materialized.Add(operand))
            {
                Operators.Add(Transpose(nhwc, ToNchw, operand));
            }
        }

        /// <summary>An operator's input for an operator that reads it in NCHW: a carried operand is made first.</summary>
        private OperatorInput Input(OperatorInput input)
        {
            Materialize(input.Operand);
            return input;
        }

        /// <summary>The NHWC form of an NCHW operand: the operand a carried one comes from, or a transpose made once.</summary>
        private MLOperand Nhwc(MLOperand nchw)
        {
            if (_carried.TryGetValue(nchw, out var carried))
            {
                return carried;
            }
            if (!_nhwc.TryGetValue(nchw, out var nhwc))
            {
                nhwc = new MLOperand(nchw.Builder, nchw.DataType, Permute(nchw.Dimensions, ToNhwc));
                Operators.Add(Transpose(nchw, ToNhwc, nhwc));
                _nhwc[nchw] = nhwc;
            }
            return nhwc;
        }

        /// <summary>The operator on NHWC operands, its NCHW output carried as the transpose of a new NHWC output.</summary>
        private void Carry(MLOperator op, List<OperatorInput> inputs, object? attributes)
        {
            var nchw = op.Outputs[0];
            var nhwc = new MLOperand(nchw.Builder, nchw.DataType, Permute(nchw.Dimensions, ToNhwc));
            Operators.Add(new MLOperator(op.Name, op.Label, inputs, attributes) { Outputs = [nhwc] });
            _carried[nchw] = nhwc;
        }

        private static MLOperator Transpose(MLOperand input, int[] permutation, MLOperand output) =>
            new("transpose", "", [new OperatorInput("input", input)], new TransposeAttributes(permutation)) { Outputs = [output] };

        private static int[] Permute(int[] dimensions, int[] permutation) => [.. permutation.Select(axis => dimensions[axis])];
    }
}
