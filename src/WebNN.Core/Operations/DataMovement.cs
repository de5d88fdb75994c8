using WebNN.Graph;
using WebNN.Validation;

namespace WebNN;

/// <summary>How <see cref="MLGraphBuilder.Pad"/> fills the border (spec: <c>MLPaddingMode</c>).</summary>
public enum MLPaddingMode
{
    /// <summary>With <see cref="MLPadOptions.Value"/>.</summary>
    Constant,
    /// <summary>With the nearest edge value.</summary>
    Edge,
    /// <summary>With values mirrored about the edge (the edge not repeated).</summary>
    Reflection,
}

/// <summary>Options of <see cref="MLGraphBuilder.Pad"/> (spec: <c>MLPadOptions</c>).</summary>
public sealed class MLPadOptions : MLOperatorOptions
{
    /// <summary>The padding mode; default constant.</summary>
    public MLPaddingMode Mode { get; init; } = MLPaddingMode.Constant;

    /// <summary>The constant fill value; default 0.</summary>
    public MLNumber Value { get; init; } = 0;
}

/// <summary>Options of <see cref="MLGraphBuilder.Gather"/> and friends (spec: <c>MLGatherOptions</c>).</summary>
public sealed class MLGatherOptions : MLOperatorOptions
{
    /// <summary>The axis indices select along; default 0.</summary>
    public int Axis { get; init; }
}

/// <summary>Options of <see cref="MLGraphBuilder.ScatterElements"/> (spec: <c>MLScatterOptions</c>).</summary>
public sealed class MLScatterOptions : MLOperatorOptions
{
    /// <summary>The axis indices select along; default 0.</summary>
    public int Axis { get; init; }
}

/// <summary>Options of <see cref="MLGraphBuilder.Reverse"/> (spec: <c>MLReverseOptions</c>).</summary>
public sealed class MLReverseOptions : MLOperatorOptions
{
    /// <summary>The axes to reverse; all when null.</summary>
    public int[]? Axes { get; init; }
}

/// <summary>Options of <see cref="MLGraphBuilder.Slice"/> (spec: <c>MLSliceOptions</c>).</summary>
public sealed class MLSliceOptions : MLOperatorOptions
{
    /// <summary>The step along each axis; default 1.</summary>
    public int[]? Strides { get; init; }
}

/// <summary>Options of <see cref="MLGraphBuilder.Split(MLOperand, int, MLSplitOptions?)"/> (spec: <c>MLSplitOptions</c>).</summary>
public sealed class MLSplitOptions : MLOperatorOptions
{
    /// <summary>The axis to split; default 0.</summary>
    public int Axis { get; init; }
}

/// <summary>Options of <see cref="MLGraphBuilder.Transpose"/> (spec: <c>MLTransposeOptions</c>).</summary>
public sealed class MLTransposeOptions : MLOperatorOptions
{
    /// <summary>Output dimension i is input dimension Permutation[i]; default the reversed axes.</summary>
    public int[]? Permutation { get; init; }
}

/// <summary>Options of <see cref="MLGraphBuilder.Triangular"/> (spec: <c>MLTriangularOptions</c>).</summary>
public sealed class MLTriangularOptions : MLOperatorOptions
{
    /// <summary>Keep the upper (true, default) or lower triangle.</summary>
    public bool Upper { get; init; } = true;

    /// <summary>The diagonal offset; default 0.</summary>
    public int Diagonal { get; init; }
}

/// <summary>cast's target type.</summary>
internal sealed record CastAttributes(MLOperandDataType DataType);

/// <summary>concat's axis.</summary>
internal sealed record ConcatAttributes(int Axis);

/// <summary>The axis of gather, gatherElements and scatterElements.</summary>
internal sealed record AxisAttributes(int Axis);

/// <summary>pad's resolved padding, mode and fill value (cast to the input's type when written).</summary>
internal sealed record PadAttributes(int[] BeginningPadding, int[] EndingPadding, MLPaddingMode Mode, MLNumber Value);

/// <summary>reverse's resolved axes.</summary>
internal sealed record ReverseAttributes(int[] Axes);

/// <summary>slice's starts, sizes (in input elements) and resolved strides.</summary>
internal sealed record SliceAttributes(int[] Starts, int[] Sizes, int[] Strides);

