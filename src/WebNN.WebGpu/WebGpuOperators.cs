using WebGpu;
using WebNN.Graph;
using WebNN.Validation;
using WebNN.WebGpu.Kernels;

namespace WebNN.WebGpu;

/// <summary>An operator the backend runs: the data types of its values, and the kernels it becomes (run in order).</summary>
/// <param name="DataTypes">The data types of the operator's values (the spec's allowed types narrowed to these).</param>
/// <param name="Lower">Makes the operator's kernels.</param>
internal sealed record GpuOperator(MLOperandDataType[] DataTypes, Func<MLOperator, KernelBuilder, IEnumerable<GpuKernel>> Lower)
{
    /// <summary>Arguments whose data types are not <see cref="DataTypes"/> (gather's indices).</summary>
    public IReadOnlyDictionary<string, MLOperandDataType[]> ArgumentDataTypes { get; init; } = new Dictionary<string, MLOperandDataType[]>();

    /// <summary>An operator of one kernel.</summary>
    public static GpuOperator Single(MLOperandDataType[] dataTypes, Func<MLOperator, KernelBuilder, GpuKernel> lower) =>
        new(dataTypes, (op, b) => [lower(op, b)]);
}

/// <summary>
/// The operators the WebGPU backend runs, and how each becomes kernels. Inside a compiled graph every value
/// is held in 32-bit words (see <see cref="HeldDataTypes"/>).
/// </summary>
internal static class WebGpuOperators
{
    public const int MaxRank = 8;

    /// <summary>float32, and float16 held as float32 inside a graph (see <see cref="WebGpuGraph"/>): every float kernel serves both.</summary>
    public static readonly MLOperandDataType[] Floats = [MLOperandDataType.Float32, MLOperandDataType.Float16];

    /// <summary>The types of the operators that also run on 32-bit integers (wrapping, as on the CPU).</summary>
    public static readonly MLOperandDataType[] FloatsAndIntegers = [.. Floats, MLOperandDataType.Int32, MLOperandDataType.Uint32];

    /// <summary>The types of the operators that also run on 8-bit integers: the 32-bit kernels, their results wrapped to 8 bits (<see cref="WgslKernels.Wrapped"/>).</summary>
    public static readonly MLOperandDataType[] FloatsAndWrappedIntegers = [.. FloatsAndIntegers, MLOperandDataType.Int8, MLOperandDataType.Uint8];

    private static readonly Dictionary<string, GpuOperator> Registry = new(
        [
            .. ArithmeticOperators(),
            .. DataMovementKernels.Operators(),
            .. GemmKernels.Operators(),
            .. PreluKernels.Operators(),
            .. ConvTranspose2dKernels.Operators(),
            .. CastKernels.Operators(),
            .. PoolingKernels.Operators(),
            .. ReductionKernels.Operators(),
            .. NormalizationKernels.Operators(),
            .. RecurrentKernels.Operators(),
            .. LogicalKernels.Operators(),
            .. AxisKernels.Operators(),
            .. IndexingKernels.Operators(),
            .. ScatterGatherKernels.Operators(),
            .. QuantizationKernels.Operators(),
            .. Resample2dKernels.Operators(),
        ],
        StringComparer.Ordinal);

    /// <summary>What the backend supports: exactly the operators with kernels, on the data types they run.</summary>
    public static MLOpSupportLimits Limits(GPUDevice device)
    {
        // Graph inputs, constants and outputs of every type held in words (see HeldDataTypes), and int64 where kernels
        // handle it: gather reads int64 indices, argMin and argMax write int64 indices.
        var limits = new MLTensorLimits([.. HeldDataTypes.All, MLOperandDataType.Int64], new MLRankRange(0, MaxRank));
        return new MLOpSupportLimits
        {
            PreferredInputLayout = MLInputOperandLayout.Nhwc,
            MaxTensorByteLength = (long)Math.Min(device.Limits.MaxStorageBufferBindingSize, device.Limits.MaxBufferSize),
            Input = limits,
            Constant = limits,
            Output = limits,
            Operators = Registry.ToDictionary(entry => entry.Key, entry => OperatorLimits(entry.Key, entry.Value)),
        };
    }

    private static IReadOnlyDictionary<string, MLTensorLimits> OperatorLimits(string name, GpuOperator op)
    {
        var limits = SpecTensorLimits.SupportLimits(name, op.DataTypes, MaxRank).ToDictionary();
        foreach (var (argument, dataTypes) in op.ArgumentDataTypes)
        {
            limits[argument] = limits[argument] with { DataTypes = dataTypes };
        }
        return limits;
    }

