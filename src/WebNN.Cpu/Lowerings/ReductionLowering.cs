using WebNN.Cpu.Kernels;
using WebNN.Graph;

namespace WebNN.Cpu.Lowerings;

/// <summary>The ten reductions (those the spec allows on integers also on the integer types) and the three 2-D poolings (maxPool2d also on the integer types).</summary>
internal static class ReductionLowering
{
    private static readonly MLOperandDataType[] AllTypes = [.. MLOperandDataTypes.All];

    private static readonly (string Name, ReduceKind Kind)[] Reductions =
    [
        ("reduceL1", ReduceKind.L1), ("reduceL2", ReduceKind.L2), ("reduceLogSum", ReduceKind.LogSum), ("reduceLogSumExp", ReduceKind.LogSumExp),
        ("reduceMax", ReduceKind.Max), ("reduceMean", ReduceKind.Mean), ("reduceMin", ReduceKind.Min), ("reduceProduct", ReduceKind.Product),
        ("reduceSum", ReduceKind.Sum), ("reduceSumSquare", ReduceKind.SumSquare),
    ];

    private static readonly (string Name, Pool2dKind Kind)[] Poolings =
    [
        ("averagePool2d", Pool2dKind.Average), ("l2Pool2d", Pool2dKind.L2), ("maxPool2d", Pool2dKind.Max),
    ];

    public static IEnumerable<KeyValuePair<string, CpuOperatorEntry>> Entries()
    {
        foreach (var (name, kind) in Reductions)
        {
            var dataTypes = kind is ReduceKind.L1 or ReduceKind.Product or ReduceKind.Sum or ReduceKind.SumSquare or ReduceKind.Max or ReduceKind.Min
                ? AllTypes : CpuOperators.Floats;
            yield return new(name, new CpuOperatorEntry(dataTypes, ComputeInFloat32: true, (op, lowering) => Reduce(kind, op, lowering)));
        }
        foreach (var (name, kind) in Poolings)
        {
            yield return new(name, new CpuOperatorEntry(kind == Pool2dKind.Max ? AllTypes : CpuOperators.Floats, ComputeInFloat32: true, (op, lowering) => Pool(kind, op, lowering)));
        }
    }

    private static CpuStep Reduce(ReduceKind kind, MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Inputs[0].Operand);
        var output = lowering.Value(op.Outputs[0]);
        var axes = op.AttributesAs<ReduceAttributes>().Axes;
        if (input.DataType == MLOperandDataType.Float32)
        {
            return new DelegateStep(run => ReduceKernel.Run(kind, run.Floats(input), input.Shape, axes, run.Floats(output)));
        }
        return new IntegerReduction(kind, input, axes, output).Step(input.DataType);
    }

    private static CpuStep Pool(Pool2dKind kind, MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Inputs[0].Operand);
        var output = lowering.Value(op.Outputs[0]);
        var a = op.AttributesAs<Pool2dAttributes>();
        if (input.DataType != MLOperandDataType.Float32)
        {
            return new IntegerMaxPool(input, output, a).Step(input.DataType);
        }
        return new DelegateStep(run => Pool2d.Compute(kind, run.Floats(input), input.Shape, a.Layout, run.Floats(output), output.Shape,
            a.WindowDimensions, a.Padding, a.Strides, a.Dilations));
    }

    private sealed class IntegerMaxPool(CpuValue input, CpuValue output, Pool2dAttributes a) : NumericKernel
    {
        public override void Run<T>(CpuRun run) => Pool2d.MaxInteger(run.Span<T>(input), input.Shape, a.Layout, run.Span<T>(output), output.Shape,
            a.WindowDimensions, a.Padding, a.Strides, a.Dilations);
    }

    private sealed class IntegerReduction(ReduceKind kind, CpuValue input, int[] axes, CpuValue output) : NumericKernel
    {
        public override void Run<T>(CpuRun run) => ReduceKernel.RunInteger(kind, run.Span<T>(input), input.Shape, axes, run.Span<T>(output));
    }
}
