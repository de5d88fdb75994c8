using WebNN.Cpu.Kernels;
using WebNN.Graph;

namespace WebNN.Cpu.Lowerings;

/// <summary>batchNormalization, instanceNormalization and layerNormalization on their kernels; absent scale and bias are empty spans.</summary>
internal static class NormalizationLowering
{
    public static IEnumerable<KeyValuePair<string, CpuOperatorEntry>> Entries()
    {
        yield return new("batchNormalization", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, BatchNormalizationStep));
        yield return new("instanceNormalization", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, InstanceNormalizationStep));
        yield return new("layerNormalization", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, LayerNormalizationStep));
    }

    private static CpuStep BatchNormalizationStep(MLOperator op, CpuLowering lowering)
    {
        var attributes = op.AttributesAs<BatchNormalizationAttributes>();
        var (input, scale, bias, output) = Values(op, lowering);
        var mean = lowering.Value(op.Input("mean")!);
        var variance = lowering.Value(op.Input("variance")!);
        return new DelegateStep(run => Normalization.BatchNormalization(run.Floats(input), input.Shape, attributes.Axis, run.Floats(mean), run.Floats(variance),
            run.OptionalFloats(scale), run.OptionalFloats(bias), (float)attributes.Epsilon, run.Floats(output)));
    }

    private static CpuStep InstanceNormalizationStep(MLOperator op, CpuLowering lowering)
    {
        var attributes = op.AttributesAs<InstanceNormalizationAttributes>();
        var (input, scale, bias, output) = Values(op, lowering);
        return new DelegateStep(run => Normalization.InstanceNormalization(run.Floats(input), input.Shape, attributes.Layout,
            run.OptionalFloats(scale), run.OptionalFloats(bias), (float)attributes.Epsilon, run.Floats(output)));
    }

    private static CpuStep LayerNormalizationStep(MLOperator op, CpuLowering lowering)
    {
        var attributes = op.AttributesAs<LayerNormalizationAttributes>();
        var (input, scale, bias, output) = Values(op, lowering);
        return new DelegateStep(run => Normalization.LayerNormalization(run.Floats(input), input.Shape, attributes.Axes,
            run.OptionalFloats(scale), run.OptionalFloats(bias), (float)attributes.Epsilon, run.Floats(output)));
    }

    private static (CpuValue Input, CpuValue? Scale, CpuValue? Bias, CpuValue Output) Values(MLOperator op, CpuLowering lowering) => (
        lowering.Value(op.Input("input")!),
        op.Input("scale") is { } scale ? lowering.Value(scale) : null,
        op.Input("bias") is { } bias ? lowering.Value(bias) : null,
        lowering.Value(op.Outputs[0]));
}
