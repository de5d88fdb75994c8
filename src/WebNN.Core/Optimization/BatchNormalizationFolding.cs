using System.Runtime.InteropServices;
using WebNN.Graph;

namespace WebNN.Optimization;

/// <summary>
/// Folds a batchNormalization into the conv2d it normalizes, for every backend, when the normalization runs along
/// the convolution's output channels and every parameter is a float32 constant: with m = scale/sqrt(variance + ε),
/// the filter's output channel o is multiplied by m[o] and the bias becomes (bias − mean)·m + the normalization's
/// bias — what inference engines do with a trained network's statistics. Results differ from the unfused graph by
/// rounding only. The convolution's output must be read by the normalization alone and not be a graph output.
/// </summary>
internal static class BatchNormalizationFolding
{
    public static GraphDescription Apply(GraphDescription graph)
    {
        var readers = graph.CountReaders();
        var replaced = new Dictionary<MLOperator, MLOperator?>(ReferenceEqualityComparer.Instance);
        foreach (var normalization in graph.Operators)
        {
            if (normalization.Name != "batchNormalization"
                || normalization.Input("input")!.Operator is not { Name: "conv2d" } conv
                || readers.GetValueOrDefault(conv.Outputs[0]) != 1
                || Fold(conv, normalization) is not { } folded)
            {
                continue;
            }
            replaced[conv] = null;
            replaced[normalization] = folded;
        }
        if (replaced.Count == 0)
        {
            return graph;
        }
        var operators = graph.ReplaceOperators(replaced);
        // The folded filters and biases replace the originals; constants nothing reads any more are dropped.
        var constants = new List<MLOperand>();
        var seen = new HashSet<MLOperand>(ReferenceEqualityComparer.Instance);
        foreach (var op in operators)
        {
            foreach (var input in op.Inputs)
            {
                if (input.Operand.IsConstant && seen.Add(input.Operand))
                {
                    constants.Add(input.Operand);
                }
            }
        }
        return new GraphDescription(graph.Inputs, constants, operators, graph.Outputs);
    }

    /// <summary>The conv2d that computes conv followed by normalization, or null when the pair does not fold.</summary>
    private static MLOperator? Fold(MLOperator conv, MLOperator normalization)
    {
        var attributes = conv.AttributesAs<Conv2dAttributes>();
        var normalizationAttributes = normalization.AttributesAs<BatchNormalizationAttributes>();
        int channelAxis = attributes.InputLayout == MLInputOperandLayout.Nchw ? 1 : 3;
        var filter = conv.Input("filter")!;
        if (attributes.Activation is not null || normalizationAttributes.Axis != channelAxis
            || Floats(filter) is not { } filterValues
            || Floats(normalization.Input("mean")) is not { } mean
            || Floats(normalization.Input("variance")) is not { } variance)
        {
            return null;
        }
        float[]? convBias = null, scale = null, shift = null;
        if ((conv.Input("bias") is { } b && (convBias = Floats(b)) is null)
            || (normalization.Input("scale") is { } s && (scale = Floats(s)) is null)
            || (normalization.Input("bias") is { } nb && (shift = Floats(nb)) is null))
        {
            return null;
        }
        int channels = mean.Length;
        var multiplier = new double[channels];
        var bias = new float[channels];
        for (int o = 0; o < channels; o++)
        {
            multiplier[o] = (scale?[o] ?? 1.0) / Math.Sqrt(variance[o] + normalizationAttributes.Epsilon);
            bias[o] = (float)(((convBias?[o] ?? 0.0) - mean[o]) * multiplier[o] + (shift?[o] ?? 0.0));
        }
        // The output channel is the filter's first axis in oihw and ohwi, its last in hwio and ihwo.
        bool channelFirst = attributes.FilterLayout is MLConv2dFilterOperandLayout.Oihw or MLConv2dFilterOperandLayout.Ohwi;
        int perChannel = filterValues.Length / channels;
        var scaledFilter = new float[filterValues.Length];
        for (int i = 0; i < filterValues.Length; i++)
        {
            scaledFilter[i] = (float)(filterValues[i] * multiplier[channelFirst ? i / perChannel : i % channels]);
        }
        var inputs = new List<OperatorInput>();
        foreach (var input in conv.Inputs)
        {
            if (input.Argument is not "filter" and not "bias")
            {
                inputs.Add(input);
            }
        }
        inputs.Add(new OperatorInput("filter", Constant(filter, scaledFilter)));
        inputs.Add(new OperatorInput("bias", Constant(filter, bias, [channels])));
        return new MLOperator("conv2d", conv.Label, inputs, attributes) { Outputs = [normalization.Outputs[0]] };
    }

    /// <summary>A constant's values when it is float32 data given at build (not a tensor, whose contents may change).</summary>
    private static float[]? Floats(MLOperand? operand) =>
        operand is { DataType: MLOperandDataType.Float32, ConstantData: { } data } ? MemoryMarshal.Cast<byte, float>(data).ToArray() : null;

    private static MLOperand Constant(MLOperand like, float[] values, int[]? shape = null) =>
        new(like.Builder, MLOperandDataType.Float32, shape ?? like.Dimensions) { ConstantData = MemoryMarshal.AsBytes(values.AsSpan()).ToArray() };
}
