using WebNN.Cpu.Kernels;
using WebNN.Graph;

namespace WebNN.Cpu.Lowerings;

/// <summary>The ten reductions and the three 2-D poolings (pooling runs in NHWC; NCHW is transposed around it).</summary>
internal static class ReductionLowering
{
    private static readonly int[] NchwToNhwc = [0, 2, 3, 1];
    private static readonly int[] NhwcToNchw = [0, 3, 1, 2];

    private static readonly (string Name, ReduceKind Kind)[] Reductions =
    [
        ("reduceL1", ReduceKind.L1), ("reduceL2", ReduceKind.L2), ("reduceLogSum", ReduceKind.LogSum), ("reduceLogSumExp", ReduceKind.LogSumExp),
        ("reduceMax", ReduceKind.Max), ("reduceMean", ReduceKind.Mean), ("reduceMin", ReduceKind.Min), ("reduceProduct", ReduceKind.Product),
        ("reduceSum", ReduceKind.Sum), ("reduceSumSquare", ReduceKind.SumSquare),
    ];

    private static readonly (string Name, PoolKind Kind)[] Poolings =
    [
        ("averagePool2d", PoolKind.Average), ("l2Pool2d", PoolKind.L2), ("maxPool2d", PoolKind.Max),
    ];

    public static IEnumerable<KeyValuePair<string, CpuOperatorEntry>> Entries()
    {
        foreach (var (name, kind) in Reductions)
        {
            yield return new(name, new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, (op, lowering) => Reduce(kind, op, lowering)));
        }
        foreach (var (name, kind) in Poolings)
        {
            yield return new(name, new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, (op, lowering) => Pool(kind, op, lowering)));
        }
    }

    private static CpuStep Reduce(ReduceKind kind, MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Inputs[0].Operand);
        var output = lowering.Value(op.Outputs[0]);
        var axes = op.AttributesAs<ReduceAttributes>().Axes;
        return new DelegateStep(run => ReduceKernel.Run(kind, run.Floats(input), input.Shape, axes, run.Floats(output)));
    }

    private static CpuStep Pool(PoolKind kind, MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Inputs[0].Operand);
        var output = lowering.Value(op.Outputs[0]);
        var a = op.AttributesAs<Pool2dAttributes>();
        bool nchw = a.Layout == MLInputOperandLayout.Nchw;
        var (n, c, h, w) = nchw ? (input.Shape[0], input.Shape[1], input.Shape[2], input.Shape[3]) : (input.Shape[0], input.Shape[3], input.Shape[1], input.Shape[2]);
        var (oh, ow) = nchw ? (output.Shape[2], output.Shape[3]) : (output.Shape[1], output.Shape[2]);
        var geometry = new Pool2dGeometry(n, h, w, c, oh, ow, a.WindowDimensions[0], a.WindowDimensions[1], a.Padding[0], a.Padding[2], a.Strides[0], a.Strides[1], a.Dilations[0], a.Dilations[1]);
        if (!nchw)
        {
            return new DelegateStep(run => Pool2dKernel.Run(kind, run.Floats(input), run.Floats(output), geometry));
        }
        var nhwcInput = lowering.Scratch(MLOperandDataType.Float32, [n, h, w, c]);
        var nhwcOutput = lowering.Scratch(MLOperandDataType.Float32, [n, oh, ow, c]);
        return new DelegateStep(run =>
        {
            TransposeKernel.Run<float>(run.Floats(input), input.Shape, NchwToNhwc, run.Floats(nhwcInput));
            Pool2dKernel.Run(kind, run.Floats(nhwcInput), run.Floats(nhwcOutput), geometry);
            TransposeKernel.Run<float>(run.Floats(nhwcOutput), nhwcOutput.Shape, NhwcToNchw, run.Floats(output));
        });
    }
}