/// <summary>split's axis and the size of each output along it.</summary>
internal sealed record SplitAttributes(int Axis, int[] Sizes);

/// <summary>tile's repetitions.</summary>
internal sealed record TileAttributes(int[] Repetitions);

/// <summary>transpose's resolved permutation.</summary>
internal sealed record TransposeAttributes(int[] Permutation);

/// <summary>triangular's options.</summary>
internal sealed record TriangularAttributes(bool Upper, int Diagonal);

public sealed partial class MLGraphBuilder
{
    /// <summary>The input converted to <paramref name="dataType"/> per the spec's casting (spec: <c>cast</c>).</summary>
    public MLOperand Cast(MLOperand input, MLOperandDataType dataType, MLOperatorOptions? options = null)
    {
        string where = BeginOperator("cast", options);
        var inputs = ValidateInputs(where, "cast", ("input", Required(input, nameof(input))));
        if (!Enum.IsDefined(dataType))
        {
            throw Errors.Type(where, $"dataType ({(int)dataType}) is not an MLOperandDataType.");
        }
        return AddOperator("cast", options, inputs, new CastAttributes(dataType), dataType, input.Dimensions);
    }

    /// <summary>The inputs joined along <paramref name="axis"/> (spec: <c>concat</c>).</summary>
    public MLOperand Concat(MLOperand[] inputs, int axis, MLOperatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        string where = BeginOperator("concat", options);
        if (inputs.Length == 0 || inputs.Length > 8192)
        {
            throw Errors.Type(where, $"the number of inputs ({inputs.Length}) must be between 1 and 8192.");
        }
        var named = new (string, MLOperand?)[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            named[i] = ("inputs", Required(inputs[i], $"inputs[{i}]"));
        }
        var operatorInputs = ValidateInputs(where, "concat", named);
        var first = inputs[0];
        CheckAxis(where, "axis", axis, first.Rank);
        var outputShape = (int[])first.Dimensions.Clone();
        long size = first.Dimensions[axis];
        for (int i = 1; i < inputs.Length; i++)
        {
            var input = inputs[i];
            if (input.DataType != first.DataType)
            {
                throw Errors.Type(where, $"inputs[{i}]'s data type ({input.DataType.SpecName()}) must equal inputs[0]'s ({first.DataType.SpecName()}).");
            }
            if (input.Rank != first.Rank)
            {
                throw Errors.Type(where, $"inputs[{i}]'s rank ({input.Rank}) must equal inputs[0]'s ({first.Rank}).");
            }
            for (int d = 0; d < input.Rank; d++)
            {
                if (d != axis && input.Dimensions[d] != first.Dimensions[d])
                {
                    throw Errors.Type(where, $"inputs[{i}] shape {Shapes.Format(input.Dimensions)} must match inputs[0] shape {Shapes.Format(first.Dimensions)} except on axis {axis}.");
                }
            }
            size += input.Dimensions[axis];
        }
        outputShape[axis] = ValidDimension(where, "concatenated size", size);
        return AddOperator("concat", options, operatorInputs, new ConcatAttributes(axis), first.DataType, outputShape);
    }

    /// <summary>The input broadcast to <paramref name="newShape"/> (spec: <c>expand</c>).</summary>
    public MLOperand Expand(MLOperand input, int[] newShape, MLOperatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(newShape);
        string where = BeginOperator("expand", options);
        var inputs = ValidateInputs(where, "expand", ("input", Required(input, nameof(input))));
        var outputShape = Broadcasting.Unidirectional(input.Dimensions, newShape)
            ?? throw Errors.Type(where, $"input shape {Shapes.Format(input.Dimensions)} is not unidirectionally broadcastable to {Shapes.Format(newShape)}.");
        return AddOperator("expand", options, inputs, null, input.DataType, outputShape);
    }

    /// <summary>Slices of the input selected by <paramref name="indices"/> along an axis (spec: <c>gather</c>).</summary>
    public MLOperand Gather(MLOperand input, MLOperand indices, MLGatherOptions? options = null)
    {
        options ??= new MLGatherOptions();
        string where = BeginOperator("gather", options);
        var inputs = ValidateInputs(where, "gather", ("input", Required(input, nameof(input))), ("indices", Required(indices, nameof(indices))));
        CheckAxis(where, "axis", options.Axis, input.Rank);
        int axis = options.Axis;
        int[] outputShape = [.. input.Dimensions[..axis], .. indices.Dimensions, .. input.Dimensions[(axis + 1)..]];
        return AddOperator("gather", options, inputs, new AxisAttributes(axis), input.DataType, outputShape);
    }

