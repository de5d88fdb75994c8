using WebNN.Cuda.Kernels;
using WebNN.Graph;
using WebNN.Validation;
using static WebNN.Cuda.Kernels.ElementwiseKernels;

namespace WebNN.Cuda;

/// <summary>An operator the backend runs: the data types it runs on, and how it becomes steps of a graph.</summary>
internal sealed record CudaOperator(MLOperandDataType[] DataTypes, Action<MLOperator, CudaGraph.CudaGraphBuilder> Lower);

/// <summary>
/// The operators the CUDA backend runs and how each becomes steps: conv2d and convTranspose2d through cuDNN, matmul and gemm through
/// cuBLAS, softmax through cuDNN, recurrent networks as products and gate kernels, and element-wise, data-movement, indexing, quantization and axis operators as generated kernels.
/// <see cref="Limits"/> reports exactly these, on exactly these types.
/// </summary>
internal static class CudaOperators
{
    public const int MaxRank = 8;

    /// <summary>The types of float operators: float32, and float16 stored as such and computed in float32 (as the CPU backend computes it).</summary>
    private static readonly MLOperandDataType[] Floats = [MLOperandDataType.Float32, MLOperandDataType.Float16];

    /// <summary>The types of the operators whose kernels only compare, select or move elements: all of them (the spec narrows each argument further).</summary>
    private static readonly MLOperandDataType[] AllTypes = [.. MLOperandDataTypes.All];

    /// <summary>The types of the recurrent networks, whose products and gate kernels run in float32 only.</summary>
    private static readonly MLOperandDataType[] Float32 = [MLOperandDataType.Float32];

    /// <summary>quantizeLinear's and dequantizeLinear's: the float side and the quantized integer side.</summary>
    private static readonly MLOperandDataType[] QuantizationTypes =
        [MLOperandDataType.Float32, MLOperandDataType.Float16, MLOperandDataType.Uint8, MLOperandDataType.Int8, MLOperandDataType.Uint32, MLOperandDataType.Int32];

    /// <summary>Comparisons, logical operators and where: the condition of x0, x1, ... that makes the uint8 output 1 (where selects instead).</summary>
    private static readonly Dictionary<string, string> Logical = new(StringComparer.Ordinal)
    {
        ["equal"] = "x0 == x1",
        ["notEqual"] = "x0 != x1",
        ["greater"] = "x0 > x1",
        ["greaterOrEqual"] = "x0 >= x1",
        ["lesser"] = "x0 < x1",
        ["lesserOrEqual"] = "x0 <= x1",
        ["logicalNot"] = "x0 == 0",
        ["logicalAnd"] = "x0 != 0 && x1 != 0",
        ["logicalOr"] = "x0 != 0 || x1 != 0",
        ["logicalXor"] = "(x0 != 0) != (x1 != 0)",
        ["isNaN"] = "x0 != x0",
        ["isInfinite"] = $"fabsf(x0) == {FloatLiteral(double.PositiveInfinity)}",
    };

