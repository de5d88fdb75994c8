using WebNN.Graph;

namespace WebNN.Cpu.Lowerings;

/// <summary>
/// quantizeLinear and dequantizeLinear on float32 (float16 through float32) and the integer types the
/// spec allows for quantized values.
/// </summary>
internal static class QuantizationLowering
{
    private static readonly MLOperandDataType[] QuantizationTypes =
        [MLOperandDataType.Float32, MLOperandDataType.Float16, MLOperandDataType.Uint8, MLOperandDataType.Int8, MLOperandDataType.Uint32, MLOperandDataType.Int32];

    public static IEnumerable<KeyValuePair<string, CpuOperatorEntry>> Entries()
    {
        yield return new("quantizeLinear", new CpuOperatorEntry(QuantizationTypes, ComputeInFloat32: true, (op, lowering) => Quantization(quantize: true, op, lowering)));
        yield return new("dequantizeLinear", new CpuOperatorEntry(QuantizationTypes, ComputeInFloat32: true, (op, lowering) => Quantization(quantize: false, op, lowering)));
    }

    private static CpuStep Quantization(bool quantize, MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Input("input")!);
        var scale = lowering.Value(op.Input("scale")!);
        var zeroPoint = lowering.Value(op.Input("zeroPoint")!);
        return new QuantizationKernel(quantize, input, scale, zeroPoint, lowering.Value(op.Outputs[0])).Step(zeroPoint.DataType);
    }

    /// <summary>Instantiated on the quantized (zero point's) type; the float side is float32.</summary>
    private sealed class QuantizationKernel(bool quantize, CpuValue input, CpuValue scale, CpuValue zeroPoint, CpuValue output) : NumericKernel
    {
        public override void Run<T>(CpuRun run)
        {
            if (quantize)
            {
                Kernels.Quantization.Quantize(run.Floats(input), input.Shape, run.Floats(scale), run.Span<T>(zeroPoint), scale.Shape, run.Span<T>(output));
            }
            else
            {
                Kernels.Quantization.Dequantize(run.Span<T>(input), input.Shape, run.Floats(scale), run.Span<T>(zeroPoint), scale.Shape, run.Floats(output));
            }
        }
    }
}