    public static IEnumerable<GpuKernel> Lower(MLOperator op, KernelBuilder builder) =>
        Registry.TryGetValue(op.Name, out var entry)
            ? entry.Lower(op, builder)
            : throw new NotSupportedException($"{op.DisplayName}: the webgpu backend has no kernel for {op.Name}.");

    /// <summary>The arithmetic operators: element-wise (on floats, and some on integers), conv2d, matmul and softmax.</summary>
    private static IEnumerable<KeyValuePair<string, GpuOperator>> ArithmeticOperators()
    {
        foreach (var (name, expression) in WgslKernels.UnaryExpressions)
        {
            var integerExpression = WgslKernels.IntegerUnaryExpressions.GetValueOrDefault(name);
            yield return new(name, GpuOperator.Single(integerExpression is null ? Floats : FloatsAndWrappedIntegers,
                (op, b) => Unary(op, b, op.Inputs[0].Operand.DataType.IsFloatingPoint() ? expression : integerExpression!)));
        }
        foreach (var (name, expression) in WgslKernels.BinaryExpressions)
        {
            var integerExpression = WgslKernels.IntegerBinaryExpressions.GetValueOrDefault(name);
            yield return new(name, GpuOperator.Single(integerExpression is null ? Floats : FloatsAndWrappedIntegers,
                (op, b) => Binary(op, b, op.Inputs[0].Operand.DataType.IsFloatingPoint() ? expression : integerExpression!)));
        }
        yield return new("conv2d", GpuOperator.Single(Floats, Conv2d));
        yield return new("matmul", GpuOperator.Single(Floats, Matmul));
        yield return new("softmax", GpuOperator.Single(Floats, Softmax));
    }

    private static (float Alpha, float Beta) Parameters(object? attributes) => attributes switch
    {
        ActivationAttributes activation => ((float)activation.Alpha, (float)activation.Beta),
        ClampAttributes clamp => ((float)Math.Max(clamp.MinValue, float.MinValue), (float)Math.Min(clamp.MaxValue, float.MaxValue)),
        _ => (0f, 0f),
    };

    /// <summary>The words of a unary operator's parameters on <paramref name="dataType"/>: clamp's bounds on integers saturate to the type, as on the CPU.</summary>
    private static (uint Alpha, uint Beta) ParameterWords(object? attributes, MLOperandDataType dataType)
    {
        if (!dataType.IsFloatingPoint())
        {
            return attributes is ClampAttributes clamp ? (HeldDataTypes.Word(clamp.MinValue, dataType), HeldDataTypes.Word(clamp.MaxValue, dataType)) : (0, 0);
        }
        var (alpha, beta) = Parameters(attributes);
        return (KernelBuilder.Bits(alpha), KernelBuilder.Bits(beta));
    }

    /// <summary>An element-wise operator of one input; <paramref name="expression"/> is over <c>v</c> in the input's WGSL type and gives the output's.</summary>
    public static GpuKernel Unary(MLOperator op, KernelBuilder b, string expression)
    {
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        var (alpha, beta) = ParameterWords(op.Attributes, input.DataType);
        return b.Kernel(op.Name, WgslKernels.Unary(expression, input.DataType), [(uint)output.ElementCount, alpha, beta], [input, output], output.ElementCount);
    }

    /// <summary>An element-wise operator of two broadcast inputs; <paramref name="expression"/> is over <c>x</c> and <c>z</c> in the inputs' WGSL type and gives the output's.</summary>
    public static GpuKernel Binary(MLOperator op, KernelBuilder b, string expression)
    {
        var a = b.Value(op.Inputs[0].Operand);
        var c = b.Value(op.Inputs[1].Operand);
        var output = b.Value(op.Outputs[0]);
        var parameters = new uint[26];
        parameters[0] = (uint)output.ElementCount;
        parameters[1] = (uint)output.Shape.Length;
        for (int d = 0; d < output.Shape.Length; d++)
        {
            parameters[2 + d] = (uint)output.Shape[d];
        }
        WriteBroadcastStrides(a.Shape, output.Shape, parameters.AsSpan(10, 8));
        WriteBroadcastStrides(c.Shape, output.Shape, parameters.AsSpan(18, 8));
        return b.Kernel(op.Name, WgslKernels.Binary(expression, a.DataType), parameters, [a, c, output], output.ElementCount);
    }

