using WebNN.Validation;

namespace WebNN;

/// <summary>The layout of convTranspose2d's filter (spec: <c>MLConvTranspose2dFilterOperandLayout</c>).</summary>
public enum MLConvTranspose2dFilterOperandLayout
{
    /// <summary>[inputChannels, outputChannels/groups, height, width].</summary>
    Iohw,
    /// <summary>[height, width, outputChannels/groups, inputChannels].</summary>
    Hwoi,
    /// <summary>[outputChannels/groups, height, width, inputChannels].</summary>
    Ohwi,
}

/// <summary>Options of <see cref="MLGraphBuilder.ConvTranspose2d"/> (spec: <c>MLConvTranspose2dOptions</c>).</summary>
public sealed class MLConvTranspose2dOptions : MLOperatorOptions
{
    /// <summary>[beginHeight, endHeight, beginWidth, endWidth]; default [0, 0, 0, 0].</summary>
    public int[]? Padding { get; init; }

    /// <summary>[strideHeight, strideWidth]; default [1, 1].</summary>
    public int[]? Strides { get; init; }

    /// <summary>[dilationHeight, dilationWidth]; default [1, 1].</summary>
    public int[]? Dilations { get; init; }

    /// <summary>Extra size added to the end of each spatial dimension; default [0, 0].</summary>
    public int[]? OutputPadding { get; init; }

    /// <summary>[outputHeight, outputWidth], overriding <see cref="OutputPadding"/>.</summary>
    public int[]? OutputSizes { get; init; }

    /// <summary>The number of groups; default 1.</summary>
    public int Groups { get; init; } = 1;

    /// <summary>The layout of input and output; default NCHW.</summary>
    public MLInputOperandLayout InputLayout { get; init; } = MLInputOperandLayout.Nchw;

    /// <summary>The layout of the filter; default IOHW.</summary>
    public MLConvTranspose2dFilterOperandLayout FilterLayout { get; init; } = MLConvTranspose2dFilterOperandLayout.Iohw;

    /// <summary>A 1-D tensor of [outputChannels] added to the result.</summary>
    public MLOperand? Bias { get; init; }
}

/// <summary>convTranspose2d's resolved options; the output size is the operator's output shape; the bias, if any, is the "bias" input.</summary>
internal sealed record ConvTranspose2dAttributes(
    int[] Padding,
    int[] Strides,
    int[] Dilations,
    int Groups,
    MLInputOperandLayout InputLayout,
    MLConvTranspose2dFilterOperandLayout FilterLayout);

public sealed partial class MLGraphBuilder
{
    /// <summary>
    /// Transposed 2-D convolution (spec: <c>convTranspose2d</c>). Spatial output size:
    /// <c>(inputSize − 1) · stride + (filterSize − 1) · dilation + 1 − beginPad − endPad + outputPadding</c>, or outputSizes.
    /// </summary>
    public MLOperand ConvTranspose2d(MLOperand input, MLOperand filter, MLConvTranspose2dOptions? options = null)
    {
        options ??= new MLConvTranspose2dOptions();
        string where = BeginOperator("convTranspose2d", options);
        var inputs = ValidateInputs(where, "convTranspose2d",
            ("input", Required(input, nameof(input))), ("filter", Required(filter, nameof(filter))), ("bias", options.Bias));
        var padding = ListOption(where, "padding", options.Padding, [0, 0, 0, 0]);
        var strides = ListOption(where, "strides", options.Strides, [1, 1], positive: true);
        var dilations = ListOption(where, "dilations", options.Dilations, [1, 1], positive: true);
        var outputPadding = ListOption(where, "outputPadding", options.OutputPadding, [0, 0]);
        int[]? outputSizes = options.OutputSizes is null ? null : ListOption(where, "outputSizes", options.OutputSizes, [0, 0]);
        if (outputSizes is null && (outputPadding[0] >= strides[0] || outputPadding[1] >= strides[1]))
        {
            throw Errors.Type(where, $"outputPadding {Shapes.Format(outputPadding)} must be less than strides {Shapes.Format(strides)}.");
        }
        if (options.Groups <= 0)
        {
            throw Errors.Type(where, $"groups ({options.Groups}) must be greater than zero.");
        }
        var (batches, inputChannels, inputHeight, inputWidth) = SplitImageShape(where, "inputLayout", input.Dimensions, options.InputLayout);
        var f = filter.Dimensions;
        var (filterInputChannels, filterOutputChannels, filterHeight, filterWidth) = options.FilterLayout switch
        {
            MLConvTranspose2dFilterOperandLayout.Iohw => (f[0], f[1], f[2], f[3]),
            MLConvTranspose2dFilterOperandLayout.Hwoi => (f[3], f[2], f[0], f[1]),
            MLConvTranspose2dFilterOperandLayout.Ohwi => (f[3], f[0], f[1], f[2]),
            _ => throw Errors.Type(where, $"filterLayout ({options.FilterLayout}) is not an MLConvTranspose2dFilterOperandLayout."),
        };
        if (inputChannels != filterInputChannels)
        {
            throw Errors.Type(where, $"input channels ({inputChannels}) must equal the filter's input channels ({filterInputChannels}).");
        }
        int outputChannels = ValidDimension(where, "output channels", (double)filterOutputChannels * options.Groups);
        if (options.Bias is { } bias && !bias.Dimensions.AsSpan().SequenceEqual([outputChannels]))
        {
            throw Errors.Type(where, $"bias shape {Shapes.Format(bias.Dimensions)} must be [{outputChannels}] (the output channels).");
        }
        long height = ConvTransposeOutputSize(inputHeight, filterHeight, padding[0], padding[1], strides[0], dilations[0]);
        long width = ConvTransposeOutputSize(inputWidth, filterWidth, padding[2], padding[3], strides[1], dilations[1]);
        long outputHeight, outputWidth;
        if (outputSizes is not null)
        {
            (outputHeight, outputWidth) = (outputSizes[0], outputSizes[1]);
            if (outputHeight < height || outputHeight >= height + strides[0])
            {
                throw Errors.Type(where, $"outputSizes[0] ({outputHeight}) must be in [{height}, {height + strides[0]}).");
            }
            if (outputWidth < width || outputWidth >= width + strides[1])
            {
                throw Errors.Type(where, $"outputSizes[1] ({outputWidth}) must be in [{width}, {width + strides[1]}).");
            }
        }
        else
        {
            (outputHeight, outputWidth) = (height + outputPadding[0], width + outputPadding[1]);
        }
        int[] outputShape = JoinImageShape(options.InputLayout, batches, outputChannels,
            ValidDimension(where, "output height", outputHeight), ValidDimension(where, "output width", outputWidth));
        var attributes = new ConvTranspose2dAttributes(padding, strides, dilations, options.Groups, options.InputLayout, options.FilterLayout);
        return AddOperator("convTranspose2d", options, inputs, attributes, input.DataType, outputShape);
    }

    /// <summary>Spec "calculate convtranspose output size".</summary>
    private static long ConvTransposeOutputSize(int inputSize, int filterSize, int beginPadding, int endPadding, int stride, int dilation) =>
        ((long)inputSize - 1) * stride + ((long)(filterSize - 1) * dilation + 1) - beginPadding - endPadding;
}
