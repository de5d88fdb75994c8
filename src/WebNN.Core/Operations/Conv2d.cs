using WebNN.Validation;

namespace WebNN;

/// <summary>The layout of conv2d's filter (spec: <c>MLConv2dFilterOperandLayout</c>).</summary>
public enum MLConv2dFilterOperandLayout
{
    /// <summary>[outputChannels, inputChannels/groups, height, width].</summary>
    Oihw,
    /// <summary>[height, width, inputChannels/groups, outputChannels].</summary>
    Hwio,
    /// <summary>[outputChannels, height, width, inputChannels/groups].</summary>
    Ohwi,
    /// <summary>[inputChannels/groups, height, width, outputChannels].</summary>
    Ihwo,
}

/// <summary>Options of <see cref="MLGraphBuilder.Conv2d"/> (spec: <c>MLConv2dOptions</c>).</summary>
public sealed class MLConv2dOptions : MLOperatorOptions
{
    /// <summary>[beginHeight, endHeight, beginWidth, endWidth]; default [0, 0, 0, 0].</summary>
    public int[]? Padding { get; init; }

    /// <summary>[strideHeight, strideWidth]; default [1, 1].</summary>
    public int[]? Strides { get; init; }

    /// <summary>[dilationHeight, dilationWidth]; default [1, 1].</summary>
    public int[]? Dilations { get; init; }

    /// <summary>The number of groups input and output channels are divided into; default 1.</summary>
    public int Groups { get; init; } = 1;

    /// <summary>The layout of the input and output; default NCHW.</summary>
    public MLInputOperandLayout InputLayout { get; init; } = MLInputOperandLayout.Nchw;

    /// <summary>The layout of the filter; default OIHW.</summary>
    public MLConv2dFilterOperandLayout FilterLayout { get; init; } = MLConv2dFilterOperandLayout.Oihw;

    /// <summary>A 1-D tensor of [outputChannels] added to the result.</summary>
    public MLOperand? Bias { get; init; }
}

/// <summary>
/// conv2d's resolved options; the bias, when given, is the operator's "bias" input. The optimizer may
/// fold a following activation into <see cref="Activation"/>.
/// </summary>
internal sealed record Conv2dAttributes(
    int[] Padding,
    int[] Strides,
    int[] Dilations,
    int Groups,
    MLInputOperandLayout InputLayout,
    MLConv2dFilterOperandLayout FilterLayout,
    Graph.FusedActivation? Activation = null);

public sealed partial class MLGraphBuilder
{
    /// <summary>
    /// 2-D convolution of a 4-D input with a 4-D filter (spec: <c>conv2d</c>). Spatial output size:
    /// <c>1 + (inputSize - (filterSize - 1) * dilation - 1 + beginPad + endPad) / stride</c>, floored.
    /// </summary>
    public MLOperand Conv2d(MLOperand input, MLOperand filter, MLConv2dOptions? options = null)
    {
        options ??= new MLConv2dOptions();
        string where = BeginOperator("conv2d", options);
        var inputs = ValidateInputs(where, "conv2d",
            ("input", Required(input, nameof(input))), ("filter", Required(filter, nameof(filter))), ("bias", options.Bias));
        var padding = ListOption(where, "padding", options.Padding, [0, 0, 0, 0]);
        var strides = ListOption(where, "strides", options.Strides, [1, 1], positive: true);
        var dilations = ListOption(where, "dilations", options.Dilations, [1, 1], positive: true);
        if (options.Groups <= 0)
        {
            throw Errors.Type(where, $"groups ({options.Groups}) must be greater than zero.");
        }
        var (batches, inputChannels, inputHeight, inputWidth) = SplitImageShape(where, "inputLayout", input.Dimensions, options.InputLayout);
        var f = filter.Dimensions;
        var (outputChannels, filterInputChannels, filterHeight, filterWidth) = options.FilterLayout switch
        {
            MLConv2dFilterOperandLayout.Oihw => (f[0], f[1], f[2], f[3]),
            MLConv2dFilterOperandLayout.Hwio => (f[3], f[2], f[0], f[1]),
            MLConv2dFilterOperandLayout.Ohwi => (f[0], f[3], f[1], f[2]),
            MLConv2dFilterOperandLayout.Ihwo => (f[3], f[0], f[1], f[2]),
            _ => throw Errors.Type(where, $"filterLayout ({options.FilterLayout}) is not an MLConv2dFilterOperandLayout."),
        };
        if (inputChannels % options.Groups != 0)
        {
            throw Errors.Type(where, $"input channels ({inputChannels}) must be divisible by groups ({options.Groups}).");
        }
        if (inputChannels / options.Groups != filterInputChannels)
        {
            throw Errors.Type(where, $"input channels ({inputChannels}) must equal filter input channels × groups ({filterInputChannels} × {options.Groups}).");
        }
        if (outputChannels % options.Groups != 0)
        {
            throw Errors.Type(where, $"output channels ({outputChannels}) must be divisible by groups ({options.Groups}).");
        }
        if (options.Bias is { } bias && !bias.Dimensions.AsSpan().SequenceEqual([outputChannels]))
        {
            throw Errors.Type(where, $"bias shape {Shapes.Format(bias.Dimensions)} must be [{outputChannels}] (the output channels).");
        }
        int outputHeight = ConvOutputSize(where, "height", inputHeight, filterHeight, padding[0], padding[1], strides[0], dilations[0]);
        int outputWidth = ConvOutputSize(where, "width", inputWidth, filterWidth, padding[2], padding[3], strides[1], dilations[1]);
        int[] outputShape = JoinImageShape(options.InputLayout, batches, outputChannels, outputHeight, outputWidth);
        var attributes = new Conv2dAttributes(padding, strides, dilations, options.Groups, options.InputLayout, options.FilterLayout);
        return AddOperator("conv2d", options, inputs, attributes, input.DataType, outputShape);
    }