    /// <summary>Strides of <paramref name="shape"/> right-aligned to <paramref name="outputShape"/>, 0 along broadcast dimensions.</summary>
    public static void WriteBroadcastStrides(int[] shape, int[] outputShape, Span<uint> strides)
    {
        uint stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[outputShape.Length - shape.Length + i] = shape[i] == 1 ? 0 : stride;
            stride *= (uint)shape[i];
        }
    }

    private static GpuKernel Conv2d(MLOperator op, KernelBuilder b)
    {
        var a = op.AttributesAs<Conv2dAttributes>();
        var input = b.Value(op.Input("input")!);
        var filter = b.Value(op.Input("filter")!);
        var bias = op.Input("bias") is { } biasOperand ? b.Value(biasOperand) : null;
        var output = b.Value(op.Outputs[0]);
        bool nchw = a.InputLayout == MLInputOperandLayout.Nchw;
        var f = filter.Shape;
        var fs = Shapes.Strides(f);
        var (filterStrides, kh, kw) = a.FilterLayout switch
        {
            MLConv2dFilterOperandLayout.Oihw => ((fs[0], fs[1], fs[2], fs[3]), f[2], f[3]),
            MLConv2dFilterOperandLayout.Hwio => ((fs[3], fs[2], fs[0], fs[1]), f[0], f[1]),
            MLConv2dFilterOperandLayout.Ohwi => ((fs[0], fs[3], fs[1], fs[2]), f[1], f[2]),
            _ => ((fs[3], fs[0], fs[1], fs[2]), f[1], f[2]),
        };
        string activation = "v";
        float alpha = 0, beta = 0;
        if (a.Activation is { } fused)
        {
            activation = WgslKernels.UnaryExpressions[fused.Operator];
            (alpha, beta) = Parameters(fused.Attributes);
        }
        var parameters = ConvolutionWords.Make(input, output, nchw, filterStrides, kh, kw, a.Groups, a.Padding, a.Strides, a.Dilations, bias is not null, alpha, beta);
        // Without a bias the filter stands in at the bias binding (never read).
        GpuValue[] bindings = [input, filter, bias ?? filter, output];
        if (a.Groups == 1)
        {
            return Conv2dKernels.ImplicitGemm(b, parameters, bindings, activation);
        }
        // Grouped and depthwise convs: the direct kernel.
        long invocations = (long)parameters[0] * parameters[1] * ((parameters[2] + 3) / 4) * parameters[3];
        return b.Kernel("conv2d", WgslKernels.Conv2d(activation), parameters, bindings, invocations);
    }

    /// <summary>Element strides of the batch, channel, row and column axes of an image in its layout.</summary>
    public static (int N, int C, int H, int W) ImageStrides(int[] shape, bool nchw)
    {
        var s = Shapes.Strides(shape);
        return nchw ? (s[0], s[1], s[2], s[3]) : (s[0], s[3], s[1], s[2]);
    }

    private static GpuKernel Matmul(MLOperator op, KernelBuilder b)
    {
        var a = b.Value(op.Input("a")!);
        var c = b.Value(op.Input("b")!);
        var output = b.Value(op.Outputs[0]);
        int m = a.Shape[^2], k = a.Shape[^1], n = c.Shape[^1];
        var batchShape = output.Shape[..^2];
        if (batchShape.Length > 6)
        {
            throw new NotSupportedException($"{op.DisplayName}: the webgpu backend's matmul takes at most 6 batch dimensions.");
        }
        var parameters = new uint[23];
        parameters[0] = (uint)Shapes.ElementCount(batchShape);
        (parameters[1], parameters[2], parameters[3], parameters[4]) = ((uint)m, (uint)k, (uint)n, (uint)batchShape.Length);
        for (int d = 0; d < batchShape.Length; d++)
        {
            parameters[5 + d] = (uint)batchShape[d];
        }
        WriteBatchStrides(a.Shape[..^2], batchShape, m * k, parameters.AsSpan(11, 6));
        WriteBatchStrides(c.Shape[..^2], batchShape, k * n, parameters.AsSpan(17, 6));
        return b.Kernel("matmul", WgslKernels.Matmul, parameters, [a, c, output], output.ElementCount);
    }

    private static void WriteBatchStrides(int[] shape, int[] batchShape, int matrixSize, Span<uint> strides)
    {
        WriteBroadcastStrides(shape, batchShape, strides);
        for (int d = 0; d < batchShape.Length; d++)
        {
            strides[d] *= (uint)matrixSize;
        }
    }

    private static GpuKernel Softmax(MLOperator op, KernelBuilder b)
    {
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        int axis = op.AttributesAs<SoftmaxAttributes>().Axis;
        int inner = (int)Shapes.ElementCount(input.Shape.AsSpan(axis + 1));
        int outer = (int)Shapes.ElementCount(input.Shape.AsSpan(0, axis));
        return b.Kernel("softmax", WgslKernels.Softmax, [(uint)outer, (uint)input.Shape[axis], (uint)inner], [input, output], (long)outer * inner);
    }
}
