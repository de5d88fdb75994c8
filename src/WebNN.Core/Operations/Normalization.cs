using WebNN.Validation;

namespace WebNN;

/// <summary>Options of <see cref="MLGraphBuilder.BatchNormalization"/> (spec: <c>MLBatchNormalizationOptions</c>).</summary>
public sealed class MLBatchNormalizationOptions : MLOperatorOptions
{
    /// <summary>A 1-D scale along the feature axis.</summary>
    public MLOperand? Scale { get; init; }

    /// <summary>A 1-D bias along the feature axis.</summary>
    public MLOperand? Bias { get; init; }

    /// <summary>The feature axis; default 1.</summary>
    public int Axis { get; init; } = 1;

    /// <summary>Added to the variance; default 1e-5.</summary>
    public double Epsilon { get; init; } = 1e-5;
}

/// <summary>Options of <see cref="MLGraphBuilder.InstanceNormalization"/> (spec: <c>MLInstanceNormalizationOptions</c>).</summary>
public sealed class MLInstanceNormalizationOptions : MLOperatorOptions
{
    /// <summary>A 1-D scale along the channels.</summary>
    public MLOperand? Scale { get; init; }

    /// <summary>A 1-D bias along the channels.</summary>
    public MLOperand? Bias { get; init; }

    /// <summary>Added to the variance; default 1e-5.</summary>
    public double Epsilon { get; init; } = 1e-5;

    /// <summary>The input's layout; default NCHW.</summary>
    public MLInputOperandLayout Layout { get; init; } = MLInputOperandLayout.Nchw;
}

/// <summary>Options of <see cref="MLGraphBuilder.LayerNormalization"/> (spec: <c>MLLayerNormalizationOptions</c>).</summary>
public sealed class MLLayerNormalizationOptions : MLOperatorOptions
{
    /// <summary>A scale whose shape is the input's sizes along <see cref="Axes"/>.</summary>
    public MLOperand? Scale { get; init; }

    /// <summary>A bias whose shape is the input's sizes along <see cref="Axes"/>.</summary>
    public MLOperand? Bias { get; init; }

    /// <summary>The axes to normalize over; default all but the first.</summary>
    public int[]? Axes { get; init; }

    /// <summary>Added to the variance; default 1e-5.</summary>
    public double Epsilon { get; init; } = 1e-5;
}

/// <summary>batchNormalization's feature axis and epsilon (cast to the input's type); scale and bias are the "scale"/"bias" inputs.</summary>
internal sealed record BatchNormalizationAttributes(int Axis, double Epsilon);

/// <summary>instanceNormalization's epsilon and layout.</summary>
internal sealed record InstanceNormalizationAttributes(double Epsilon, MLInputOperandLayout Layout);

/// <summary>layerNormalization's resolved axes and epsilon.</summary>
internal sealed record LayerNormalizationAttributes(int[] Axes, double Epsilon);

public sealed partial class MLGraphBuilder
{
    /// <summary>(x − mean) / √(variance + ε) · scale + bias along one axis (spec: <c>batchNormalization</c>).</summary>
    public MLOperand BatchNormalization(MLOperand input, MLOperand mean, MLOperand variance, MLBatchNormalizationOptions? options = null)
    {
        options ??= new MLBatchNormalizationOptions();
        string where = BeginOperator("batchNormalization", options);
        var inputs = ValidateInputs(where, "batchNormalization",
            ("input", Required(input, nameof(input))), ("mean", Required(mean, nameof(mean))), ("variance", Required(variance, nameof(variance))),
            ("scale", options.Scale), ("bias", options.Bias));
        CheckAxis(where, "axis", options.Axis, input.Rank);
        int features = input.Dimensions[options.Axis];
        foreach (var (name, operand) in new[] { ("mean", mean), ("variance", variance), ("scale", options.Scale), ("bias", options.Bias) })
        {
            if (operand is not null && !operand.Dimensions.AsSpan().SequenceEqual([features]))
            {
                throw Errors.Type(where, $"{name} shape {Shapes.Format(operand.Dimensions)} must be [{features}] (the input's size along axis {options.Axis}).");
            }
        }
        var attributes = new BatchNormalizationAttributes(options.Axis, CastScalar(input, options.Epsilon));
        return AddOperator("batchNormalization", options, inputs, attributes, input.DataType, input.Dimensions);
    }

    /// <summary>Normalizes each channel of each batch over its spatial dimensions (spec: <c>instanceNormalization</c>).</summary>
    public MLOperand InstanceNormalization(MLOperand input, MLInstanceNormalizationOptions? options = null)
    {
        options ??= new MLInstanceNormalizationOptions();
        string where = BeginOperator("instanceNormalization", options);
        var inputs = ValidateInputs(where, "instanceNormalization", ("input", Required(input, nameof(input))), ("scale", options.Scale), ("bias", options.Bias));
        int axis = options.Layout switch
        {
            MLInputOperandLayout.Nchw => 1,
            MLInputOperandLayout.Nhwc => 3,
            _ => throw Errors.Type(where, $"layout ({options.Layout}) is not an MLInputOperandLayout."),
        };
        int channels = input.Dimensions[axis];
        foreach (var (name, operand) in new[] { ("scale", options.Scale), ("bias", options.Bias) })
        {
            if (operand is not null && !operand.Dimensions.AsSpan().SequenceEqual([channels]))
            {
                throw Errors.Type(where, $"{name} shape {Shapes.Format(operand.Dimensions)} must be [{channels}] (the input's channels).");
            }
        }
        var attributes = new InstanceNormalizationAttributes(CastScalar(input, options.Epsilon), options.Layout);
        return AddOperator("instanceNormalization", options, inputs, attributes, input.DataType, input.Dimensions);
    }

    /// <summary>Normalizes over the given axes (spec: <c>layerNormalization</c>).</summary>
    public MLOperand LayerNormalization(MLOperand input, MLLayerNormalizationOptions? options = null)
    {
        options ??= new MLLayerNormalizationOptions();
        string where = BeginOperator("layerNormalization", options);
        var inputs = ValidateInputs(where, "layerNormalization", ("input", Required(input, nameof(input))), ("scale", options.Scale), ("bias", options.Bias));
        int[] axes = options.Axes is null ? Enumerable.Range(1, Math.Max(0, input.Rank - 1)).ToArray() : (int[])options.Axes.Clone();
        CheckAxes(where, "axes", axes, input.Rank);
        foreach (var (name, operand) in new[] { ("scale", options.Scale), ("bias", options.Bias) })
        {
            if (operand is null)
            {
                continue;
            }
            var expected = axes.Select(axis => input.Dimensions[axis]).ToArray();
            if (!operand.Dimensions.AsSpan().SequenceEqual(expected))
            {
                throw Errors.Type(where, $"{name} shape {Shapes.Format(operand.Dimensions)} must be {Shapes.Format(expected)} (the input's sizes along axes {Shapes.Format(axes)}).");
            }
        }
        var attributes = new LayerNormalizationAttributes(axes, CastScalar(input, options.Epsilon));
        return AddOperator("layerNormalization", options, inputs, attributes, input.DataType, input.Dimensions);
    }
}