    /// <summary>Spec "calculate conv output size", floored, checked to be a valid dimension.</summary>
    private static int ConvOutputSize(string where, string dimension, int inputSize, int filterSize, int beginPadding, int endPadding, int stride, int dilation) =>
        ValidDimension(where, $"output {dimension}", Math.Floor(ConvOutputSizeUnrounded(inputSize, filterSize, beginPadding, endPadding, stride, dilation)));

    /// <summary>Spec "calculate conv output size", before rounding: (inputSize − effectiveFilterSize + padding) / stride + 1.</summary>
    private static double ConvOutputSizeUnrounded(int inputSize, int filterSize, int beginPadding, int endPadding, int stride, int dilation)
    {
        long effectiveFilterSize = (long)(filterSize - 1) * dilation + 1;
        return (double)(inputSize - effectiveFilterSize + beginPadding + endPadding) / stride + 1;
    }

    /// <summary>Spec "valid dimension": an integer greater than zero (and here, within int).</summary>
    private static int ValidDimension(string where, string what, double size)
    {
        if (size <= 0 || size > int.MaxValue)
        {
            throw Errors.Type(where, $"the {what} ({size}) is not a valid dimension: it must be greater than zero.");
        }
        return (int)size;
    }

    /// <summary>(batches, channels, height, width) of a 4-D image shape in <paramref name="layout"/> (the option named <paramref name="option"/>).</summary>
    private static (int Batches, int Channels, int Height, int Width) SplitImageShape(string where, string option, int[] shape, MLInputOperandLayout layout) => layout switch
    {
        MLInputOperandLayout.Nchw => (shape[0], shape[1], shape[2], shape[3]),
        MLInputOperandLayout.Nhwc => (shape[0], shape[3], shape[1], shape[2]),
        _ => throw Errors.Type(where, $"{option} ({(int)layout}) is not an MLInputOperandLayout."),
    };

    /// <summary>The 4-D image shape in <paramref name="layout"/>.</summary>
    private static int[] JoinImageShape(MLInputOperandLayout layout, int batches, int channels, int height, int width) => layout switch
    {
        MLInputOperandLayout.Nchw => [batches, channels, height, width],
        MLInputOperandLayout.Nhwc => [batches, height, width, channels],
        _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "Not an MLInputOperandLayout."),
    };

    /// <summary>
    /// A list option of fixed length: the default when not given, else a copy checked for length, for
    /// non-negative items (the IDL's [EnforceRange] unsigned long) and, with <paramref name="positive"/>, for no zero.
    /// </summary>
    private static int[] ListOption(string where, string name, int[]? value, int[] defaultValue, bool positive = false)
    {
        if (value is null)
        {
            return defaultValue;
        }
        if (value.Length != defaultValue.Length)
        {
            throw Errors.Type(where, $"{name} must have {defaultValue.Length} items, not {value.Length}.");
        }
        foreach (int item in value)
        {
            if (item < 0 || (positive && item == 0))
            {
                throw Errors.Type(where, $"{name} {Shapes.Format(value)} must hold {(positive ? "positive" : "non-negative")} integers.");
            }
        }
        return (int[])value.Clone();
    }
}
