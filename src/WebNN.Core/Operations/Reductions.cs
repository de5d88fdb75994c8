using WebNN.Validation;

namespace WebNN;

/// <summary>Options of the reductions (spec: <c>MLReduceOptions</c>).</summary>
public sealed class MLReduceOptions : MLOperatorOptions
{
    /// <summary>The axes to reduce; all axes when null; none when empty (the output equals the input).</summary>
    public int[]? Axes { get; init; }

    /// <summary>Keep reduced dimensions as size 1; default false.</summary>
    public bool KeepDimensions { get; init; }
}

/// <summary>Options of <see cref="MLGraphBuilder.ArgMin"/> and <see cref="MLGraphBuilder.ArgMax"/> (spec: <c>MLArgMinMaxOptions</c>).</summary>
public sealed class MLArgMinMaxOptions : MLOperatorOptions
{
    /// <summary>Keep the reduced dimension as size 1; default false.</summary>
    public bool KeepDimensions { get; init; }

    /// <summary>The index type: int32 (default) or int64.</summary>
    public MLOperandDataType OutputDataType { get; init; } = MLOperandDataType.Int32;
}

/// <summary>Options of <see cref="MLGraphBuilder.CumulativeSum"/> (spec: <c>MLCumulativeSumOptions</c>).</summary>
public sealed class MLCumulativeSumOptions : MLOperatorOptions
{
    /// <summary>Exclude each element from its own sum; default false.</summary>
    public bool Exclusive { get; init; }

    /// <summary>Sum from the end of the axis; default false.</summary>
    public bool Reversed { get; init; }
}

/// <summary>A reduction's resolved axes (in the order given; all axes when none were given) and whether reduced dimensions are kept.</summary>
internal sealed record ReduceAttributes(int[] Axes, bool KeepDimensions);

/// <summary>argMin/argMax's axis, whether it is kept, and the index type.</summary>
internal sealed record ArgMinMaxAttributes(int Axis, bool KeepDimensions, MLOperandDataType OutputDataType);

/// <summary>cumulativeSum's axis and flags.</summary>
internal sealed record CumulativeSumAttributes(int Axis, bool Exclusive, bool Reversed);

public sealed partial class MLGraphBuilder
{
    /// <summary>Σ|x| over the axes (spec: <c>reduceL1</c>).</summary>
    public MLOperand ReduceL1(MLOperand input, MLReduceOptions? options = null) => Reduce("reduceL1", input, options);

    /// <summary>√Σx² over the axes (spec: <c>reduceL2</c>).</summary>
    public MLOperand ReduceL2(MLOperand input, MLReduceOptions? options = null) => Reduce("reduceL2", input, options);

    /// <summary>ln Σx over the axes (spec: <c>reduceLogSum</c>).</summary>
    public MLOperand ReduceLogSum(MLOperand input, MLReduceOptions? options = null) => Reduce("reduceLogSum", input, options);

    /// <summary>ln Σe^x over the axes (spec: <c>reduceLogSumExp</c>).</summary>
    public MLOperand ReduceLogSumExp(MLOperand input, MLReduceOptions? options = null) => Reduce("reduceLogSumExp", input, options);

    /// <summary>The maximum over the axes (spec: <c>reduceMax</c>).</summary>
    public MLOperand ReduceMax(MLOperand input, MLReduceOptions? options = null) => Reduce("reduceMax", input, options);

    /// <summary>The mean over the axes (spec: <c>reduceMean</c>).</summary>
    public MLOperand ReduceMean(MLOperand input, MLReduceOptions? options = null) => Reduce("reduceMean", input, options);

    /// <summary>The minimum over the axes (spec: <c>reduceMin</c>).</summary>
    public MLOperand ReduceMin(MLOperand input, MLReduceOptions? options = null) => Reduce("reduceMin", input, options);

    /// <summary>Πx over the axes (spec: <c>reduceProduct</c>).</summary>
    public MLOperand ReduceProduct(MLOperand input, MLReduceOptions? options = null) => Reduce("reduceProduct", input, options);

    /// <summary>Σx over the axes (spec: <c>reduceSum</c>).</summary>
    public MLOperand ReduceSum(MLOperand input, MLReduceOptions? options = null) => Reduce("reduceSum", input, options);

    /// <summary>Σx² over the axes (spec: <c>reduceSumSquare</c>).</summary>
    public MLOperand ReduceSumSquare(MLOperand input, MLReduceOptions? options = null) => Reduce("reduceSumSquare", input, options);

