using WebNN.Validation;

namespace WebNN.Onnx;

/// <summary>
/// The ONNX operators the importer maps onto WebNN, each with the attributes it understands and its decomposition
/// (as ONNX-to-WebNN converters do it: pads reordered, auto_pad resolved from shapes, count_include_pad as an explicit
/// pad, ONNX's older opset forms read from attributes). A node whose inputs are all constants folds when its operator
/// is shape arithmetic (Shape, Size, Range, Gather, Concat, Unsqueeze, Squeeze, Reshape, Flatten, Cast, Slice, integer Add/Sub/Mul/Div)
/// or an integer comparison or logical operator (so that an If's condition computed from shapes is known).
/// </summary>
internal static class OnnxOperators
{
    private sealed record Mapping(string[] Attributes, Action<OnnxNode> Convert);

    private static readonly Dictionary<string, Mapping> Mappings = CreateMappings();

    /// <summary>Refuses a node whose domain, operator or attribute names the importer does not know (at load time).</summary>
    public static void CheckSupported(NodeProto node)
    {
        string name = node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault() ?? "";
        if (node.Domain is not ("" or "ai.onnx"))
        {
            throw new OnnxUnsupportedException(name, node.OpType, $"domain '{node.Domain}' is not supported; only the default ONNX operator set is.");
        }
        if (node.OpType is "Loop" or "Scan")
        {
            throw new OnnxUnsupportedException(name, node.OpType, $"operator {node.OpType} is not supported; WebNN graphs have no control flow (only an If whose condition is known while building is folded).");
        }
        if (!Mappings.TryGetValue(node.OpType, out var mapping))
        {
            throw new OnnxUnsupportedException(name, node.OpType, $"operator {node.OpType} is not supported.");
        }
        foreach (var attribute in node.Attribute)
        {
            if (!mapping.Attributes.Contains(attribute.Name))
            {
                throw new OnnxUnsupportedException(name, node.OpType, $"attribute '{attribute.Name}' is not supported; {node.OpType} understands {(mapping.Attributes.Length == 0 ? "none" : string.Join(", ", mapping.Attributes))}.");
            }
            // A subgraph (If's branches) is checked like the graph around it.
            foreach (var inner in attribute.G?.Node ?? [])
            {
                CheckSupported(inner);
            }
        }
    }

    public static void Convert(OnnxNode node) => Mappings[node.OpType].Convert(node);

    private static Dictionary<string, Mapping> CreateMappings()
    {
        var mappings = new Dictionary<string, Mapping>(StringComparer.Ordinal);
        void Add(string op, string[] attributes, Action<OnnxNode> convert) => mappings.Add(op, new Mapping(attributes, convert));

        foreach (var (op, unary) in (ReadOnlySpan<(string, Func<MLGraphBuilder, MLOperand, MLOperatorOptions, MLOperand>)>)[
            ("Relu", (b, x, o) => b.Relu(x, o)), ("Sigmoid", (b, x, o) => b.Sigmoid(x, o)), ("Tanh", (b, x, o) => b.Tanh(x, o)),
            ("Abs", (b, x, o) => b.Abs(x, o)), ("Ceil", (b, x, o) => b.Ceil(x, o)), ("Cos", (b, x, o) => b.Cos(x, o)),
            ("Erf", (b, x, o) => b.Erf(x, o)), ("Exp", (b, x, o) => b.Exp(x, o)), ("Floor", (b, x, o) => b.Floor(x, o)),
            ("Log", (b, x, o) => b.Log(x, o)), ("Neg", (b, x, o) => b.Neg(x, o)), ("Reciprocal", (b, x, o) => b.Reciprocal(x, o)),
            ("Round", (b, x, o) => b.RoundEven(x, o)), ("Sign", (b, x, o) => b.Sign(x, o)), ("Sin", (b, x, o) => b.Sin(x, o)),
            ("Sqrt", (b, x, o) => b.Sqrt(x, o)), ("Tan", (b, x, o) => b.Tan(x, o)), ("Softplus", (b, x, o) => b.Softplus(x, o)),
            ("Softsign", (b, x, o) => b.Softsign(x, o)), ("HardSwish", (b, x, o) => b.HardSwish(x, o)),
        ])
        {
            Add(op, [], n => n.Output(unary(n.Builder, n.Input(0), n.Options)));
        }
        Add("Not", [], n =>
        {
            if (n.ConstantInput(0) is { } constant) n.Output(ConstantTensor.FromInt64s([.. constant.ToInt64s().Select(v => v == 0 ? 1L : 0L)], constant.Shape).Cast(MLOperandDataType.Uint8));
            else n.Output(n.Builder.LogicalNot(n.Input(0), n.Options));
        });

        Add("Elu", ["alpha"], n => n.Output(n.Builder.Elu(n.Input(0), new MLEluOptions { Alpha = n.Float("alpha", 1), Label = n.Name })));
        Add("LeakyRelu", ["alpha"], n => n.Output(n.Builder.LeakyRelu(n.Input(0), new MLLeakyReluOptions { Alpha = n.Float("alpha", 0.01f), Label = n.Name })));
        Add("HardSigmoid", ["alpha", "beta"], n => n.Output(n.Builder.HardSigmoid(n.Input(0), new MLHardSigmoidOptions { Alpha = n.Float("alpha", 0.2f), Beta = n.Float("beta", 0.5f), Label = n.Name })));
        Add("PRelu", [], n => n.Output(n.Builder.Prelu(n.Input(0), n.Input(1), n.Options)));
        Add("Gelu", ["approximate"], Gelu);
        Add("Clip", ["min", "max"], Clip);
        Add("Softmax", ["axis"], n => AlongAxis(n, (x, axis) => n.Builder.Softmax(x, axis, n.Options)));
        Add("LogSoftmax", ["axis"], n => AlongAxis(n, (x, axis) => LogSoftmax(n, x, axis)));

        foreach (var (op, binary, fold) in (ReadOnlySpan<(string, Func<MLGraphBuilder, MLOperand, MLOperand, MLOperatorOptions, MLOperand>, Func<long, long, long>?)>)[
            ("Add", (b, x, y, o) => b.Add(x, y, o), (x, y) => x + y), ("Sub", (b, x, y, o) => b.Sub(x, y, o), (x, y) => x - y),
            ("Mul", (b, x, y, o) => b.Mul(x, y, o), (x, y) => x * y), ("Div", (b, x, y, o) => b.Div(x, y, o), (x, y) => x / y),
            ("Pow", (b, x, y, o) => b.Pow(x, y, o), null),
            // Comparisons and logic fold to bool (0 or 1), so that an If's condition computed from shapes is known.
            ("Equal", (b, x, y, o) => b.Equal(x, y, o), (x, y) => x == y ? 1 : 0), ("Greater", (b, x, y, o) => b.Greater(x, y, o), (x, y) => x > y ? 1 : 0),
            ("GreaterOrEqual", (b, x, y, o) => b.GreaterOrEqual(x, y, o), (x, y) => x >= y ? 1 : 0), ("Less", (b, x, y, o) => b.Lesser(x, y, o), (x, y) => x < y ? 1 : 0),
            ("LessOrEqual", (b, x, y, o) => b.LesserOrEqual(x, y, o), (x, y) => x <= y ? 1 : 0),
            ("And", (b, x, y, o) => b.LogicalAnd(x, y, o), (x, y) => x != 0 && y != 0 ? 1 : 0),
            ("Or", (b, x, y, o) => b.LogicalOr(x, y, o), (x, y) => x != 0 || y != 0 ? 1 : 0), ("Xor", (b, x, y, o) => b.LogicalXor(x, y, o), (x, y) => (x != 0) != (y != 0) ? 1 : 0),
        ])
        {
            // broadcast, axis: the explicit broadcasting of opsets before 7; only numpy-style (broadcast=1, no axis) maps.
            Add(op, ["broadcast"], n => Binary(n, binary, fold));
        }
        foreach (var (op, variadic) in (ReadOnlySpan<(string, Func<MLGraphBuilder, MLOperand, MLOperand, MLOperatorOptions, MLOperand>)>)[
            ("Sum", (b, x, y, o) => b.Add(x, y, o)), ("Max", (b, x, y, o) => b.Max(x, y, o)), ("Min", (b, x, y, o) => b.Min(x, y, o)),
        ])
        {
            Add(op, [], n => Variadic(n, variadic));
        }
        Add("Mean", [], n => n.Output(n.Builder.Div(Accumulate(n, (b, x, y, o) => b.Add(x, y, o)), n.Builder.Constant(n.Input(0).DataType, n.InputCount), n.Options)));
        Add("Where", [], n => n.Output(n.Builder.Where(n.Input(0), n.Input(1), n.Input(2), n.Options)));

        Add("Conv", ["auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"], Conv);
        Add("ConvTranspose", ["auto_pad", "dilations", "group", "kernel_shape", "output_padding", "output_shape", "pads", "strides"], ConvTranspose);
        // storage_order only orders the Indices output, which is refused.
        Add("MaxPool", ["auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"], Pool);
        Add("AveragePool", ["auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides"], Pool);
        Add("LpPool", ["auto_pad", "ceil_mode", "dilations", "kernel_shape", "p", "pads", "strides"], Pool);
        Add("GlobalAveragePool", [], n => ImageOutput(n, n.Builder.AveragePool2d(Image(n), new MLPool2dOptions { Label = n.Name })));
        Add("GlobalMaxPool", [], n => ImageOutput(n, n.Builder.MaxPool2d(Image(n), new MLPool2dOptions { Label = n.Name })));
        Add("GlobalLpPool", ["p"], n =>
        {
            RequireDefault(n, "p", 2, "p=2 (WebNN's l2Pool2d)");
            ImageOutput(n, n.Builder.L2Pool2d(Image(n), new MLPool2dOptions { Label = n.Name }));
        });
        Add("LRN", ["alpha", "beta", "bias", "size"], LocalResponseNormalization);
        Add("BatchNormalization", ["epsilon", "momentum", "spatial", "training_mode", "consumed_inputs", "is_test"], BatchNormalization);
        Add("InstanceNormalization", ["epsilon"], n => n.Output(n.Builder.InstanceNormalization(n.Input(0), new MLInstanceNormalizationOptions
        {
            Scale = n.Input(1), Bias = n.Input(2), Epsilon = n.Float("epsilon", 1e-5f), Label = n.Name,
        })));
        Add("LayerNormalization", ["axis", "epsilon", "stash_type"], LayerNormalization);
        Add("GroupNormalization", ["epsilon", "num_groups", "stash_type"], GroupNormalization);
        Add("LpNormalization", ["axis", "p"], LpNormalization);
        Add("Gemm", ["alpha", "beta", "transA", "transB", "broadcast"], Gemm);
        Add("MatMul", [], MatMul);
        Add("Einsum", ["equation"], Einsum);

        Add("Identity", [], n => Alias(n, 0));
        // Inference: dropout passes its input through; its mask output and training mode are refused.
        Add("Dropout", ["ratio", "seed", "is_test"], Dropout);
        Add("Constant", ["value", "value_float", "value_floats", "value_int", "value_ints"], Constant);
        Add("ConstantOfShape", ["value"], ConstantOfShape);
        Add("Shape", ["start", "end"], Shape);
        Add("Size", [], n => n.Output(ConstantTensor.FromInt64s([Shapes.ElementCount(n.InputShape(0))])));
        Add("Range", [], Range);
        Add("Reshape", ["allowzero"], Reshape);
        Add("Flatten", ["axis"], Flatten);
        Add("Unsqueeze", ["axes"], Unsqueeze);
        Add("Squeeze", ["axes"], Squeeze);
        Add("Concat", ["axis"], Concat);
        Add("Gather", ["axis"], Gather);
        Add("Cast", ["to", "saturate"], Cast);
        Add("Slice", ["starts", "ends", "axes"], Slice);
        Add("Split", ["axis", "split", "num_outputs"], Split);
        Add("Transpose", ["perm"], n => n.Output(n.Builder.Transpose(n.Input(0), new MLTransposeOptions { Permutation = n.Ints("perm")?.Select(p => (int)p).ToArray(), Label = n.Name })));
        Add("Expand", [], Expand);
        Add("Pad", ["mode", "pads", "value"], Pad);
        Add("Resize", ["mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a", "exclude_outside", "extrapolation_value", "antialias", "axes", "keep_aspect_ratio_policy"], Resize);
        Add("Upsample", ["mode", "scales"], Resize);

        foreach (var (op, reduce) in (ReadOnlySpan<(string, Func<MLGraphBuilder, MLOperand, MLReduceOptions, MLOperand>)>)[
            ("ReduceMean", (b, x, o) => b.ReduceMean(x, o)), ("ReduceSum", (b, x, o) => b.ReduceSum(x, o)), ("ReduceMax", (b, x, o) => b.ReduceMax(x, o)),
            ("ReduceMin", (b, x, o) => b.ReduceMin(x, o)), ("ReduceProd", (b, x, o) => b.ReduceProduct(x, o)), ("ReduceL1", (b, x, o) => b.ReduceL1(x, o)),
            ("ReduceL2", (b, x, o) => b.ReduceL2(x, o)), ("ReduceLogSum", (b, x, o) => b.ReduceLogSum(x, o)),
            ("ReduceLogSumExp", (b, x, o) => b.ReduceLogSumExp(x, o)), ("ReduceSumSquare", (b, x, o) => b.ReduceSumSquare(x, o)),
        ])
        {
            Add(op, ["axes", "keepdims", "noop_with_empty_axes"], n => Reduce(n, reduce));
        }
        Add("ArgMax", ["axis", "keepdims", "select_last_index"], n => ArgMinMax(n, (b, x, axis, o) => b.ArgMax(x, axis, o)));
        Add("ArgMin", ["axis", "keepdims", "select_last_index"], n => ArgMinMax(n, (b, x, axis, o) => b.ArgMin(x, axis, o)));
        Add("CumSum", ["exclusive", "reverse"], CumSum);

        Add("Tile", [], n => n.Output(n.Builder.Tile(n.Input(0), ToDimensions(n, n.RequiredConstant(1, "repeats").ToInt64s()), n.Options)));
        Add("Trilu", ["upper"], n => n.Output(n.Builder.Triangular(n.Input(0), new MLTriangularOptions
        {
            Upper = n.Int("upper", 1) != 0,
            Diagonal = n.HasInput(1) ? checked((int)n.RequiredConstant(1, "k").ToInt64s().Single()) : 0,
            Label = n.Name,
        })));
        // WebNN's gather and scatter operations count negative indices from the end, as ONNX does.
        Add("GatherElements", ["axis"], n => n.Output(n.Builder.GatherElements(n.Input(0), n.Input(1),
            new MLGatherOptions { Axis = n.Axis(n.Int("axis", 0), n.InputShape(0).Length, "axis"), Label = n.Name })));
        Add("GatherND", ["batch_dims"], n =>
        {
            RequireDefault(n, "batch_dims", 0, "batch_dims=0 (no leading batch dimensions shared by data and indices)");
            n.Output(n.Builder.GatherND(n.Input(0), n.Input(1), n.Options));
        });
        Add("ScatterElements", ["axis", "reduction"], n =>
        {
            RequireDefault(n, "reduction", "none", "reduction 'none' (updates replace values)");
            n.Output(n.Builder.ScatterElements(n.Input(0), n.Input(1), n.Input(2),
                new MLScatterOptions { Axis = n.Axis(n.Int("axis", 0), n.InputShape(0).Length, "axis"), Label = n.Name }));
        });
        Add("ScatterND", ["reduction"], n =>
        {
            RequireDefault(n, "reduction", "none", "reduction 'none' (updates replace values)");
            n.Output(n.Builder.ScatterND(n.Input(0), n.Input(1), n.Input(2), n.Options));
        });
        Add("QuantizeLinear", ["axis", "block_size", "output_dtype", "saturate"], QuantizeLinear);
        Add("DequantizeLinear", ["axis", "block_size"], DequantizeLinear);

        Add("IsNaN", [], n => n.Output(n.Builder.IsNaN(n.Input(0), n.Options)));
        Add("IsInf", ["detect_negative", "detect_positive"], IsInf);
        Add("DepthToSpace", ["blocksize", "mode"], DepthToSpace);
        Add("SpaceToDepth", ["blocksize"], SpaceToDepth);
        string[] recurrent = ["activation_alpha", "activation_beta", "activations", "clip", "direction", "hidden_size", "layout"];
        Add("LSTM", [.. recurrent, "input_forget"], Lstm);
        Add("GRU", [.. recurrent, "linear_before_reset"], Gru);

        Add("If", ["then_branch", "else_branch"], If);
        return mappings;
    }