    /// <summary>Elements of the input selected by <paramref name="indices"/> (same rank) along an axis (spec: <c>gatherElements</c>).</summary>
    public MLOperand GatherElements(MLOperand input, MLOperand indices, MLGatherOptions? options = null)
    {
        options ??= new MLGatherOptions();
        string where = BeginOperator("gatherElements", options);
        var inputs = ValidateInputs(where, "gatherElements", ("input", Required(input, nameof(input))), ("indices", Required(indices, nameof(indices))));
        CheckAxis(where, "axis", options.Axis, input.Rank);
        CheckShapeExceptAxis(where, "indices", indices, input, options.Axis);
        return AddOperator("gatherElements", options, inputs, new AxisAttributes(options.Axis), input.DataType, indices.Dimensions);
    }

    /// <summary>Slices of the input at the coordinates in the last dimension of <paramref name="indices"/> (spec: <c>gatherND</c>).</summary>
    public MLOperand GatherND(MLOperand input, MLOperand indices, MLOperatorOptions? options = null)
    {
        string where = BeginOperator("gatherND", options);
        var inputs = ValidateInputs(where, "gatherND", ("input", Required(input, nameof(input))), ("indices", Required(indices, nameof(indices))));
        int coordinateSize = indices.Dimensions[^1];
        if (coordinateSize > input.Rank)
        {
            throw Errors.Type(where, $"indices' last dimension ({coordinateSize}) must not exceed the input's rank ({input.Rank}).");
        }
        int[] outputShape = [.. indices.Dimensions[..^1], .. input.Dimensions[coordinateSize..]];
        return AddOperator("gatherND", options, inputs, null, input.DataType, outputShape);
    }

    /// <summary>The input with <paramref name="updates"/> written at <paramref name="indices"/> along an axis (spec: <c>scatterElements</c>).</summary>
    public MLOperand ScatterElements(MLOperand input, MLOperand indices, MLOperand updates, MLScatterOptions? options = null)
    {
        options ??= new MLScatterOptions();
        string where = BeginOperator("scatterElements", options);
        var inputs = ValidateInputs(where, "scatterElements",
            ("input", Required(input, nameof(input))), ("indices", Required(indices, nameof(indices))), ("updates", Required(updates, nameof(updates))));
        CheckAxis(where, "axis", options.Axis, input.Rank);
        CheckShapeExceptAxis(where, "indices", indices, input, options.Axis);
        if (!updates.Dimensions.AsSpan().SequenceEqual(indices.Dimensions))
        {
            throw Errors.Type(where, $"updates' shape {Shapes.Format(updates.Dimensions)} must equal indices' shape {Shapes.Format(indices.Dimensions)}.");
        }
        return AddOperator("scatterElements", options, inputs, new AxisAttributes(options.Axis), input.DataType, input.Dimensions);
    }

    /// <summary>The input with slices of <paramref name="updates"/> written at the coordinates in <paramref name="indices"/> (spec: <c>scatterND</c>).</summary>
    public MLOperand ScatterND(MLOperand input, MLOperand indices, MLOperand updates, MLOperatorOptions? options = null)
    {
        string where = BeginOperator("scatterND", options);
        var inputs = ValidateInputs(where, "scatterND",
            ("input", Required(input, nameof(input))), ("indices", Required(indices, nameof(indices))), ("updates", Required(updates, nameof(updates))));
        int coordinateSize = indices.Dimensions[^1];
        if (coordinateSize > input.Rank)
        {
            throw Errors.Type(where, $"indices' last dimension ({coordinateSize}) must not exceed the input's rank ({input.Rank}).");
        }
        int[] expectedUpdates = [.. indices.Dimensions[..^1], .. input.Dimensions[coordinateSize..]];
        if (!updates.Dimensions.AsSpan().SequenceEqual(expectedUpdates))
        {
            throw Errors.Type(where, $"updates shape {Shapes.Format(updates.Dimensions)} must be {Shapes.Format(expectedUpdates)}.");
        }
        return AddOperator("scatterND", options, inputs, null, input.DataType, input.Dimensions);
    }