    /// <summary>Float unary operators and activations: the expression of <c>v</c> (and of alpha and beta, the operator's attributes).</summary>
    private static readonly Dictionary<string, Func<string, string, string>> FloatUnary = new(StringComparer.Ordinal)
    {
        ["abs"] = (_, _) => "fabsf(v)",
        ["ceil"] = (_, _) => "ceilf(v)",
        ["cos"] = (_, _) => "cosf(v)",
        ["erf"] = (_, _) => "erff(v)",
        ["exp"] = (_, _) => "expf(v)",
        ["floor"] = (_, _) => "floorf(v)",
        ["identity"] = (_, _) => "v",
        ["log"] = (_, _) => "logf(v)",
        ["neg"] = (_, _) => "-v",
        ["reciprocal"] = (_, _) => "1.0f / v",
        ["roundEven"] = (_, _) => "rintf(v)",
        ["sign"] = (_, _) => "(v > 0.0f ? 1.0f : v < 0.0f ? -1.0f : v)",
        ["sin"] = (_, _) => "sinf(v)",
        ["sqrt"] = (_, _) => "sqrtf(v)",
        ["tan"] = (_, _) => "tanf(v)",
        ["relu"] = (_, _) => "fmaxf(v, 0.0f)",
        ["sigmoid"] = (_, _) => "1.0f / (1.0f + expf(-v))",
        ["tanh"] = (_, _) => "tanhf(v)",
        ["softsign"] = (_, _) => "v / (1.0f + fabsf(v))",
        ["softplus"] = (_, _) => "fmaxf(v, 0.0f) + log1pf(expf(-fabsf(v)))",
        ["hardSwish"] = (_, _) => "v * fminf(fmaxf(v + 3.0f, 0.0f), 6.0f) / 6.0f",
        ["gelu"] = (_, _) => "0.5f * v * (1.0f + erff(v * 0.70710678118654752f))",
        ["elu"] = (alpha, _) => $"(v >= 0.0f ? v : {alpha} * expm1f(v))",
        ["hardSigmoid"] = (alpha, beta) => $"fminf(fmaxf({alpha} * v + {beta}, 0.0f), 1.0f)",
        ["leakyRelu"] = (alpha, _) => $"(v >= 0.0f ? v : {alpha} * v)",
        ["linear"] = (alpha, beta) => $"{alpha} * v + {beta}",
        ["clamp"] = (alpha, beta) => $"fminf(fmaxf(v, {alpha}), {beta})",
    };

    /// <summary>Float binary operators (with broadcasting): the expression of <c>x0</c> and <c>x1</c>.</summary>
    private static readonly Dictionary<string, string> FloatBinary = new(StringComparer.Ordinal)
    {
        ["add"] = "x0 + x1",
        ["sub"] = "x0 - x1",
        ["mul"] = "x0 * x1",
        ["div"] = "x0 / x1",
        ["max"] = "fmaxf(x0, x1)",
        ["min"] = "fminf(x0, x1)",
        ["pow"] = "powf(x0, x1)",
        ["prelu"] = "x0 >= 0.0f ? x0 : x1 * x0",
    };