    private static void RequireDefault(OnnxNode n, string attribute, long defaultValue, string supported)
    {
        if (n.Int(attribute, defaultValue) != defaultValue)
        {
            throw n.Unsupported($"{attribute}={n.Int(attribute, defaultValue)} is not supported; only {supported} is.");
        }
    }

    private static void RequireDefault(OnnxNode n, string attribute, string defaultValue, string supported)
    {
        if (n.String(attribute, defaultValue) != defaultValue)
        {
            throw n.Unsupported($"{attribute} '{n.String(attribute, defaultValue)}' is not supported; only {supported} is.");
        }
    }

    private static void Alias(OnnxNode n, int input)
    {
        if (n.ConstantInput(input) is { } constant) n.Output(constant);
        else n.Output(n.Input(input));
    }

    private static void Binary(OnnxNode n, Func<MLGraphBuilder, MLOperand, MLOperand, MLOperatorOptions, MLOperand> binary, Func<long, long, long>? fold)
    {
        if (n.HasAttribute("broadcast") && n.Int("broadcast", 0) == 0 && !n.InputShape(0).SequenceEqual(n.InputShape(1)))
        {
            throw n.Unsupported("broadcast=0 with operands of different shapes is not supported.");
        }
        if (fold is not null && n.ConstantInput(0) is { } a && n.ConstantInput(1) is { } b && !a.DataType.IsFloatingPoint() && !b.DataType.IsFloatingPoint())
        {
            var shape = Broadcasting.Bidirectional(a.Shape, b.Shape)
                ?? throw n.Malformed($"shapes {Shapes.Format(a.Shape)} and {Shapes.Format(b.Shape)} do not broadcast.");
            try
            {
                var folded = ConstantTensor.IntegerBinary(a, b, shape, fold);
                n.Output(folded.Cast(IsLogical(n.OpType) ? MLOperandDataType.Uint8 : a.DataType));
            }
            catch (DivideByZeroException)
            {
                throw n.Malformed("it divides by zero while its constant inputs are folded.");
            }
            return;
        }
        n.Output(binary(n.Builder, n.Input(0), n.Input(1), n.Options));
    }

    private static bool IsLogical(string opType) =>
        opType is "Equal" or "Greater" or "GreaterOrEqual" or "Less" or "LessOrEqual" or "And" or "Or" or "Xor";

    private static void Variadic(OnnxNode n, Func<MLGraphBuilder, MLOperand, MLOperand, MLOperatorOptions, MLOperand> binary) =>
        n.Output(n.InputCount == 1 ? n.Builder.Identity(n.Input(0), n.Options) : Accumulate(n, binary));

    /// <summary>The inputs combined left to right by <paramref name="binary"/> (broadcasting as they go).</summary>
    private static MLOperand Accumulate(OnnxNode n, Func<MLGraphBuilder, MLOperand, MLOperand, MLOperatorOptions, MLOperand> binary)
    {
        var result = n.Input(0);
        for (int i = 1; i < n.InputCount; i++)
        {
            result = binary(n.Builder, result, n.Input(i), n.Options);
        }
        return result;
    }

