using WebNN.Validation;

namespace WebNN;

/// <summary>How pooling rounds a fractional output size (spec: <c>MLRoundingType</c>).</summary>
public enum MLRoundingType
{
    /// <summary>Round down.</summary>
    Floor,
    /// <summary>Round up.</summary>
    Ceil,
}

/// <summary>Options of the 2-D poolings (spec: <c>MLPool2dOptions</c>).</summary>
public sealed class MLPool2dOptions : MLOperatorOptions
{
    /// <summary>[windowHeight, windowWidth]; default the whole input (global pooling).</summary>
    public int[]? WindowDimensions { get; init; }

    /// <summary>[beginHeight, endHeight, beginWidth, endWidth]; default [0, 0, 0, 0].</summary>
    public int[]? Padding { get; init; }

    /// <summary>[strideHeight, strideWidth]; default [1, 1].</summary>
    public int[]? Strides { get; init; }

    /// <summary>[dilationHeight, dilationWidth]; default [1, 1].</summary>
    public int[]? Dilations { get; init; }

    /// <summary>The layout of input and output; default NCHW.</summary>
    public MLInputOperandLayout Layout { get; init; } = MLInputOperandLayout.Nchw;

    /// <summary>How to round the output size when <see cref="OutputSizes"/> is not given; default floor.</summary>
    public MLRoundingType OutputShapeRounding { get; init; } = MLRoundingType.Floor;

    /// <summary>[outputHeight, outputWidth]: the floor or the ceiling of the computed size.</summary>
    public int[]? OutputSizes { get; init; }
}

/// <summary>A pooling's resolved window, padding, strides, dilations and layout; the output size is the operator's output shape.</summary>
internal sealed record Pool2dAttributes(int[] WindowDimensions, int[] Padding, int[] Strides, int[] Dilations, MLInputOperandLayout Layout);

public sealed partial class MLGraphBuilder
{
    /// <summary>The mean of each window (spec: <c>averagePool2d</c>).</summary>
    public MLOperand AveragePool2d(MLOperand input, MLPool2dOptions? options = null) => Pool2d("averagePool2d", input, options);

    /// <summary>√Σx² of each window (spec: <c>l2Pool2d</c>).</summary>
    public MLOperand L2Pool2d(MLOperand input, MLPool2dOptions? options = null) => Pool2d("l2Pool2d", input, options);

    /// <summary>The maximum of each window (spec: <c>maxPool2d</c>).</summary>
    public MLOperand MaxPool2d(MLOperand input, MLPool2dOptions? options = null) => Pool2d("maxPool2d", input, options);

    /// <summary>Spec "create a pooling operation".</summary>
    private MLOperand Pool2d(string op, MLOperand input, MLPool2dOptions? options)
    {
        options ??= new MLPool2dOptions();
        string where = BeginOperator(op, options);
        var inputs = ValidateInputs(where, op, ("input", Required(input, nameof(input))));
        var (batches, channels, inputHeight, inputWidth) = SplitImageShape(where, "layout", input.Dimensions, options.Layout);
        var window = ListOption(where, "windowDimensions", options.WindowDimensions, [inputHeight, inputWidth], positive: true);
        // The spec resets padding to zeros when outputSizes is given.
        var padding = ListOption(where, "padding", options.OutputSizes is null ? options.Padding : null, [0, 0, 0, 0]);
        var strides = ListOption(where, "strides", options.Strides, [1, 1], positive: true);
        int[]? outputSizes = options.OutputSizes is null ? null : ListOption(where, "outputSizes", options.OutputSizes, [0, 0]);
        var dilations = ListOption(where, "dilations", options.Dilations, [1, 1], positive: true);
        double height = ConvOutputSizeUnrounded(inputHeight, window[0], padding[0], padding[1], strides[0], dilations[0]);
        double width = ConvOutputSizeUnrounded(inputWidth, window[1], padding[2], padding[3], strides[1], dilations[1]);
        int outputHeight, outputWidth;
        if (outputSizes is not null)
        {
            bool floors = outputSizes[0] == Math.Floor(height) && outputSizes[1] == Math.Floor(width);
            bool ceilings = outputSizes[0] == Math.Ceiling(height) && outputSizes[1] == Math.Ceiling(width);
            if (!floors && !ceilings)
            {
                throw Errors.Type(where, $"outputSizes {Shapes.Format(outputSizes)} must be the floor [{Math.Floor(height)}, {Math.Floor(width)}] or the ceiling [{Math.Ceiling(height)}, {Math.Ceiling(width)}] of the computed output size.");
            }
            (outputHeight, outputWidth) = (outputSizes[0], outputSizes[1]);
        }
        else
        {
            Func<double, double> round = options.OutputShapeRounding switch
            {
                MLRoundingType.Floor => Math.Floor,
                MLRoundingType.Ceil => Math.Ceiling,
                _ => throw Errors.Type(where, $"outputShapeRounding ({options.OutputShapeRounding}) is not an MLRoundingType."),
            };
            outputHeight = ValidDimension(where, "output height", round(height));
            outputWidth = ValidDimension(where, "output width", round(width));
        }
        ValidDimension(where, "output height", outputHeight);
        ValidDimension(where, "output width", outputWidth);
        var outputShape = JoinImageShape(options.Layout, batches, channels, outputHeight, outputWidth);
        return AddOperator(op, options, inputs, new Pool2dAttributes(window, padding, strides, dilations, options.Layout), input.DataType, outputShape);
    }
}