    private static readonly Dictionary<string, CudaOperator> Registry = new(
        [
            .. FloatUnary.Keys.Select(name => KeyValuePair.Create(name, new CudaOperator(Floats, Unary))),
            .. FloatBinary.Keys.Select(name => KeyValuePair.Create(name, new CudaOperator(Floats, Binary))),
            .. Logical.Keys.Select(name => KeyValuePair.Create(name, new CudaOperator(AllTypes, (op, b) => Broadcast(op, b, $"y = ({Logical[op.Name]}) ? 1 : 0;")))),
            new("where", new CudaOperator(AllTypes, (op, b) => Broadcast(op, b, "y = x0 != 0 ? x1 : x2;"))),
            new("conv2d", new CudaOperator(Floats, CudnnConvolution.Lower)),
            new("convTranspose2d", new CudaOperator(Floats, CudnnConvolution.LowerTranspose)),
            new("matmul", new CudaOperator(Floats, CublasGemm.LowerMatmul)),
            new("gemm", new CudaOperator(Floats, CublasGemm.LowerGemm)),
            new("softmax", new CudaOperator(Floats, CudnnSoftmax.Lower)),
            new("gru", new CudaOperator(Float32, RecurrentKernels.LowerGru)),
            new("gruCell", new CudaOperator(Float32, RecurrentKernels.LowerGru)),
            new("lstm", new CudaOperator(Float32, RecurrentKernels.LowerLstm)),
            new("lstmCell", new CudaOperator(Float32, RecurrentKernels.LowerLstm)),
            new("reshape", new CudaOperator(AllTypes, (op, b) => b.Step(new CopyStep(b.Value(op.Inputs[0].Operand), b.Value(op.Outputs[0]))))),
            new("transpose", new CudaOperator(AllTypes, Transpose)),
            new("expand", new CudaOperator(AllTypes, Expand)),
            new("slice", new CudaOperator(AllTypes, Slice)),
            new("reverse", new CudaOperator(AllTypes, Reverse)),
            new("concat", new CudaOperator(AllTypes, Concat)),
            new("split", new CudaOperator(AllTypes, Split)),
            new("cast", new CudaOperator(AllTypes, Cast)),
            new("pad", new CudaOperator(AllTypes, IndexedKernels.LowerPad)),
            new("tile", new CudaOperator(AllTypes, IndexedKernels.LowerTile)),
            new("triangular", new CudaOperator(AllTypes, IndexedKernels.LowerTriangular)),
            new("gather", new CudaOperator(AllTypes, IndexedKernels.LowerGather)),
            new("gatherElements", new CudaOperator(AllTypes, IndexedKernels.LowerGatherElements)),
            new("gatherND", new CudaOperator(AllTypes, IndexedKernels.LowerGatherND)),
            new("scatterElements", new CudaOperator(AllTypes, IndexedKernels.LowerScatterElements)),
            new("scatterND", new CudaOperator(AllTypes, IndexedKernels.LowerScatterND)),
            new("resample2d", new CudaOperator([MLOperandDataType.Float32, MLOperandDataType.Float16, MLOperandDataType.Uint8, MLOperandDataType.Int8], IndexedKernels.LowerResample2d)),
            new("quantizeLinear", new CudaOperator(QuantizationTypes, IndexedKernels.LowerQuantization)),
            new("dequantizeLinear", new CudaOperator(QuantizationTypes, IndexedKernels.LowerQuantization)),
            new("argMin", new CudaOperator(AllTypes, AxisKernels.LowerArgMinMax)),
            new("argMax", new CudaOperator(AllTypes, AxisKernels.LowerArgMinMax)),
            new("cumulativeSum", new CudaOperator(AllTypes, AxisKernels.LowerCumulativeSum)),
            .. WindowKernels.ReductionNames.Select(name => KeyValuePair.Create(name, new CudaOperator(Floats, WindowKernels.LowerReduction))),
            .. new[] { "averagePool2d", "maxPool2d", "l2Pool2d" }.Select(name => KeyValuePair.Create(name, new CudaOperator(Floats, WindowKernels.LowerPool2d))),
            new("batchNormalization", new CudaOperator(Floats, BatchNormalization)),
            new("layerNormalization", new CudaOperator(Floats, LayerNormalization)),
            new("instanceNormalization", new CudaOperator(Floats, InstanceNormalization)),
        ],
        StringComparer.Ordinal);

    /// <summary>What the backend supports: exactly the operators above, on the types they run.</summary>
    public static MLOpSupportLimits Limits(CudaDevice device)
    {
        var tensors = new MLTensorLimits(AllTypes, new MLRankRange(0, MaxRank));
        return new MLOpSupportLimits
        {
            // cuDNN's fastest float convolutions read channels-last tensors.
            PreferredInputLayout = MLInputOperandLayout.Nhwc,
            MaxTensorByteLength = (long)Math.Min(device.TotalMemory / 2, long.MaxValue),
            Input = tensors,
            Constant = tensors,
            Output = tensors,
            Operators = Registry.ToDictionary(entry => entry.Key, entry => SpecTensorLimits.SupportLimits(entry.Key, entry.Value.DataTypes, MaxRank)),
        };
    }

    public static void Lower(MLOperator op, CudaGraph.CudaGraphBuilder builder)
    {
        if (!Registry.TryGetValue(op.Name, out var entry))
        {
            throw new NotSupportedException($"{op.DisplayName}: the cuda backend has no kernel for {op.Name}.");
        }
        entry.Lower(op, builder);
    }