    private static void Gelu(OnnxNode n)
    {
        if (n.String("approximate", "none") != "none")
        {
            throw n.Unsupported($"approximate='{n.String("approximate", "none")}' is not supported; WebNN's gelu is the exact (erf) form.");
        }
        n.Output(n.Builder.Gelu(n.Input(0), n.Options));
    }

    private static void Clip(OnnxNode n)
    {
        // Opset 11 moved min and max from attributes to optional inputs.
        MLNumber? Bound(int input, string attribute) => n.OpsetVersion < 11
            ? (n.HasAttribute(attribute) ? n.Float(attribute, 0) : null)
            : n.HasInput(input) ? n.RequiredConstant(input, attribute).ToDoubles().Single() : null;
        n.Output(n.Builder.Clamp(n.Input(0), new MLClampOptions { MinValue = Bound(1, "min"), MaxValue = Bound(2, "max"), Label = n.Name }));
    }

    /// <summary>
    /// Softmax and LogSoftmax: from opset 13 along one axis (default -1); before, over all dimensions from axis
    /// (default 1) on, which flattens the input to 2-D around axis and back.
    /// </summary>
    private static void AlongAxis(OnnxNode n, Func<MLOperand, int, MLOperand> normalize)
    {
        var x = n.Input(0);
        int[] shape = x.Shape;
        if (n.OpsetVersion >= 13)
        {
            n.Output(normalize(x, n.Axis(n.Int("axis", -1), shape.Length, "axis")));
            return;
        }
        int axis = n.Axis(n.Int("axis", 1), shape.Length, "axis");
        var flat = n.Builder.Reshape(x, FlattenShape(shape, axis), n.Options);
        n.Output(n.Builder.Reshape(normalize(flat, 1), shape, n.Options));
    }

    /// <summary>x − max − log Σ exp(x − max) along <paramref name="axis"/>: exp never overflows, since x − max ≤ 0.</summary>
    private static MLOperand LogSoftmax(OnnxNode n, MLOperand x, int axis)
    {
        var b = n.Builder;
        var reduce = new MLReduceOptions { Axes = [axis], KeepDimensions = true, Label = n.Name };
        var shifted = b.Sub(x, b.ReduceMax(x, reduce), n.Options);
        return b.Sub(shifted, b.ReduceLogSumExp(shifted, reduce), n.Options);
    }

    /// <summary>
    /// LRN: x / (bias + alpha/size · Σ x²)^beta, the sum over the channels [c − ⌊(size−1)/2⌋, c + ⌈(size−1)/2⌉].
    /// As ONNX-to-WebNN converters do it: the squares, as [N, 1, C, rest], padded with zeros along C and averaged by a
    /// size×1 window (so the average is the sum / size), then the power and the division.
    /// </summary>
    private static void LocalResponseNormalization(OnnxNode n)
    {
        var b = n.Builder;
        var x = n.Input(0);
        int[] shape = x.Shape;
        if (shape.Length < 3)
        {
            throw n.Malformed($"the input {x} must have rank 3 or more (N, C, spatial...).");
        }
        int size = checked((int)n.Int("size", 0));
        if (size < 1)
        {
            throw n.Malformed($"size ({size}) must be a positive number of channels.");
        }
        var squares = b.Reshape(b.Mul(x, x, n.Options), [shape[0], 1, shape[1], (int)Shapes.ElementCount(shape.AsSpan(2))], n.Options);
        var padded = b.Pad(squares, [0, 0, (size - 1) / 2, 0], [0, 0, size / 2, 0], new MLPadOptions { Label = n.Name });
        var mean = b.Reshape(b.AveragePool2d(padded, new MLPool2dOptions { WindowDimensions = [size, 1], Label = n.Name }), shape, n.Options);
        MLOperand Scalar(float value) => b.Constant(x.DataType, value);
        var scaled = b.Add(b.Mul(mean, Scalar(n.Float("alpha", 1e-4f)), n.Options), Scalar(n.Float("bias", 1)), n.Options);
        n.Output(b.Div(x, b.Pow(scaled, Scalar(n.Float("beta", 0.75f)), n.Options), n.Options));
    }

    private static int[] FlattenShape(int[] shape, int axis) =>
        [(int)Shapes.ElementCount(shape.AsSpan(0, axis)), (int)Shapes.ElementCount(shape.AsSpan(axis))];

    /// <summary>
    /// The 4-D NCHW input of a convolution or pooling. A 1-D one (rank 3, NCL) runs as 2-D on a unit height: its input
    /// is reshaped to [N, C, 1, L], its attributes get the unit height's values (<see cref="SpatialInts"/>) and its
    /// output loses the height again (<see cref="ImageOutput"/>). WebNN has no 3-D convolution or pooling.
    /// </summary>
    private static MLOperand Image(OnnxNode n)
    {
        var x = n.Input(0);
        return x.Rank switch
        {
            4 => x,
            3 => n.Builder.Reshape(x, [x.Shape[0], x.Shape[1], 1, x.Shape[2]], n.Options),
            _ => throw n.Unsupported($"only 1-D and 2-D spatial inputs (rank 3 NCL, rank 4 NCHW) are supported; WebNN has no {x.Rank - 2}-D convolution or pooling, and the input is {x}."),
        };
    }

    /// <summary>Defines the node's output from the 2-D operation's result, without the unit height of a 1-D node.</summary>
    private static void ImageOutput(OnnxNode n, MLOperand y) =>
        n.Output(n.InputShape(0).Length == 3 ? n.Builder.Reshape(y, [y.Shape[0], y.Shape[1], y.Shape[3]], n.Options) : y);

    /// <summary>
    /// WebNN's [beginH, endH, beginW, endW] from ONNX's pads [beginH, beginW, endH, endW] or its auto_pad, which
    /// SAME_UPPER / SAME_LOWER resolve from the input size so that output = ceil(input / stride).
    /// </summary>
    private static int[] Padding(OnnxNode n, int[] inputSize, int[] window, int[] strides, int[] dilations)
    {
        string autoPad = n.String("auto_pad", "NOTSET");
        switch (autoPad)
        {
            case "NOTSET":
                var pads = SpatialInts(n, "pads", 0, valuesPerAxis: 2);
                return [pads[0], pads[2], pads[1], pads[3]];
            case "VALID":
                return [0, 0, 0, 0];
            case "SAME_UPPER":
            case "SAME_LOWER":
                var padding = new int[4];
                for (int i = 0; i < 2; i++)
                {
                    int output = (inputSize[i] + strides[i] - 1) / strides[i];
                    int total = Math.Max(0, (output - 1) * strides[i] + (window[i] - 1) * dilations[i] + 1 - inputSize[i]);
                    int smaller = total / 2;
                    (padding[2 * i], padding[2 * i + 1]) = autoPad == "SAME_UPPER" ? (smaller, total - smaller) : (total - smaller, smaller);
                }
                return padding;
            default:
                throw n.Unsupported($"auto_pad '{autoPad}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER.");
        }
    }

    /// <summary>
    /// A per-spatial-axis ints attribute (kernel_shape, strides, dilations, output_padding; pads, which hold the begins
    /// then the ends) for the 2-D operation, or the default repeated. A 1-D node's unit height takes the default too:
    /// a window, stride and dilation of 1, no padding.
    /// </summary>
    private static int[] SpatialInts(OnnxNode n, string name, int defaultValue, int valuesPerAxis = 1)
    {
        int spatialRank = n.InputShape(0).Length - 2;
        var values = n.Ints(name);
        if (values is null)
        {
            return Enumerable.Repeat(defaultValue, 2 * valuesPerAxis).ToArray();
        }
        if (values.Length != spatialRank * valuesPerAxis)
        {
            throw n.Malformed($"{name} has {values.Length} values; a {spatialRank}-D operation needs {spatialRank * valuesPerAxis}.");
        }
        int[] ints = [.. values.Select(v => checked((int)v))];
        return spatialRank == 2 ? ints : valuesPerAxis == 1 ? [defaultValue, ints[0]] : [defaultValue, ints[0], defaultValue, ints[1]];
    }

    /// <summary>The weight of a convolution as a 4-D filter (a 1-D node's gets the unit height), checked against kernel_shape.</summary>
    private static MLOperand Filter(OnnxNode n)
    {
        var w = n.Input(1);
        if (w.Rank != n.InputShape(0).Length)
        {
            throw n.Malformed($"the weight {w} must have the input's rank ({n.InputShape(0).Length}).");
        }
        if (w.Rank == 3)
        {
            w = n.Builder.Reshape(w, [w.Shape[0], w.Shape[1], 1, w.Shape[2]], n.Options);
        }
        if (n.HasAttribute("kernel_shape") && !SpatialInts(n, "kernel_shape", 1).SequenceEqual(w.Shape[2..]))
        {
            throw n.Malformed($"kernel_shape [{string.Join(",", n.Ints("kernel_shape")!)}] does not match the weight {n.Input(1)}.");
        }
        return w;
    }

    private static void Conv(OnnxNode n)
    {
        var x = Image(n);
        var w = Filter(n);
        int[] window = w.Shape[2..];
        var strides = SpatialInts(n, "strides", 1);
        var dilations = SpatialInts(n, "dilations", 1);
        ImageOutput(n, n.Builder.Conv2d(x, w, new MLConv2dOptions
        {
            Padding = Padding(n, x.Shape[2..], window, strides, dilations),
            Strides = strides,
            Dilations = dilations,
            Groups = checked((int)n.Int("group", 1)),
            Bias = n.HasInput(2) ? n.Input(2) : null,
            Label = n.Name,
        }));
    }

