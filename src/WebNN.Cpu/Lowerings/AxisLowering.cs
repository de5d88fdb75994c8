using WebNN.Cpu.Kernels;
using WebNN.Graph;

namespace WebNN.Cpu.Lowerings;

/// <summary>argMin, argMax and cumulativeSum: operations along one axis, on every type the spec allows them.</summary>
internal static class AxisLowering
{
    private static readonly MLOperandDataType[] AllTypes = [.. MLOperandDataTypes.All];

    public static IEnumerable<KeyValuePair<string, CpuOperatorEntry>> Entries()
    {
        yield return new("argMin", new CpuOperatorEntry(AllTypes, ComputeInFloat32: true, (op, lowering) => ArgMinMax(max: false, op, lowering)));
        yield return new("argMax", new CpuOperatorEntry(AllTypes, ComputeInFloat32: true, (op, lowering) => ArgMinMax(max: true, op, lowering)));
        yield return new("cumulativeSum", new CpuOperatorEntry(AllTypes, ComputeInFloat32: true, CumulativeSum));
    }

    private static CpuStep ArgMinMax(bool max, MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Inputs[0].Operand);
        int axis = op.AttributesAs<ArgMinMaxAttributes>().Axis;
        return new ArgMinMaxKernel(input, axis, max, lowering.Value(op.Outputs[0])).Step(input.DataType);
    }

    private static CpuStep CumulativeSum(MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Inputs[0].Operand);
        var attributes = op.AttributesAs<CumulativeSumAttributes>();
        return new CumulativeSumKernel(input, attributes, lowering.Value(op.Outputs[0])).Step(input.DataType);
    }

    /// <summary>Writes int32 or int64 indices, as the operator's output type says.</summary>
    private sealed class ArgMinMaxKernel(CpuValue input, int axis, bool max, CpuValue output) : NumericKernel
    {
        public override void Run<T>(CpuRun run)
        {
            if (output.DataType == MLOperandDataType.Int64)
            {
                AxisKernels.ArgMinMax(run.Span<T>(input), input.Shape, axis, max, run.Span<long>(output));
            }
            else
            {
                AxisKernels.ArgMinMax(run.Span<T>(input), input.Shape, axis, max, run.Span<int>(output));
            }
        }
    }

    private sealed class CumulativeSumKernel(CpuValue input, CumulativeSumAttributes attributes, CpuValue output) : NumericKernel
    {
        public override void Run<T>(CpuRun run) =>
            AxisKernels.CumulativeSum(run.Span<T>(input), input.Shape, attributes.Axis, attributes.Exclusive, attributes.Reversed, run.Span<T>(output));
    }
}