    /// <summary>The expression of an activation of <c>v</c>, its attributes written in as constants (for unary operators and fused epilogues).</summary>
    public static string ActivationExpression(string name, object? attributes)
    {
        var (alpha, beta) = attributes switch
        {
            ActivationAttributes a => (a.Alpha, a.Beta),
            ClampAttributes c => (c.MinValue, c.MaxValue),
            _ => (0.0, 0.0),
        };
        return FloatUnary[name](FloatLiteral(alpha), FloatLiteral(beta));
    }

    private static void Unary(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var output = b.Value(op.Outputs[0]);
        Add(b, output.Shape, StridedAccess.Contiguous(output), [StridedAccess.Contiguous(b.Value(op.Inputs[0].Operand))],
            $"const float v = x0;\ny = {ActivationExpression(op.Name, op.Attributes)};");
    }

    private static void Binary(MLOperator op, CudaGraph.CudaGraphBuilder b) => Broadcast(op, b, $"y = {FloatBinary[op.Name]};");

    /// <summary>A kernel computing <paramref name="body"/> from every input of <paramref name="op"/>, each broadcast to the output's shape.</summary>
    private static void Broadcast(MLOperator op, CudaGraph.CudaGraphBuilder b, string body)
    {
        var output = b.Value(op.Outputs[0]);
        Add(b, output.Shape, StridedAccess.Contiguous(output), [.. op.Inputs.Select(input => StridedAccess.Broadcast(b.Value(input.Operand), output.Shape))], body);
    }

    /// <summary>(x − mean) / √(variance + ε) · scale + bias, the four per index along the axis.</summary>
    private static void BatchNormalization(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var attributes = op.AttributesAs<BatchNormalizationAttributes>();
        var output = b.Value(op.Outputs[0]);
        var inputs = new List<StridedAccess> { StridedAccess.Contiguous(b.Value(op.Input("input")!)) };
        string value = $"(x0 - x1) / sqrtf(x2 + {FloatLiteral(attributes.Epsilon)})";
        foreach (string argument in new[] { "mean", "variance", "scale", "bias" })
        {
            if (op.Input(argument) is { } operand)
            {
                inputs.Add(StridedAccess.AlongAxis(b.Value(operand), output.Shape, attributes.Axis));
                value = argument switch { "scale" => $"{value} * x{inputs.Count - 1}", "bias" => $"{value} + x{inputs.Count - 1}", _ => value };
            }
        }
        Add(b, output.Shape, StridedAccess.Contiguous(output), [.. inputs], $"y = {value};");
    }

    /// <summary>Normalization over the axes; scale and bias hold one value per position along those axes, in the axes' order.</summary>
    private static void LayerNormalization(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var attributes = op.AttributesAs<LayerNormalizationAttributes>();
        var input = b.Value(op.Input("input")!);
        StridedAccess? Along(string argument)
        {
            if (op.Input(argument) is not { } operand)
            {
                return null;
            }
            var value = b.Value(operand);
            var strides = Shapes.Strides(value.Shape);
            return new StridedAccess(value, 0, [.. input.Shape.Select((_, d) => Array.IndexOf(attributes.Axes, d) is var k and >= 0 ? (long)strides[k] : 0L)]);
        }
        WindowKernels.Normalize(b, input, b.Value(op.Outputs[0]), attributes.Axes, attributes.Epsilon, Along("scale"), Along("bias"));
    }

    /// <summary>Normalization over the spatial axes of each channel of each batch; scale and bias per channel.</summary>
    private static void InstanceNormalization(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var attributes = op.AttributesAs<InstanceNormalizationAttributes>();
        var input = b.Value(op.Input("input")!);
        bool nhwc = attributes.Layout == MLInputOperandLayout.Nhwc;
        int channelAxis = nhwc ? 3 : 1;
        StridedAccess? PerChannel(string argument) => op.Input(argument) is { } operand ? StridedAccess.AlongAxis(b.Value(operand), input.Shape, channelAxis) : null;
        WindowKernels.Normalize(b, input, b.Value(op.Outputs[0]), nhwc ? [1, 2] : [2, 3], attributes.Epsilon, PerChannel("scale"), PerChannel("bias"));
    }