    /// <summary>
    /// ConvTranspose with its weight [C_in, C_out/group, kH, kW] as WebNN's iohw filter. output_shape and SAME auto_pad
    /// resolve to explicit pads as the ONNX spec says: total = stride·(in − 1) + output_padding + dilated kernel − out,
    /// split with the larger half at the end for SAME_UPPER and at the start otherwise.
    /// </summary>
    private static void ConvTranspose(OnnxNode n)
    {
        var x = Image(n);
        var w = Filter(n);
        int[] window = w.Shape[2..];
        var strides = SpatialInts(n, "strides", 1);
        var dilations = SpatialInts(n, "dilations", 1);
        var outputPadding = SpatialInts(n, "output_padding", 0);
        int[] inputSize = x.Shape[2..];
        string autoPad = n.String("auto_pad", "NOTSET");
        // output_shape names the spatial sizes; some exporters write the whole [N, C, spatial...]. A 1-D node's unit height stays 1.
        int spatialRank = n.InputShape(0).Length - 2;
        int[]? outputShape = n.Ints("output_shape") is not { } requested ? null
            : requested.Length == spatialRank || requested.Length == spatialRank + 2 ? [.. spatialRank == 1 ? [1] : Array.Empty<int>(), .. ToDimensions(n, requested[^spatialRank..])]
            : throw n.Malformed($"output_shape has {requested.Length} values; a {spatialRank}-D ConvTranspose needs {spatialRank}.");
        if (outputShape is null && autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            outputShape = [inputSize[0] * strides[0], inputSize[1] * strides[1]];
        }
        int[] padding;
        if (outputShape is not null)
        {
            padding = new int[4];
            for (int i = 0; i < 2; i++)
            {
                int total = strides[i] * (inputSize[i] - 1) + outputPadding[i] + (window[i] - 1) * dilations[i] + 1 - outputShape[i];
                if (total < 0)
                {
                    throw n.Unsupported($"output_shape {outputShape[i]} on spatial axis {i} needs negative padding ({total}).");
                }
                (padding[2 * i], padding[2 * i + 1]) = autoPad == "SAME_UPPER" ? (total / 2, total - total / 2) : (total - total / 2, total / 2);
            }
        }
        else
        {
            padding = Padding(n, inputSize, window, strides, dilations);
        }
        ImageOutput(n, n.Builder.ConvTranspose2d(x, w, new MLConvTranspose2dOptions
        {
            Padding = padding,
            Strides = strides,
            Dilations = dilations,
            OutputPadding = outputPadding,
            Groups = checked((int)n.Int("group", 1)),
            Bias = n.HasInput(2) ? n.Input(2) : null,
            Label = n.Name,
        }));
    }

    private static void Pool(OnnxNode n)
    {
        if (n.OpType == "LpPool") RequireDefault(n, "p", 2, "p=2 (WebNN's l2Pool2d)");
        var x = Image(n);
        if (!n.HasAttribute("kernel_shape"))
        {
            throw n.Malformed("kernel_shape is required.");
        }
        var window = SpatialInts(n, "kernel_shape", 1);
        var strides = SpatialInts(n, "strides", 1);
        var dilations = SpatialInts(n, "dilations", 1);
        int[] inputSize = x.Shape[2..];
        var padding = Padding(n, inputSize, window, strides, dilations);
        bool ceil = n.Int("ceil_mode", 0) != 0;
        if (n.OpType == "AveragePool" && n.Int("count_include_pad", 0) != 0 && padding.Any(p => p != 0))
        {
            // WebNN's average counts only input elements: padding with explicit zeros makes them count.
            x = n.Builder.Pad(x, [0, 0, padding[0], padding[2]], [0, 0, padding[1], padding[3]], new MLPadOptions { Label = n.Name });
            inputSize = x.Shape[2..];
            padding = [0, 0, 0, 0];
        }
        var rounding = MLRoundingType.Floor;
        if (ceil)
        {
            // ONNX's ceil mode drops a last window that would start in the end padding; WebNN's ceiling keeps it.
            bool anyDropped = false, anyCeiling = false;
            for (int i = 0; i < 2; i++)
            {
                int span = inputSize[i] + padding[2 * i] + padding[2 * i + 1] - ((window[i] - 1) * dilations[i] + 1);
                int floorSize = span / strides[i] + 1, ceilSize = (span + strides[i] - 1) / strides[i] + 1;
                bool dropped = ceilSize > floorSize && (ceilSize - 1) * strides[i] >= inputSize[i] + padding[2 * i];
                anyDropped |= dropped;
                anyCeiling |= ceilSize > floorSize && !dropped;
            }
            if (anyDropped && anyCeiling)
            {
                throw n.Unsupported("ceil_mode=1 rounds one spatial axis up and the other down here, which WebNN's single rounding cannot express.");
            }
            rounding = anyCeiling ? MLRoundingType.Ceil : MLRoundingType.Floor;
        }
        var options = new MLPool2dOptions
        {
            WindowDimensions = window, Padding = padding, Strides = strides, Dilations = dilations,
            OutputShapeRounding = rounding, Label = n.Name,
        };
        ImageOutput(n, n.OpType switch
        {
            "MaxPool" => n.Builder.MaxPool2d(x, options),
            "AveragePool" => n.Builder.AveragePool2d(x, options),
            _ => n.Builder.L2Pool2d(x, options),
        });
    }

    private static void BatchNormalization(OnnxNode n)
    {
        if (n.Int("training_mode", 0) != 0 || n.Int("is_test", 1) == 0)
        {
            throw n.Unsupported("training mode is not supported; only inference (running mean and variance) is.");
        }
        if (n.Int("spatial", 1) == 0)
        {
            throw n.Unsupported("spatial=0 (per-element statistics) is not supported.");
        }
        n.Output(n.Builder.BatchNormalization(n.Input(0), n.Input(3), n.Input(4), new MLBatchNormalizationOptions
        {
            Scale = n.Input(1), Bias = n.Input(2), Axis = 1, Epsilon = n.Float("epsilon", 1e-5f), Label = n.Name,
        }));
    }

    private static void LayerNormalization(OnnxNode n)
    {
        var x = n.Input(0);
        int axis = n.Axis(n.Int("axis", -1), x.Rank, "axis");
        n.Output(n.Builder.LayerNormalization(x, new MLLayerNormalizationOptions
        {
            Scale = n.Input(1), Bias = n.HasInput(2) ? n.Input(2) : null, Axes = [.. Enumerable.Range(axis, x.Rank - axis)],
            Epsilon = n.Float("epsilon", 1e-5f), Label = n.Name,
        }));
    }

    /// <summary>
    /// GroupNormalization: the channels in num_groups groups, each normalized over its channels and spatial positions
    /// (a layerNormalization of [N, groups, rest]), then scaled and shifted per channel. Opsets 18 to 20 give scale and
    /// bias per group, which then apply to each of the group's channels.
    /// </summary>
    private static void GroupNormalization(OnnxNode n)
    {
        var b = n.Builder;
        var x = n.Input(0);
        int[] shape = x.Shape;
        int groups = checked((int)n.Int("num_groups", 0));
        if (shape.Length < 2 || groups < 1 || shape[1] % groups != 0)
        {
            throw n.Malformed($"num_groups ({groups}) must be positive and divide the channels of {x}.");
        }
        var grouped = b.Reshape(x, [shape[0], groups, (int)(Shapes.ElementCount(shape) / shape[0] / groups)], n.Options);
        var normalized = b.Reshape(b.LayerNormalization(grouped, new MLLayerNormalizationOptions { Axes = [2], Epsilon = n.Float("epsilon", 1e-5f), Label = n.Name }), shape, n.Options);
        // Scale and bias along the channels: [1, C, 1, ...].
        int[] channelShape = [1, shape[1], .. Enumerable.Repeat(1, shape.Length - 2)];
        MLOperand PerChannel(int input)
        {
            var values = n.Input(input);
            if (n.OpsetVersion < 21)
            {
                values = b.Expand(b.Reshape(values, [groups, 1], n.Options), [groups, shape[1] / groups], n.Options);
            }
            return b.Reshape(values, channelShape, n.Options);
        }
        n.Output(b.Add(b.Mul(normalized, PerChannel(1), n.Options), PerChannel(2), n.Options));
    }

    /// <summary>LpNormalization: x / ‖x‖ₚ along axis for p 1 or 2, a zero vector staying zero (the norm is kept above the smallest normal number).</summary>
    private static void LpNormalization(OnnxNode n)
    {
        var b = n.Builder;
        var x = n.Input(0);
        var options = new MLReduceOptions { Axes = [n.Axis(n.Int("axis", -1), x.Rank, "axis")], KeepDimensions = true, Label = n.Name };
        var norm = n.Int("p", 2) switch
        {
            1 => b.ReduceL1(x, options),
            2 => b.ReduceL2(x, options),
            var p => throw n.Unsupported($"p={p} is not supported; ONNX defines LpNormalization for p 1 and 2."),
        };
        double smallestNormal = x.DataType == MLOperandDataType.Float16 ? 6.103515625e-05 : 1.1754943508222875e-38;
        n.Output(b.Div(x, b.Max(norm, b.Constant(x.DataType, smallestNormal), n.Options), n.Options));
    }

    private static void Gemm(OnnxNode n)
    {
        n.Output(n.Builder.Gemm(n.Input(0), n.Input(1), new MLGemmOptions
        {
            C = n.HasInput(2) ? n.Input(2) : null,
            Alpha = n.Float("alpha", 1), Beta = n.Float("beta", 1),
            ATranspose = n.Int("transA", 0) != 0, BTranspose = n.Int("transB", 0) != 0,
            Label = n.Name,
        }));
    }

