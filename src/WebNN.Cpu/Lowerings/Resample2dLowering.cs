using WebNN.Graph;

namespace WebNN.Cpu.Lowerings;

/// <summary>resample2d on float32 (float16 through float32), uint8 and int8.</summary>
internal static class Resample2dLowering
{
    private static readonly MLOperandDataType[] DataTypes =
        [MLOperandDataType.Float32, MLOperandDataType.Float16, MLOperandDataType.Uint8, MLOperandDataType.Int8];

    public static IEnumerable<KeyValuePair<string, CpuOperatorEntry>> Entries()
    {
        yield return new("resample2d", new CpuOperatorEntry(DataTypes, ComputeInFloat32: true, Resample2d));
    }

    private static CpuStep Resample2d(MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Inputs[0].Operand);
        var attributes = op.AttributesAs<Resample2dAttributes>();
        return new Resample2dKernel(input, attributes, lowering.Value(op.Outputs[0])).Step(input.DataType);
    }

    private sealed class Resample2dKernel(CpuValue input, Resample2dAttributes attributes, CpuValue output) : NumericKernel
    {
        public override void Run<T>(CpuRun run) => Kernels.Resample2d.Run(run.Span<T>(input), input.Shape, run.Span<T>(output), output.Shape, attributes);
    }
}
