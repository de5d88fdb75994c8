using WebNN.Validation;

namespace WebNN;

public sealed partial class MLGraphBuilder
{
    /// <summary>saturate(round(input / scale) + zeroPoint) in zeroPoint's type, scale and zeroPoint blockwise broadcast (spec: <c>quantizeLinear</c>).</summary>
    public MLOperand QuantizeLinear(MLOperand input, MLOperand scale, MLOperand zeroPoint, MLOperatorOptions? options = null) =>
        Quantization("quantizeLinear", input, scale, zeroPoint, options, outputType: zeroPoint?.DataType);

    /// <summary>(input − zeroPoint) · scale in scale's type, blockwise broadcast (spec: <c>dequantizeLinear</c>).</summary>
    public MLOperand DequantizeLinear(MLOperand input, MLOperand scale, MLOperand zeroPoint, MLOperatorOptions? options = null) =>
        Quantization("dequantizeLinear", input, scale, zeroPoint, options, outputType: scale?.DataType);

    /// <summary>The shared steps of quantizeLinear and dequantizeLinear; the type pairings come from their tensor-limits tables.</summary>
    private MLOperand Quantization(string op, MLOperand input, MLOperand scale, MLOperand zeroPoint, MLOperatorOptions? options, MLOperandDataType? outputType)
    {
        string where = BeginOperator(op, options);
        var inputs = ValidateInputs(where, op,
            ("input", Required(input, nameof(input))), ("scale", Required(scale, nameof(scale))), ("zeroPoint", Required(zeroPoint, nameof(zeroPoint))));
        if (!scale.Dimensions.AsSpan().SequenceEqual(zeroPoint.Dimensions))
        {
            throw Errors.Type(where, $"scale's shape {Shapes.Format(scale.Dimensions)} must equal zeroPoint's shape {Shapes.Format(zeroPoint.Dimensions)}.");
        }
        if (!Broadcasting.IsBlockwiseBroadcastable(scale.Dimensions, input.Dimensions))
        {
            throw Errors.Type(where, $"scale shape {Shapes.Format(scale.Dimensions)} is not blockwise broadcastable to the input shape {Shapes.Format(input.Dimensions)}: each input dimension must be a multiple of scale's.");
        }
        return AddOperator(op, options, inputs, null, outputType!.Value, input.Dimensions);
    }
}