    private static void MatMul(OnnxNode n)
    {
        // numpy's rule for 1-D operands: a vector becomes a 1×K row or K×1 column, and that dimension is dropped after.
        var a = n.Input(0);
        var b = n.Input(1);
        int[] aShape = a.Shape, bShape = b.Shape;
        if (aShape.Length == 1) a = n.Builder.Reshape(a, [1, aShape[0]], n.Options);
        if (bShape.Length == 1) b = n.Builder.Reshape(b, [bShape[0], 1], n.Options);
        var product = n.Builder.Matmul(a, b, n.Options);
        if (aShape.Length > 1 && bShape.Length > 1)
        {
            n.Output(product);
            return;
        }
        int[] shape = product.Shape;
        int[] squeezed = [.. shape[..^2], .. aShape.Length == 1 ? [] : new[] { shape[^2] }, .. bShape.Length == 1 ? [] : new[] { shape[^1] }];
        n.Output(n.Builder.Reshape(product, squeezed, n.Options));
    }

    /// <summary>
    /// Einsum of one or two operands, without ellipsis, broadcasting or a label repeated within one operand (a diagonal).
    /// Labels that one operand has and nothing else does are summed away first. For two operands, the labels both have
    /// and the output keeps are the batch, those both have and the output lacks are contracted, and each operand's own
    /// are its rows or columns: transposes and reshapes to [batch, M, K] · [batch, K, N], one matmul, then a reshape and
    /// a transpose to the output's order.
    /// </summary>
    private static void Einsum(OnnxNode n)
    {
        var b = n.Builder;
        string equation = n.String("equation", "").Replace(" ", "", StringComparison.Ordinal);
        int arrow = equation.IndexOf("->", StringComparison.Ordinal);
        string[] terms = (arrow < 0 ? equation : equation[..arrow]).Split(',');
        if (equation.Contains('.', StringComparison.Ordinal) || terms.Length is not (1 or 2))
        {
            throw n.Unsupported($"equation '{equation}' is not supported; only one or two operands without ellipsis are.");
        }
        // Without "->" the output is every label that appears once, in alphabetical order.
        string output = arrow >= 0 ? equation[(arrow + 2)..]
            : new string([.. string.Concat(terms).GroupBy(c => c).Where(g => g.Count() == 1).Select(g => g.Key).Order()]);
        var operands = new MLOperand[terms.Length];
        var sizes = new Dictionary<char, int>();
        for (int t = 0; t < terms.Length; t++)
        {
            operands[t] = n.Input(t);
            if (terms[t].Length != operands[t].Rank || terms[t].Distinct().Count() != terms[t].Length || !terms[t].All(char.IsAsciiLetter))
            {
                throw n.Unsupported($"term '{terms[t]}' must name each of the {operands[t].Rank} dimensions of {operands[t]} by its own letter (repeated labels, diagonals, are not supported).");
            }
            for (int i = 0; i < terms[t].Length; i++)
            {
                int size = operands[t].Shape[i];
                if (sizes.TryGetValue(terms[t][i], out int known) && known != size)
                {
                    throw n.Unsupported($"label '{terms[t][i]}' has sizes {known} and {size}; broadcasting is not supported.");
                }
                sizes[terms[t][i]] = size;
            }
        }
        if (output.Distinct().Count() != output.Length || !output.All(sizes.ContainsKey))
        {
            throw n.Malformed($"the output '{output}' of equation '{equation}' repeats a label or names one no operand has.");
        }
        int[] Sizes(string labels) => [.. labels.Select(c => sizes[c])];
        MLOperand Arrange(MLOperand x, string labels, string order) =>
            b.Transpose(x, new MLTransposeOptions { Permutation = [.. order.Select(c => labels.IndexOf(c, StringComparison.Ordinal))], Label = n.Name });
        // Sums the labels of term t that neither the output nor the other term has.
        (MLOperand, string) SumOwn(int t)
        {
            string other = output + (terms.Length == 2 ? terms[1 - t] : "");
            int[] summed = [.. Enumerable.Range(0, terms[t].Length).Where(i => !other.Contains(terms[t][i], StringComparison.Ordinal))];
            return summed.Length == 0 ? (operands[t], terms[t])
                : (b.ReduceSum(operands[t], new MLReduceOptions { Axes = summed, Label = n.Name }), new string([.. terms[t].Where(c => other.Contains(c, StringComparison.Ordinal))]));
        }
        var (x, xLabels) = SumOwn(0);
        if (terms.Length == 1)
        {
            n.Output(Arrange(x, xLabels, output));
            return;
        }
        var (y, yLabels) = SumOwn(1);
        string shared = new([.. xLabels.Where(c => yLabels.Contains(c, StringComparison.Ordinal))]);
        string batch = new([.. shared.Where(c => output.Contains(c, StringComparison.Ordinal))]);
        string contracted = new([.. shared.Where(c => !output.Contains(c, StringComparison.Ordinal))]);
        string rows = new([.. xLabels.Where(c => !shared.Contains(c, StringComparison.Ordinal))]);
        string columns = new([.. yLabels.Where(c => !shared.Contains(c, StringComparison.Ordinal))]);
        int Count(string labels) => (int)Shapes.ElementCount(Sizes(labels));
        var left = b.Reshape(Arrange(x, xLabels, batch + rows + contracted), [Count(batch), Count(rows), Count(contracted)], n.Options);
        var right = b.Reshape(Arrange(y, yLabels, batch + contracted + columns), [Count(batch), Count(contracted), Count(columns)], n.Options);
        var product = b.Reshape(b.Matmul(left, right, n.Options), Sizes(batch + rows + columns), n.Options);
        n.Output(Arrange(product, batch + rows + columns, output));
    }

    private static void Dropout(OnnxNode n)
    {
        if (n.HasInput(2) && n.RequiredConstant(2, "training_mode").ToInt64s().Single() != 0)
        {
            throw n.Unsupported("training_mode=true is not supported; only inference, where dropout passes its input through, is.");
        }
        Alias(n, 0);
    }

    private static void Constant(OnnxNode n)
    {
        if (n.Tensor("value") is { } tensor) n.Output(ConstantTensor.FromProto(tensor, n.Name, n.OpType));
        else if (n.HasAttribute("value_float")) n.Output(FloatConstant([n.Float("value_float", 0)], []));
        else if (n.Floats("value_floats") is { } floats) n.Output(FloatConstant(floats, [floats.Length]));
        else if (n.HasAttribute("value_int")) n.Output(ConstantTensor.FromInt64s([n.Int("value_int", 0)]));
        else if (n.Ints("value_ints") is { } ints) n.Output(ConstantTensor.FromInt64s(ints, ints.Length));
        else throw n.Unsupported("it has no value attribute the importer reads (value, value_float(s), value_int(s)).");
    }