    /// <summary>The input grown by padding at the beginning and end of each axis (spec: <c>pad</c>).</summary>
    public MLOperand Pad(MLOperand input, int[] beginningPadding, int[] endingPadding, MLPadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(beginningPadding);
        ArgumentNullException.ThrowIfNull(endingPadding);
        options ??= new MLPadOptions();
        string where = BeginOperator("pad", options);
        var inputs = ValidateInputs(where, "pad", ("input", Required(input, nameof(input))));
        if (beginningPadding.Length != input.Rank || endingPadding.Length != input.Rank)
        {
            throw Errors.Type(where, $"beginningPadding ({beginningPadding.Length} items) and endingPadding ({endingPadding.Length} items) must each have the input's rank ({input.Rank}) items.");
        }
        CheckNonNegative(where, "beginningPadding", beginningPadding);
        CheckNonNegative(where, "endingPadding", endingPadding);
        if (!Enum.IsDefined(options.Mode))
        {
            throw Errors.Type(where, $"mode ({options.Mode}) is not an MLPaddingMode.");
        }
        var outputShape = new int[input.Rank];
        for (int i = 0; i < input.Rank; i++)
        {
            int size = input.Dimensions[i];
            if (options.Mode == MLPaddingMode.Reflection && (beginningPadding[i] >= size || endingPadding[i] >= size))
            {
                throw Errors.Type(where, $"reflection padding on axis {i} ({beginningPadding[i]}, {endingPadding[i]}) must be smaller than the input's size there ({size}).");
            }
            outputShape[i] = ValidDimension(where, $"output size along axis {i}", (double)size + beginningPadding[i] + endingPadding[i]);
        }
        var attributes = new PadAttributes((int[])beginningPadding.Clone(), (int[])endingPadding.Clone(), options.Mode, options.Value);
        return AddOperator("pad", options, inputs, attributes, input.DataType, outputShape);
    }

    /// <summary>The input's elements in <paramref name="newShape"/> (spec: <c>reshape</c>).</summary>
    public MLOperand Reshape(MLOperand input, int[] newShape, MLOperatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(newShape);
        string where = BeginOperator("reshape", options);
        var inputs = ValidateInputs(where, "reshape", ("input", Required(input, nameof(input))));
        foreach (int dimension in newShape)
        {
            if (dimension <= 0)
            {
                throw Errors.Type(where, $"newShape {Shapes.Format(newShape)} must hold dimensions greater than zero.");
            }
        }
        if (Shapes.ElementCount(newShape) != input.ElementCount)
        {
            throw Errors.Type(where, $"newShape {Shapes.Format(newShape)} must have as many elements ({Shapes.ElementCount(newShape)}) as the input {Shapes.Format(input.Dimensions)} ({input.ElementCount}).");
        }
        return AddOperator("reshape", options, inputs, null, input.DataType, (int[])newShape.Clone());
    }

    /// <summary>The input with the order of elements reversed along the axes (spec: <c>reverse</c>).</summary>
    public MLOperand Reverse(MLOperand input, MLReverseOptions? options = null)
    {
        options ??= new MLReverseOptions();
        string where = BeginOperator("reverse", options);
        var inputs = ValidateInputs(where, "reverse", ("input", Required(input, nameof(input))));
        var axes = options.Axes is null ? Enumerable.Range(0, input.Rank).ToArray() : (int[])options.Axes.Clone();
        CheckAxes(where, "axes", axes, input.Rank);
        return AddOperator("reverse", options, inputs, new ReverseAttributes(axes), input.DataType, input.Dimensions);
    }

