using WebNN.Validation;

namespace WebNN;

/// <summary>How <see cref="MLGraphBuilder.Resample2d"/> interpolates (spec: <c>MLInterpolationMode</c>).</summary>
public enum MLInterpolationMode
{
    /// <summary>The nearest input value.</summary>
    NearestNeighbor,
    /// <summary>Bilinear interpolation.</summary>
    Linear,
}

/// <summary>Options of <see cref="MLGraphBuilder.Resample2d"/> (spec: <c>MLResample2dOptions</c>).</summary>
public sealed class MLResample2dOptions : MLOperatorOptions
{
    /// <summary>The interpolation; default nearest neighbor.</summary>
    public MLInterpolationMode Mode { get; init; } = MLInterpolationMode.NearestNeighbor;

    /// <summary>The scale of each of the two axes; default [1, 1]; ignored when <see cref="Sizes"/> is given.</summary>
    public float[]? Scales { get; init; }

    /// <summary>The output size along each of the two axes.</summary>
    public int[]? Sizes { get; init; }

    /// <summary>The two axes to resample; default [2, 3].</summary>
    public int[]? Axes { get; init; }
}

/// <summary>resample2d's mode, resolved scales (output size / input size when sizes were given) and axes.</summary>
internal sealed record Resample2dAttributes(MLInterpolationMode Mode, float[] Scales, int[] Axes)
{
    /// <summary>
    /// Where each output coordinate along resampled axis <paramref name="i"/> (0 or 1) samples the input, as the spec
    /// defines it: the input coordinate c = (o + 0.5) / scale − 0.5 clamped into the input; nearest-neighbor takes
    /// ceil(c − 0.5), linear interpolates between floor(c) and ceil(c).
    /// </summary>
    public Resample2dSample[] Samples(int i, int inputSize, int outputSize)
    {
        var samples = new Resample2dSample[outputSize];
        for (int o = 0; o < outputSize; o++)
        {
            double coordinate = Math.Clamp((o + 0.5) / Scales[i] - 0.5, 0, inputSize - 1);
            if (Mode == MLInterpolationMode.Linear)
            {
                int low = (int)Math.Floor(coordinate);
                samples[o] = new Resample2dSample(low, (int)Math.Ceiling(coordinate), coordinate - low);
            }
            else
            {
                int nearest = (int)Math.Ceiling(coordinate - 0.5);
                samples[o] = new Resample2dSample(nearest, nearest, 0);
            }
        }
        return samples;
    }
}

/// <summary>Where one output coordinate of resample2d samples an axis: two input coordinates and the weight of the higher (nearest-neighbor: one coordinate, weight 0).</summary>
internal readonly record struct Resample2dSample(int Low, int High, double Weight);

public sealed partial class MLGraphBuilder
{
    /// <summary>Resizes two axes of a 4-D input by scales or to sizes (spec: <c>resample2d</c>).</summary>
    public MLOperand Resample2d(MLOperand input, MLResample2dOptions? options = null)
    {
        options ??= new MLResample2dOptions();
        string where = BeginOperator("resample2d", options);
        var inputs = ValidateInputs(where, "resample2d", ("input", Required(input, nameof(input))));
        if (!Enum.IsDefined(options.Mode))
        {
            throw Errors.Type(where, $"mode ({options.Mode}) is not an MLInterpolationMode.");
        }
        float[] scales = options.Scales is null ? [1f, 1f] : (float[])options.Scales.Clone();
        if (scales.Length != 2 || scales.Any(s => !(s > 0)))
        {
            throw Errors.Type(where, $"scales [{string.Join(", ", scales)}] must have 2 items greater than zero.");
        }
        if (options.Sizes is { } sizes && (sizes.Length != 2 || sizes.Any(s => s <= 0)))
        {
            throw Errors.Type(where, $"sizes {Shapes.Format(sizes)} must have 2 items greater than zero.");
        }
        int[] axes = options.Axes is null ? [2, 3] : (int[])options.Axes.Clone();
        if (axes.Length != 2)
        {
            throw Errors.Type(where, $"axes {Shapes.Format(axes)} must have 2 items.");
        }
        CheckAxes(where, "axes", axes, input.Rank);
        var outputShape = (int[])input.Dimensions.Clone();
        for (int i = 0; i < 2; i++)
        {
            double size = options.Sizes is { } given ? given[i] : Math.Floor(input.Dimensions[axes[i]] * (double)scales[i]);
            outputShape[axes[i]] = ValidDimension(where, $"output size along axis {axes[i]}", size);
            if (options.Sizes is not null)
            {
                scales[i] = (float)outputShape[axes[i]] / input.Dimensions[axes[i]];
            }
        }
        return AddOperator("resample2d", options, inputs, new Resample2dAttributes(options.Mode, scales, axes), input.DataType, outputShape);
    }
}