    private static ConstantTensor FloatConstant(float[] values, int[] shape) =>
        new(MLOperandDataType.Float32, shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    private static void ConstantOfShape(OnnxNode n)
    {
        int[] shape = ToDimensions(n, n.RequiredConstant(0, "shape").ToInt64s());
        var value = n.Tensor("value") is { } tensor ? ConstantTensor.FromProto(tensor, n.Name, n.OpType) : FloatConstant([0], [1]);
        int size = value.DataType.ByteSize();
        var bytes = new byte[Shapes.ElementCount(shape) * size];
        for (int i = 0; i < bytes.Length; i += size)
        {
            value.Bytes.AsSpan(0, size).CopyTo(bytes.AsSpan(i));
        }
        n.Output(new ConstantTensor(value.DataType, shape, bytes));
    }

    private static int[] ToDimensions(OnnxNode n, long[] values) =>
        [.. values.Select(v => v is >= 0 and <= int.MaxValue ? (int)v : throw n.Unsupported($"dimension {v} is negative or too large."))];

    private static void Shape(OnnxNode n)
    {
        int[] shape = n.InputShape(0);
        int rank = shape.Length;
        // start and end (opset 15) clamp into [0, rank] like Python slices.
        int Clamp(long value) => (int)Math.Clamp(value < 0 ? value + rank : value, 0, rank);
        int start = Clamp(n.Int("start", 0)), end = Clamp(n.Int("end", rank));
        long[] dims = [.. shape[start..Math.Max(start, end)].Select(d => (long)d)];
        n.Output(ConstantTensor.FromInt64s(dims, dims.Length));
    }

    /// <summary>Range, folded: WebNN has no such operation, so start, limit and delta must be known while building.</summary>
    private static void Range(OnnxNode n)
    {
        var start = n.RequiredConstant(0, "start");
        double first = start.ToDoubles().Single(), limit = n.RequiredConstant(1, "limit").ToDoubles().Single(), delta = n.RequiredConstant(2, "delta").ToDoubles().Single();
        if (delta == 0)
        {
            throw n.Malformed("delta is 0.");
        }
        long count = Math.Max((long)Math.Ceiling((limit - first) / delta), 0);
        if (count > int.MaxValue)
        {
            throw n.Unsupported($"it would hold {count} values.");
        }
        // Integer ranges are exact in int64; floating-point ones are start + i·delta, as ONNX defines them.
        long integerStart = (long)first, integerDelta = (long)delta;
        var range = start.DataType.IsFloatingPoint()
            ? FloatConstant([.. Enumerable.Range(0, (int)count).Select(i => (float)(first + i * delta))], [(int)count])
            : ConstantTensor.FromInt64s([.. Enumerable.Range(0, (int)count).Select(i => integerStart + i * integerDelta)], (int)count);
        n.Output(range.Cast(start.DataType));
    }

    private static void Reshape(OnnxNode n)
    {
        int[] inputShape = n.InputShape(0);
        // Reshape-1 took the shape as an attribute; opset 5 made it an input.
        long[] requested = n.RequiredConstant(1, "shape").ToInt64s();
        bool allowZero = n.Int("allowzero", 0) != 0;
        var shape = new int[requested.Length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            long d = requested[i];
            if (d == -1)
            {
                if (inferred >= 0) throw n.Malformed("the shape has more than one -1.");
                inferred = i;
                continue;
            }
            shape[i] = d == 0 && !allowZero ? (i < inputShape.Length ? inputShape[i] : throw n.Malformed($"0 at dimension {i} copies an input dimension that does not exist."))
                : ToDimensions(n, [d])[0];
            known *= shape[i];
        }
        long count = Shapes.ElementCount(inputShape);
        if (inferred >= 0)
        {
            if (known == 0 || count % known != 0) throw n.Malformed($"[{string.Join(",", requested)}] cannot hold the {count} elements of the input.");
            shape[inferred] = (int)(count / known);
        }
        ReshapeTo(n, shape);
    }

    /// <summary>The input under <paramref name="shape"/>: folded for a constant, a WebNN reshape otherwise.</summary>
    private static void ReshapeTo(OnnxNode n, int[] shape)
    {
        if (Shapes.ElementCount(shape) != Shapes.ElementCount(n.InputShape(0)))
        {
            throw n.Malformed($"shape {Shapes.Format(shape)} does not hold the {Shapes.ElementCount(n.InputShape(0))} elements of the input.");
        }
        if (n.ConstantInput(0) is { } constant) n.Output(constant.Reshape(shape));
        else n.Output(n.Builder.Reshape(n.Input(0), shape, n.Options));
    }

    private static void Flatten(OnnxNode n)
    {
        int[] shape = n.InputShape(0);
        // axis may equal the rank (everything in the first dimension).
        long axis = n.Int("axis", 1);
        ReshapeTo(n, FlattenShape(shape, axis == shape.Length ? shape.Length : n.Axis(axis, shape.Length, "axis")));
    }

    /// <summary>The axes of Squeeze and Unsqueeze: an attribute before opset 13, an input from it; null when absent.</summary>
    private static long[]? AxesOf(OnnxNode n, long inputFromOpset)
    {
        if (n.OpsetVersion < inputFromOpset) return n.Ints("axes");
        return n.HasInput(1) ? n.RequiredConstant(1, "axes").ToInt64s() : null;
    }

    private static void Unsqueeze(OnnxNode n)
    {
        int[] shape = n.InputShape(0);
        var axes = AxesOf(n, 13) ?? throw n.Malformed("axes are required.");
        int rank = shape.Length + axes.Length;
        var inserted = axes.Select(a => n.Axis(a, rank, "axis")).ToHashSet();
        var result = new int[rank];
        for (int i = 0, j = 0; i < rank; i++)
        {
            result[i] = inserted.Contains(i) ? 1 : shape[j++];
        }
        ReshapeTo(n, result);
    }

    private static void Squeeze(OnnxNode n)
    {
        int[] shape = n.InputShape(0);
        var axes = AxesOf(n, 13)?.Select(a => n.Axis(a, shape.Length, "axis")).ToHashSet();
        ReshapeTo(n, [.. shape.Where((d, i) => axes is null ? d != 1 : !axes.Contains(i))]);
    }

    private static void Concat(OnnxNode n)
    {
        int rank = n.InputShape(0).Length;
        int axis = n.Axis(n.Int("axis", 0), rank, "axis");
        var constants = Enumerable.Range(0, n.InputCount).Select(n.ConstantInput).ToList();
        if (constants.All(c => c is not null))
        {
            n.Output(ConstantTensor.Concat(constants!, axis));
            return;
        }
        n.Output(n.Builder.Concat([.. Enumerable.Range(0, n.InputCount).Select(n.Input)], axis, n.Options));
    }

    private static void Gather(OnnxNode n)
    {
        int[] shape = n.InputShape(0);
        int axis = n.Axis(n.Int("axis", 0), shape.Length, "axis");
        if (n.ConstantInput(1) is { } indices)
        {
            // ONNX counts negative indices from the end; WebNN's gather wants them in range.
            long[] values = indices.ToInt64s();
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] < -shape[axis] || values[i] >= shape[axis])
                {
                    throw n.Malformed($"index {values[i]} is outside [{-shape[axis]}, {shape[axis]}).");
                }
                values[i] = values[i] < 0 ? values[i] + shape[axis] : values[i];
            }
            if (n.ConstantInput(0) is { } data)
            {
                n.Output(data.Gather(values, indices.Shape, axis));
                return;
            }
            var normalized = ConstantTensor.FromInt64s(values, indices.Shape);
            var indexOperand = n.Builder.Constant(normalized.Descriptor, normalized.Bytes.AsSpan());
            n.Output(n.Builder.Gather(n.Input(0), indexOperand, new MLGatherOptions { Axis = axis, Label = n.Name }));
            return;
        }
        n.Output(n.Builder.Gather(n.Input(0), n.Input(1), new MLGatherOptions { Axis = axis, Label = n.Name }));
    }

    private static void Split(OnnxNode n)
    {
        var x = n.Input(0);
        int axis = n.Axis(n.Int("axis", 0), x.Rank, "axis");
        int size = x.Shape[axis];
        // The sizes: an attribute before opset 13, an input from it; else equal parts, one per output (the last smaller
        // when num_outputs does not divide the axis, from opset 18).
        long[]? sizes = n.OpsetVersion < 13 ? n.Ints("split") : n.HasInput(1) ? n.RequiredConstant(1, "split").ToInt64s() : null;
        int[] splits;
        if (sizes is not null)
        {
            splits = ToDimensions(n, sizes);
        }
        else
        {
            int parts = n.OutputCount, part = (size + parts - 1) / parts;
            splits = [.. Enumerable.Range(0, parts).Select(i => Math.Min(part, size - i * part))];
        }
        if (splits.Length != n.OutputCount || splits.Sum() != size)
        {
            throw n.Malformed($"the split sizes [{string.Join(",", splits)}] must be one per output ({n.OutputCount}) and add up to dimension {axis} ({size}).");
        }
        var outputs = n.Builder.Split(x, splits, new MLSplitOptions { Axis = axis, Label = n.Name });
        for (int i = 0; i < outputs.Length; i++)
        {
            n.Output(outputs[i], i);
        }
    }

    private static void Cast(OnnxNode n)
    {
        var target = (TensorProto.Types.DataType)n.Int("to", 0);
        var dataType = ConstantTensor.WebNNType(target) ?? throw n.Unsupported($"casting to {target} is not supported; WebNN has no such data type.");
        if (n.ConstantInput(0) is { } constant) n.Output(constant.Cast(dataType));
        else n.Output(n.Builder.Cast(n.Input(0), dataType, n.Options));
    }

    private static void Slice(OnnxNode n)
    {
        int[] shape = n.InputShape(0);
        long[] starts, ends, axes, steps;
        if (n.OpsetVersion < 10)
        {
            starts = n.Ints("starts") ?? throw n.Malformed("starts is required.");
            ends = n.Ints("ends") ?? throw n.Malformed("ends is required.");
            axes = n.Ints("axes") ?? [.. Enumerable.Range(0, starts.Length).Select(i => (long)i)];
            steps = [.. starts.Select(_ => 1L)];
        }
        else
        {
            starts = n.RequiredConstant(1, "starts").ToInt64s();
            ends = n.RequiredConstant(2, "ends").ToInt64s();
            axes = n.HasInput(3) ? n.RequiredConstant(3, "axes").ToInt64s() : [.. Enumerable.Range(0, starts.Length).Select(i => (long)i)];
            steps = n.HasInput(4) ? n.RequiredConstant(4, "steps").ToInt64s() : [.. starts.Select(_ => 1L)];
        }
        var begin = new int[shape.Length];
        var sizes = (int[])shape.Clone();
        var strides = Enumerable.Repeat(1, shape.Length).ToArray();
        for (int i = 0; i < axes.Length; i++)
        {
            int axis = n.Axis(axes[i], shape.Length, "axis");
            long dim = shape[axis], step = steps[i];
            if (step <= 0)
            {
                throw n.Unsupported($"step {step} on axis {axis} is not supported; only positive steps are.");
            }
            // Python slice rules: negative from the end, then clamped into [0, dim].
            long start = Math.Clamp(starts[i] < 0 ? starts[i] + dim : starts[i], 0, dim);
            long end = Math.Clamp(ends[i] < 0 ? ends[i] + dim : ends[i], 0, dim);
            begin[axis] = (int)start;
            sizes[axis] = (int)Math.Max(0, end - start);
            strides[axis] = (int)step;
        }
        if (n.ConstantInput(0) is { } constant)
        {
            n.Output(constant.Slice(begin, sizes, strides));
            return;
        }
        n.Output(n.Builder.Slice(n.Input(0), begin, sizes, new MLSliceOptions { Strides = strides, Label = n.Name }));
    }

    private static void Expand(OnnxNode n)
    {
        var x = n.Input(0);
        long[] requested = n.RequiredConstant(1, "shape").ToInt64s();
        // ONNX's expand broadcasts both ways: a 1 in the requested shape keeps the input's dimension.
        var shape = Broadcasting.Bidirectional(x.Shape, ToDimensions(n, requested))
            ?? throw n.Malformed($"{x} does not broadcast to [{string.Join(",", requested)}].");
        n.Output(n.Builder.Expand(x, shape, n.Options));
    }

    private static void Pad(OnnxNode n)
    {
        var x = n.Input(0);
        int rank = x.Rank;
        long[] pads;
        double value;
        if (n.OpsetVersion < 11)
        {
            pads = n.Ints("pads") ?? throw n.Malformed("pads is required.");
            value = n.Float("value", 0);
        }
        else
        {
            pads = n.RequiredConstant(1, "pads").ToInt64s();
            value = n.HasInput(2) ? n.RequiredConstant(2, "constant_value").ToDoubles().Single() : 0;
            if (n.HasInput(3))
            {
                // Opset 18's axes: pads then cover only these axes.
                long[] axes = n.RequiredConstant(3, "axes").ToInt64s();
                var full = new long[2 * rank];
                for (int i = 0; i < axes.Length; i++)
                {
                    int axis = n.Axis(axes[i], rank, "axis");
                    (full[axis], full[rank + axis]) = (pads[i], pads[axes.Length + i]);
                }
                pads = full;
            }
        }
        if (pads.Length != 2 * rank || pads.Any(p => p < 0))
        {
            throw n.Unsupported($"pads [{string.Join(",", pads)}] must hold 2×{rank} non-negative values; negative pads (cropping) are not supported.");
        }
        var mode = n.String("mode", "constant") switch
        {
            "constant" => MLPaddingMode.Constant,
            "edge" => MLPaddingMode.Edge,
            "reflect" => MLPaddingMode.Reflection,
            var other => throw n.Unsupported($"mode '{other}' is not supported; constant, edge and reflect are."),
        };
        n.Output(n.Builder.Pad(x, [.. pads[..rank].Select(p => (int)p)], [.. pads[rank..].Select(p => (int)p)],
            new MLPadOptions { Mode = mode, Value = value, Label = n.Name }));
    }

    /// <summary>
    /// Resize (and the older Upsample) of the two spatial axes of an NCHW tensor onto resample2d, for the coordinate
    /// rules WebNN's resample2d computes: linear with half_pixel, nearest with half_pixel and round_prefer_floor, and
    /// nearest with asymmetric and floor when the scales are whole numbers (the same samples then).
    /// </summary>
    private static void Resize(OnnxNode n)
    {
        var x = n.Input(0);
        if (x.Rank != 4)
        {
            throw n.Unsupported($"only rank-4 (NCHW) inputs are supported; the input is {x}.");
        }
        bool upsample = n.OpType == "Upsample";
        // Upsample and Resize-10 sample asymmetrically with floor; Resize-11 changed the defaults.
        bool legacy = upsample || n.OpsetVersion < 11;
        string mode = n.String("mode", "nearest");
        string transform = legacy ? "asymmetric" : n.String("coordinate_transformation_mode", "half_pixel");
        string nearestMode = legacy ? "floor" : n.String("nearest_mode", "round_prefer_floor");
        if (n.Int("antialias", 0) != 0 || n.Int("exclude_outside", 0) != 0 || n.HasAttribute("axes") || n.String("keep_aspect_ratio_policy", "stretch") != "stretch")
        {
            throw n.Unsupported("antialias, exclude_outside, axes and keep_aspect_ratio_policy are not supported (only their defaults are).");
        }
        float[]? scales = null;
        int[]? sizes = null;
        int scalesInput = legacy ? 1 : 2;
        if (upsample && n.OpsetVersion < 9)
        {
            scales = n.Floats("scales") ?? throw n.Malformed("scales is required.");
        }
        else if (n.ConstantInput(scalesInput) is { ElementCount: > 0 } scaleTensor)
        {
            scales = [.. scaleTensor.ToDoubles().Select(s => (float)s)];
        }
        else if (!legacy && n.HasInput(3))
        {
            sizes = ToDimensions(n, n.RequiredConstant(3, "sizes").ToInt64s());
        }
        else
        {
            throw n.Unsupported("neither constant scales nor constant sizes are given.");
        }
        int[] shape = x.Shape;
        if ((scales is not null && (scales.Length != 4 || scales[0] != 1 || scales[1] != 1)) || (sizes is not null && (sizes.Length != 4 || sizes[0] != shape[0] || sizes[1] != shape[1])))
        {
            throw n.Unsupported("only the two spatial axes (H, W of NCHW) may be resized.");
        }
        bool wholeScales = scales is not null ? scales[2..].All(s => s >= 1 && s == MathF.Floor(s)) : sizes![2] % shape[2] == 0 && sizes[3] % shape[3] == 0;
        // pytorch_half_pixel differs from half_pixel only where an output dimension is 1.
        bool outputsAboveOne = sizes is not null ? sizes[2] > 1 && sizes[3] > 1 : Math.Floor(shape[2] * scales![2]) > 1 && Math.Floor(shape[3] * scales[3]) > 1;
        var interpolation = (mode, transform, nearestMode) switch
        {
            ("linear" or "bilinear", "half_pixel", _) => MLInterpolationMode.Linear,
            ("linear" or "bilinear", "pytorch_half_pixel", _) when outputsAboveOne => MLInterpolationMode.Linear,
            ("nearest", "half_pixel", "round_prefer_floor") => MLInterpolationMode.NearestNeighbor,
            ("nearest", "asymmetric", "floor") when wholeScales => MLInterpolationMode.NearestNeighbor,
            _ => throw n.Unsupported($"mode '{mode}' with coordinate_transformation_mode '{transform}'{(mode == "nearest" ? $" and nearest_mode '{nearestMode}'" : "")} is not supported; WebNN's resample2d samples like linear/half_pixel, nearest/half_pixel/round_prefer_floor, or nearest/asymmetric/floor with whole scales."),
        };
        n.Output(n.Builder.Resample2d(x, new MLResample2dOptions
        {
            Mode = interpolation, Scales = scales?[2..], Sizes = sizes?[2..], Axes = [2, 3], Label = n.Name,
        }));
    }

    private static void Reduce(OnnxNode n, Func<MLGraphBuilder, MLOperand, MLReduceOptions, MLOperand> reduce)
    {
        var x = n.Input(0);
        // Opset 18 (13 for ReduceSum) moved axes from an attribute to an input.
        long[]? axes = n.OpsetVersion < (n.OpType == "ReduceSum" ? 13 : 18) ? n.Ints("axes")
            : n.HasInput(1) ? n.RequiredConstant(1, "axes").ToInt64s() : null;
        if (axes is { Length: 0 }) axes = null;
        if (axes is null && n.Int("noop_with_empty_axes", 0) != 0)
        {
            n.Output(n.Builder.Identity(x, n.Options));
            return;
        }
        n.Output(reduce(n.Builder, x, new MLReduceOptions
        {
            Axes = axes?.Select(a => n.Axis(a, x.Rank, "axis")).ToArray(),
            KeepDimensions = n.Int("keepdims", 1) != 0,
            Label = n.Name,
        }));
    }

    private static void ArgMinMax(OnnxNode n, Func<MLGraphBuilder, MLOperand, int, MLArgMinMaxOptions, MLOperand> argMinMax)
    {
        if (n.Int("select_last_index", 0) != 0)
        {
            throw n.Unsupported("select_last_index=1 is not supported; WebNN picks the first of equal values.");
        }
        var x = n.Input(0);
        n.Output(argMinMax(n.Builder, x, n.Axis(n.Int("axis", 0), x.Rank, "axis"), new MLArgMinMaxOptions
        {
            KeepDimensions = n.Int("keepdims", 1) != 0, OutputDataType = MLOperandDataType.Int64, Label = n.Name,
        }));
    }

    private static void CumSum(OnnxNode n)
    {
        var x = n.Input(0);
        int axis = n.Axis(n.RequiredConstant(1, "axis").ToInt64s().Single(), x.Rank, "axis");
        n.Output(n.Builder.CumulativeSum(x, axis, new MLCumulativeSumOptions
        {
            Exclusive = n.Int("exclusive", 0) != 0, Reversed = n.Int("reverse", 0) != 0, Label = n.Name,
        }));
    }

    private static void QuantizeLinear(OnnxNode n)
    {
        RequireDefault(n, "saturate", 1, "saturate=1 (it concerns float8 outputs, which WebNN lacks)");
        // The output type is the zero point's; without one, output_dtype's (opset 21) or uint8.
        var outputType = n.HasAttribute("output_dtype")
            ? ConstantTensor.WebNNType((TensorProto.Types.DataType)n.Int("output_dtype", 0)) ?? throw n.Unsupported($"output_dtype {(TensorProto.Types.DataType)n.Int("output_dtype", 0)} has no WebNN data type.")
            : MLOperandDataType.Uint8;
        var x = n.Input(0);
        var (scale, zeroPoint) = QuantizationParameters(n, x, outputType);
        n.Output(n.Builder.QuantizeLinear(x, scale, zeroPoint, n.Options));
    }

    private static void DequantizeLinear(OnnxNode n)
    {
        var x = n.Input(0);
        var (scale, zeroPoint) = QuantizationParameters(n, x, x.DataType);
        n.Output(n.Builder.DequantizeLinear(x, scale, zeroPoint, n.Options));
    }

    /// <summary>
    /// The scale (input 1) and zero point (input 2; zeros of <paramref name="defaultZeroPointType"/> when absent) in
    /// WebNN's blockwise form, the input's rank: a per-tensor scalar becomes all ones, a per-axis vector lies along
    /// axis, and a blockwise one (block_size, opset 21) already has the input's rank.
    /// </summary>
    private static (MLOperand Scale, MLOperand ZeroPoint) QuantizationParameters(OnnxNode n, MLOperand x, MLOperandDataType defaultZeroPointType)
    {
        var scale = n.Input(1);
        int[] shape;
        if (n.Int("block_size", 0) != 0)
        {
            shape = scale.Shape;
        }
        else if (scale.Rank <= 1)
        {
            shape = Enumerable.Repeat(1, x.Rank).ToArray();
            if (scale.Rank == 1)
            {
                shape[n.Axis(n.Int("axis", 1), x.Rank, "axis")] = scale.Shape[0];
            }
        }
        else
        {
            throw n.Malformed($"the scale {scale} must be a scalar or a vector unless block_size is given.");
        }
        var zeroPoint = n.HasInput(2)
            ? n.Builder.Reshape(n.Input(2), shape, n.Options)
            : n.Builder.Constant(new MLOperandDescriptor(defaultZeroPointType, shape), new byte[Shapes.ElementCount(shape) * defaultZeroPointType.ByteSize()]);
        return (n.Builder.Reshape(scale, shape, n.Options), zeroPoint);
    }

    /// <summary>An If whose condition is known while building is its branch, built in place; WebNN graphs have no control flow.</summary>
    private static void If(OnnxNode n)
    {
        var condition = n.ConstantInput(0) ?? throw n.Unsupported(
            "its condition is computed at run time; WebNN graphs have no control flow, so only an If whose condition is known while building (a constant, or computed from constants and shapes) is supported.");
        if (condition.ElementCount != 1)
        {
            throw n.Malformed($"the condition holds {condition.ElementCount} values; it must hold one.");
        }
        string branch = condition.ToInt64s()[0] != 0 ? "then_branch" : "else_branch";
        n.OutputSubgraph(n.Graph(branch) ?? throw n.Malformed($"{branch} is required."));
    }

    private static void IsInf(OnnxNode n)
    {
        var b = n.Builder;
        var x = n.Input(0);
        bool positive = n.Int("detect_positive", 1) != 0, negative = n.Int("detect_negative", 1) != 0;
        var infinite = b.IsInfinite(x, n.Options);
        if (positive == negative)
        {
            n.Output(positive ? infinite : throw n.Unsupported("detect_negative=0 with detect_positive=0 (never true) is not supported."));
            return;
        }
        var zero = b.Constant(x.DataType, 0);
        n.Output(b.LogicalAnd(infinite, positive ? b.Greater(x, zero, n.Options) : b.Lesser(x, zero, n.Options), n.Options));
    }

    /// <summary>
    /// DepthToSpace as reshape, transpose, reshape: DCR mode reads the channels as [block row, block column, C / b²],
    /// CRD mode as [C / b², block row, block column].
    /// </summary>
    private static void DepthToSpace(OnnxNode n)
    {
        var x = n.Input(0);
        int block = BlockSize(n, x);
        int[] s = x.Shape;
        if (s[1] % (block * block) != 0)
        {
            throw n.Malformed($"the channels of {x} do not divide by blocksize² ({block * block}).");
        }
        int depth = s[1] / (block * block);
        bool dcr = n.String("mode", "DCR") switch
        {
            "DCR" => true,
            "CRD" => false,
            var other => throw n.Malformed($"mode '{other}' is not DCR or CRD."),
        };
        int[] split = dcr ? [s[0], block, block, depth, s[2], s[3]] : [s[0], depth, block, block, s[2], s[3]];
        int[] permutation = dcr ? [0, 3, 4, 1, 5, 2] : [0, 1, 4, 2, 5, 3];
        n.Output(Rearrange(n, x, split, permutation, [s[0], depth, s[2] * block, s[3] * block]));
    }

    /// <summary>SpaceToDepth, DepthToSpace's DCR inverse: each block's pixels become channels, block row first.</summary>
    private static void SpaceToDepth(OnnxNode n)
    {
        var x = n.Input(0);
        int block = BlockSize(n, x);
        int[] s = x.Shape;
        if (s[2] % block != 0 || s[3] % block != 0)
        {
            throw n.Malformed($"the height and width of {x} do not divide by blocksize ({block}).");
        }
        n.Output(Rearrange(n, x, [s[0], s[1], s[2] / block, block, s[3] / block, block], [0, 3, 5, 1, 2, 4], [s[0], s[1] * block * block, s[2] / block, s[3] / block]));
    }

    private static int BlockSize(OnnxNode n, MLOperand x)
    {
        if (x.Rank != 4)
        {
            throw n.Malformed($"the input {x} must have rank 4 (NCHW).");
        }
        long block = n.Int("blocksize", 0);
        return block is >= 1 and <= int.MaxValue ? (int)block : throw n.Malformed($"blocksize ({block}) must be positive.");
    }

    private static MLOperand Rearrange(OnnxNode n, MLOperand x, int[] split, int[] permutation, int[] shape)
    {
        var b = n.Builder;
        var transposed = b.Transpose(b.Reshape(x, split, n.Options), new MLTransposeOptions { Permutation = permutation, Label = n.Name });
        return b.Reshape(transposed, shape, n.Options);
    }

    /// <summary>
    /// What LSTM and GRU share: ONNX's W, R and initial_h are WebNN's weight, recurrentWeight and initialHiddenState
    /// (same gate orders: iofc is iofg, zrh is zrn), its B holds the bias and the recurrent bias one after the other, and
    /// its outputs Y, Y_h (and LSTM's Y_c) are WebNN's sequence, hidden (and cell) state.
    /// </summary>
    private sealed record Recurrent(MLOperand Input, MLOperand Weight, MLOperand RecurrentWeight, int Steps, int HiddenSize,
        MLOperand? Bias, MLOperand? RecurrentBias, MLOperand? InitialHiddenState, MLRecurrentNetworkDirection Direction,
        MLRecurrentNetworkActivation[] Activations, bool ReturnSequence);

    private static Recurrent RecurrentArguments(OnnxNode n, int gates, string[] defaultActivations)
    {
        RequireDefault(n, "layout", 0, "layout=0 ([sequence, batch, ...] inputs and outputs)");
        if (n.HasAttribute("clip") || n.HasAttribute("activation_alpha") || n.HasAttribute("activation_beta"))
        {
            throw n.Unsupported("clip, activation_alpha and activation_beta are not supported; WebNN's recurrent networks neither clip nor take parameterized activations.");
        }
        if (n.HasInput(4))
        {
            throw n.Unsupported("sequence_lens is not supported; every sequence of the batch runs all the steps.");
        }
        var x = n.Input(0);
        var w = n.Input(1);
        int hiddenSize = n.HasAttribute("hidden_size") ? checked((int)n.Int("hidden_size", 0)) : w.Shape[1] / gates;
        var direction = n.String("direction", "forward") switch
        {
            "forward" => MLRecurrentNetworkDirection.Forward,
            "reverse" => MLRecurrentNetworkDirection.Backward,
            "bidirectional" => MLRecurrentNetworkDirection.Both,
            var other => throw n.Malformed($"direction '{other}' is not forward, reverse or bidirectional."),
        };
        // ONNX lists the activations per direction; WebNN applies one list to both.
        string[] names = n.Strings("activations") ?? defaultActivations;
        int count = defaultActivations.Length;
        if (names.Length == 2 * count && names[..count].SequenceEqual(names[count..], StringComparer.OrdinalIgnoreCase))
        {
            names = names[..count];
        }
        if (names.Length != count)
        {
            throw n.Unsupported($"activations [{string.Join(", ", names)}] must be {count} names, the same for both directions.");
        }
        MLRecurrentNetworkActivation[] activations = [.. names.Select(name => name.ToLowerInvariant() switch
        {
            "sigmoid" => MLRecurrentNetworkActivation.Sigmoid,
            "tanh" => MLRecurrentNetworkActivation.Tanh,
            "relu" => MLRecurrentNetworkActivation.Relu,
            _ => throw n.Unsupported($"activation '{name}' is not supported; WebNN's recurrent networks take Sigmoid, Tanh and Relu."),
        })];
        MLOperand? bias = null, recurrentBias = null;
        if (n.HasInput(3))
        {
            var biases = n.Builder.Split(n.Input(3), 2, new MLSplitOptions { Axis = 1, Label = n.Name });
            (bias, recurrentBias) = (biases[0], biases[1]);
        }
        return new Recurrent(x, w, n.Input(2), x.Shape[0], hiddenSize, bias, recurrentBias, n.HasInput(5) ? n.Input(5) : null,
            direction, activations, n.HasOutput(0));
    }

    private static void Lstm(OnnxNode n)
    {
        RequireDefault(n, "input_forget", 0, "input_forget=0 (no coupled input and forget gates)");
        if (n.HasInput(7))
        {
            throw n.Unsupported("peephole weights (P) are not supported: ONNX's output gate peeks at the new cell state, WebNN's lstm at the previous one.");
        }
        var r = RecurrentArguments(n, 4, ["Sigmoid", "Tanh", "Tanh"]);
        var outputs = n.Builder.Lstm(r.Input, r.Weight, r.RecurrentWeight, r.Steps, r.HiddenSize, new MLLstmOptions
        {
            Bias = r.Bias, RecurrentBias = r.RecurrentBias, InitialHiddenState = r.InitialHiddenState,
            InitialCellState = n.HasInput(6) ? n.Input(6) : null,
            ReturnSequence = r.ReturnSequence, Direction = r.Direction, Layout = MLLstmWeightLayout.Iofg, Activations = r.Activations, Label = n.Name,
        });
        RecurrentOutputs(n, outputs[0], outputs[1], r.ReturnSequence ? outputs[2] : null);
    }

    private static void Gru(OnnxNode n)
    {
        var r = RecurrentArguments(n, 3, ["Sigmoid", "Tanh"]);
        var outputs = n.Builder.Gru(r.Input, r.Weight, r.RecurrentWeight, r.Steps, r.HiddenSize, new MLGruOptions
        {
            Bias = r.Bias, RecurrentBias = r.RecurrentBias, InitialHiddenState = r.InitialHiddenState,
            // linear_before_reset applies the reset gate after the recurrent product, as WebNN's resetAfter does.
            ResetAfter = n.Int("linear_before_reset", 0) != 0,
            ReturnSequence = r.ReturnSequence, Direction = r.Direction, Layout = MLGruWeightLayout.Zrn, Activations = r.Activations, Label = n.Name,
        });
        RecurrentOutputs(n, outputs[0], null, r.ReturnSequence ? outputs[1] : null);
    }

    /// <summary>Y, Y_h and Y_c where the node wants them.</summary>
    private static void RecurrentOutputs(OnnxNode n, MLOperand hidden, MLOperand? cell, MLOperand? sequence)
    {
        if (sequence is not null) n.Output(sequence, 0);
        if (n.HasOutput(1)) n.Output(hidden, 1);
        if (cell is not null && n.HasOutput(2)) n.Output(cell, 2);
    }
}