    /// <summary>A window of the input: <paramref name="sizes"/> elements from <paramref name="starts"/>, taking every stride-th (spec: <c>slice</c>).</summary>
    public MLOperand Slice(MLOperand input, int[] starts, int[] sizes, MLSliceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(starts);
        ArgumentNullException.ThrowIfNull(sizes);
        options ??= new MLSliceOptions();
        string where = BeginOperator("slice", options);
        var inputs = ValidateInputs(where, "slice", ("input", Required(input, nameof(input))));
        if (starts.Length != input.Rank || sizes.Length != input.Rank)
        {
            throw Errors.Type(where, $"starts ({starts.Length} items) and sizes ({sizes.Length} items) must each have the input's rank ({input.Rank}) items.");
        }
        var strides = options.Strides is null ? Enumerable.Repeat(1, input.Rank).ToArray() : (int[])options.Strides.Clone();
        if (strides.Length != input.Rank)
        {
            throw Errors.Type(where, $"strides ({strides.Length} items) must have the input's rank ({input.Rank}) items.");
        }
        CheckNonNegative(where, "starts", starts);
        var outputShape = new int[input.Rank];
        for (int i = 0; i < input.Rank; i++)
        {
            int inputSize = input.Dimensions[i];
            if (sizes[i] <= 0)
            {
                throw Errors.Type(where, $"sizes[{i}] ({sizes[i]}) must be greater than zero.");
            }
            if (strides[i] < 1)
            {
                throw Errors.Type(where, $"strides[{i}] ({strides[i]}) must be at least 1.");
            }
            if ((long)starts[i] + sizes[i] > inputSize)
            {
                throw Errors.Type(where, $"starts[{i}] + sizes[{i}] ({starts[i]} + {sizes[i]}) must not exceed the input's size along axis {i} ({inputSize}).");
            }
            outputShape[i] = sizes[i] / strides[i] + (sizes[i] % strides[i] != 0 ? 1 : 0);
        }
        return AddOperator("slice", options, inputs, new SliceAttributes((int[])starts.Clone(), (int[])sizes.Clone(), strides), input.DataType, outputShape);
    }

    /// <summary>The input cut into <paramref name="splits"/> equal parts along an axis (spec: <c>split</c> with a count).</summary>
    public MLOperand[] Split(MLOperand input, int splits, MLSplitOptions? options = null)
    {
        options ??= new MLSplitOptions();
        string where = BeginOperator("split", options);
        var inputs = ValidateInputs(where, "split", ("input", Required(input, nameof(input))));
        CheckAxis(where, "axis", options.Axis, input.Rank);
        if (splits <= 0 || splits > 8192)
        {
            throw Errors.Type(where, $"splits ({splits}) must be between 1 and 8192.");
        }
        int size = input.Dimensions[options.Axis];
        if (size % splits != 0)
        {
            throw Errors.Type(where, $"the input's size along axis {options.Axis} ({size}) must be divisible by splits ({splits}).");
        }
        return AddSplit(options, inputs, input, Enumerable.Repeat(size / splits, splits).ToArray());
    }

    /// <summary>The input cut into parts of the given sizes along an axis (spec: <c>split</c> with sizes).</summary>
    public MLOperand[] Split(MLOperand input, int[] splits, MLSplitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(splits);
        options ??= new MLSplitOptions();
        string where = BeginOperator("split", options);
        var inputs = ValidateInputs(where, "split", ("input", Required(input, nameof(input))));
        CheckAxis(where, "axis", options.Axis, input.Rank);
        if (splits.Length == 0 || splits.Length > 8192)
        {
            throw Errors.Type(where, $"the number of splits ({splits.Length}) must be between 1 and 8192.");
        }
        if (splits.Any(s => s <= 0))
        {
            throw Errors.Type(where, $"splits {Shapes.Format(splits)} must hold sizes greater than zero.");
        }
        if (splits.Sum(s => (long)s) != input.Dimensions[options.Axis])
        {
            throw Errors.Type(where, $"splits {Shapes.Format(splits)} must sum to the input's size along axis {options.Axis} ({input.Dimensions[options.Axis]}).");
        }
        return AddSplit(options, inputs, input, (int[])splits.Clone());
    }

    /// <summary>The input repeated <paramref name="repetitions"/> times along each axis (spec: <c>tile</c>).</summary>
    public MLOperand Tile(MLOperand input, int[] repetitions, MLOperatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(repetitions);
        string where = BeginOperator("tile", options);
        var inputs = ValidateInputs(where, "tile", ("input", Required(input, nameof(input))));
        if (repetitions.Length != input.Rank)
        {
            throw Errors.Type(where, $"repetitions ({repetitions.Length} items) must have the input's rank ({input.Rank}) items.");
        }
        var outputShape = new int[input.Rank];
        for (int i = 0; i < input.Rank; i++)
        {
            if (repetitions[i] <= 0)
            {
                throw Errors.Type(where, $"repetitions {Shapes.Format(repetitions)} must hold counts greater than zero.");
            }
            outputShape[i] = ValidDimension(where, $"output size along axis {i}", (double)input.Dimensions[i] * repetitions[i]);
        }
        return AddOperator("tile", options, inputs, new TileAttributes((int[])repetitions.Clone()), input.DataType, outputShape);
    }