    /// <summary>A kernel that copies through <paramref name="input"/>'s access into <paramref name="output"/>'s, over <paramref name="shape"/>.</summary>
    private static void Copy(CudaGraph.CudaGraphBuilder b, int[] shape, StridedAccess output, StridedAccess input) =>
        Add(b, shape, output, [input], "y = x0;");

    /// <summary>
    /// Casts as the CPU backend does: float to integer truncates toward zero and saturates (NaN to 0); anything else is C's
    /// conversion (integers keep their low bits; to a float, the nearest, ties to even, float16 by way of float32).
    /// </summary>
    private static void Cast(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        static bool IsFloat(MLOperandDataType type) => type is MLOperandDataType.Float32 or MLOperandDataType.Float16;
        string body = IsFloat(input.DataType) && !IsFloat(output.DataType)
            ? $"const double v = (double)x0;\ny = {IndexedKernels.Saturated(output.DataType, "v")};"
            : $"y = ({ComputeType(output.DataType)})x0;";
        Add(b, output.Shape, StridedAccess.Contiguous(output), [StridedAccess.Contiguous(input)], body);
    }

    private static void Transpose(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var output = b.Value(op.Outputs[0]);
        Copy(b, output.Shape, StridedAccess.Contiguous(output), StridedAccess.Permuted(b.Value(op.Inputs[0].Operand), op.AttributesAs<TransposeAttributes>().Permutation));
    }

    private static void Expand(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var output = b.Value(op.Outputs[0]);
        Copy(b, output.Shape, StridedAccess.Contiguous(output), StridedAccess.Broadcast(b.Value(op.Inputs[0].Operand), output.Shape));
    }

    private static void Slice(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var attributes = op.AttributesAs<SliceAttributes>();
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        var strides = Shapes.Strides(input.Shape);
        long offset = attributes.Starts.Select((start, d) => (long)start * strides[d]).Sum();
        Copy(b, output.Shape, StridedAccess.Contiguous(output), new StridedAccess(input, offset, [.. strides.Select((s, d) => (long)s * attributes.Strides[d])]));
    }

    private static void Reverse(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var axes = op.AttributesAs<ReverseAttributes>().Axes;
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        var strides = Shapes.Strides(input.Shape);
        long offset = axes.Sum(axis => (long)(input.Shape[axis] - 1) * strides[axis]);
        Copy(b, output.Shape, StridedAccess.Contiguous(output), new StridedAccess(input, offset, [.. strides.Select((s, d) => axes.Contains(d) ? -(long)s : s)]));
    }

    /// <summary>One copy per input, each into its place along the axis of the output.</summary>
    private static void Concat(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        int axis = op.AttributesAs<ConcatAttributes>().Axis;
        var output = b.Value(op.Outputs[0]);
        var strides = Shapes.Strides(output.Shape).Select(s => (long)s).ToArray();
        long position = 0;
        foreach (var (_, operand) in op.Inputs)
        {
            var input = b.Value(operand);
            Copy(b, input.Shape, new StridedAccess(output, position * strides[axis], strides), StridedAccess.Contiguous(input));
            position += input.Shape[axis];
        }
    }

    /// <summary>One copy per output, each from its place along the axis of the input.</summary>
    private static void Split(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        int axis = op.AttributesAs<SplitAttributes>().Axis;
        var input = b.Value(op.Inputs[0].Operand);
        var strides = Shapes.Strides(input.Shape).Select(s => (long)s).ToArray();
        long position = 0;
        foreach (var operand in op.Outputs)
        {
            var output = b.Value(operand);
            Copy(b, output.Shape, StridedAccess.Contiguous(output), new StridedAccess(input, position * strides[axis], strides));
            position += output.Shape[axis];
        }
    }
}