    /// <summary>The index of the smallest value along <paramref name="axis"/> (spec: <c>argMin</c>).</summary>
    public MLOperand ArgMin(MLOperand input, int axis, MLArgMinMaxOptions? options = null) => ArgMinMax("argMin", input, axis, options);

    /// <summary>The index of the largest value along <paramref name="axis"/> (spec: <c>argMax</c>).</summary>
    public MLOperand ArgMax(MLOperand input, int axis, MLArgMinMaxOptions? options = null) => ArgMinMax("argMax", input, axis, options);

    /// <summary>Running sums along <paramref name="axis"/> (spec: <c>cumulativeSum</c>).</summary>
    public MLOperand CumulativeSum(MLOperand input, int axis, MLCumulativeSumOptions? options = null)
    {
        options ??= new MLCumulativeSumOptions();
        string where = BeginOperator("cumulativeSum", options);
        var inputs = ValidateInputs(where, "cumulativeSum", ("input", Required(input, nameof(input))));
        CheckAxis(where, "axis", axis, input.Rank);
        return AddOperator("cumulativeSum", options, inputs, new CumulativeSumAttributes(axis, options.Exclusive, options.Reversed), input.DataType, input.Dimensions);
    }

    /// <summary>Spec "create a reduction operation" (the allowed data types come from the tensor-limits table).</summary>
    private MLOperand Reduce(string op, MLOperand input, MLReduceOptions? options)
    {
        options ??= new MLReduceOptions();
        string where = BeginOperator(op, options);
        var inputs = ValidateInputs(where, op, ("input", Required(input, nameof(input))));
        var axes = options.Axes is null ? Enumerable.Range(0, input.Rank).ToArray() : (int[])options.Axes.Clone();
        var outputShape = ReductionOutputShape(where, input.Dimensions, axes, options.KeepDimensions);
        return AddOperator(op, options, inputs, new ReduceAttributes(axes, options.KeepDimensions), input.DataType, outputShape);
    }

    /// <summary>Spec "create an argMin/argMax operation".</summary>
    private MLOperand ArgMinMax(string op, MLOperand input, int axis, MLArgMinMaxOptions? options)
    {
        options ??= new MLArgMinMaxOptions();
        string where = BeginOperator(op, options);
        var inputs = ValidateInputs(where, op, ("input", Required(input, nameof(input))));
        CheckAxis(where, "axis", axis, input.Rank);
        if (options.OutputDataType is not (MLOperandDataType.Int32 or MLOperandDataType.Int64))
        {
            throw Errors.Type(where, $"outputDataType ({options.OutputDataType.SpecName()}) must be one of int32, int64.");
        }
        if (options.OutputDataType == MLOperandDataType.Int32 && input.Dimensions[axis] > int.MaxValue)
        {
            throw Errors.Type(where, $"the axis size ({input.Dimensions[axis]}) exceeds the largest int32 index.");
        }
        var outputShape = ReductionOutputShape(where, input.Dimensions, [axis], options.KeepDimensions);
        return AddOperator(op, options, inputs, new ArgMinMaxAttributes(axis, options.KeepDimensions, options.OutputDataType), options.OutputDataType, outputShape);
    }

    /// <summary>Spec "calculate reduction output sizes": axes distinct and in range; reduced dimensions dropped or set to 1.</summary>
    private static int[] ReductionOutputShape(string where, int[] inputShape, int[] axes, bool keepDimensions)
    {
        CheckAxes(where, "axes", axes, inputShape.Length);
        if (keepDimensions)
        {
            var kept = (int[])inputShape.Clone();
            foreach (int axis in axes)
            {
                kept[axis] = 1;
            }
            return kept;
        }
        return inputShape.Where((_, index) => Array.IndexOf(axes, index) < 0).ToArray();
    }

    /// <summary>An axis argument in [0, rank).</summary>
    private static void CheckAxis(string where, string name, int axis, int rank)
    {
        if (axis < 0)
        {
            throw Errors.Type(where, $"{name} ({axis}) must not be negative.");
        }
        if (axis >= rank)
        {
            throw Errors.Type(where, $"{name} ({axis}) must be less than the input's rank ({rank}).");
        }
    }

    /// <summary>A list of axes: each in [0, rank), none repeated.</summary>
    private static void CheckAxes(string where, string name, int[] axes, int rank)
    {
        for (int i = 0; i < axes.Length; i++)
        {
            CheckAxis(where, $"{name} item", axes[i], rank);
            if (Array.IndexOf(axes, axes[i], 0, i) >= 0)
            {
                throw Errors.Type(where, $"{name} {Shapes.Format(axes)} must not contain duplicate values ({axes[i]}).");
            }
        }
    }
}