    /// <summary>The input with its dimensions permuted (spec: <c>transpose</c>).</summary>
    public MLOperand Transpose(MLOperand input, MLTransposeOptions? options = null)
    {
        options ??= new MLTransposeOptions();
        string where = BeginOperator("transpose", options);
        var inputs = ValidateInputs(where, "transpose", ("input", Required(input, nameof(input))));
        var permutation = options.Permutation is null ? Enumerable.Range(0, input.Rank).Reverse().ToArray() : (int[])options.Permutation.Clone();
        if (permutation.Length != input.Rank)
        {
            throw Errors.Type(where, $"permutation ({permutation.Length} items) must have the input's rank ({input.Rank}) items.");
        }
        CheckAxes(where, "permutation", permutation, input.Rank);
        var outputShape = permutation.Select(axis => input.Dimensions[axis]).ToArray();
        return AddOperator("transpose", options, inputs, new TransposeAttributes(permutation), input.DataType, outputShape);
    }

    /// <summary>The upper or lower triangle of the last two dimensions, the rest zeroed (spec: <c>triangular</c>).</summary>
    public MLOperand Triangular(MLOperand input, MLTriangularOptions? options = null)
    {
        options ??= new MLTriangularOptions();
        string where = BeginOperator("triangular", options);
        var inputs = ValidateInputs(where, "triangular", ("input", Required(input, nameof(input))));
        return AddOperator("triangular", options, inputs, new TriangularAttributes(options.Upper, options.Diagonal), input.DataType, input.Dimensions);
    }

    /// <summary>trueValue where condition is non-zero, else falseValue, all broadcast (spec: <c>where</c>).</summary>
    public MLOperand Where(MLOperand condition, MLOperand trueValue, MLOperand falseValue, MLOperatorOptions? options = null)
    {
        string where = BeginOperator("where", options);
        var inputs = ValidateInputs(where, "where",
            ("condition", Required(condition, nameof(condition))), ("trueValue", Required(trueValue, nameof(trueValue))), ("falseValue", Required(falseValue, nameof(falseValue))));
        var valueShape = Broadcasting.Bidirectional(trueValue.Dimensions, falseValue.Dimensions)
            ?? throw Errors.Type(where, $"trueValue shape {Shapes.Format(trueValue.Dimensions)} and falseValue shape {Shapes.Format(falseValue.Dimensions)} are not bidirectionally broadcastable.");
        var outputShape = Broadcasting.Bidirectional(condition.Dimensions, valueShape)
            ?? throw Errors.Type(where, $"condition shape {Shapes.Format(condition.Dimensions)} is not bidirectionally broadcastable with {Shapes.Format(valueShape)}.");
        return AddOperator("where", options, inputs, null, trueValue.DataType, outputShape);
    }

    private MLOperand[] AddSplit(MLSplitOptions options, OperatorInput[] inputs, MLOperand input, int[] sizes)
    {
        var outputs = new (MLOperandDataType, int[])[sizes.Length];
        for (int i = 0; i < sizes.Length; i++)
        {
            var shape = (int[])input.Dimensions.Clone();
            shape[options.Axis] = sizes[i];
            outputs[i] = (input.DataType, shape);
        }
        return AddOperator("split", options, inputs, new SplitAttributes(options.Axis, sizes), outputs);
    }

    /// <summary>Spec gatherElements/scatterElements: indices has the input's shape except along the axis.</summary>
    private static void CheckShapeExceptAxis(string where, string name, MLOperand indices, MLOperand input, int axis)
    {
        var expected = (int[])input.Dimensions.Clone();
        expected[axis] = indices.Dimensions[axis];
        if (!indices.Dimensions.AsSpan().SequenceEqual(expected))
        {
            throw Errors.Type(where, $"{name} shape {Shapes.Format(indices.Dimensions)} must equal the input's shape {Shapes.Format(input.Dimensions)} except along axis {axis}.");
        }
    }

    /// <summary>Items of an IDL sequence of unsigned long.</summary>
    private static void CheckNonNegative(string where, string name, int[] values)
    {
        if (values.Any(v => v < 0))
        {
            throw Errors.Type(where, $"{name} {Shapes.Format(values)} must not hold negative values.");
        }
    }
}
