using System.Numerics.Tensors;
using WebNN.Cpu.Kernels;
using WebNN.Graph;

namespace WebNN.Cpu.Lowerings;

/// <summary>
/// batchNormalization, instanceNormalization and layerNormalization, composed from the reduction and
/// broadcasting kernels: mean and variance over the normalized axes, then (x − mean) / √(variance + ε),
/// then scale and bias broadcast along the axes they index.
/// </summary>
internal static class NormalizationLowering
{
    public static IEnumerable<KeyValuePair<string, CpuOperatorEntry>> Entries()
    {
        yield return new("batchNormalization", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, BatchNormalization));
        yield return new("instanceNormalization", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, InstanceNormalization));
        yield return new("layerNormalization", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, LayerNormalization));
    }

    /// <summary>y = x · a + b per feature, with a = scale / √(variance + ε) and b = bias − mean · a.</summary>
    private static CpuStep BatchNormalization(MLOperator op, CpuLowering lowering)
    {
        var attributes = op.AttributesAs<BatchNormalizationAttributes>();
        var input = lowering.Value(op.Input("input")!);
        var mean = lowering.Value(op.Input("mean")!);
        var variance = lowering.Value(op.Input("variance")!);
        CpuValue? scale = op.Input("scale") is { } s ? lowering.Value(s) : null;
        CpuValue? bias = op.Input("bias") is { } b ? lowering.Value(b) : null;
        var output = lowering.Value(op.Outputs[0]);
        int features = input.Shape[attributes.Axis];
        var featureShape = FeatureShape(input.Shape, [attributes.Axis]);
        float epsilon = (float)attributes.Epsilon;
        var multiplier = new float[features];
        var offset = new float[features];
        return new DelegateStep(run =>
        {
            TensorPrimitives.Add(run.Floats(variance), epsilon, multiplier);
            TensorPrimitives.ReciprocalSqrt(multiplier, multiplier);
            if (scale is { } scaleValue)
            {
                TensorPrimitives.Multiply(multiplier, run.Floats(scaleValue), multiplier);
            }
            TensorPrimitives.Multiply(run.Floats(mean), multiplier, offset);
            TensorPrimitives.Negate(offset, offset);
            if (bias is { } biasValue)
            {
                TensorPrimitives.Add(offset, run.Floats(biasValue), offset);
            }
            BinaryKernel.Run(BinaryKind.Mul, run.Floats(input), input.Shape, multiplier, featureShape, run.Floats(output), output.Shape);
            BinaryKernel.Run(BinaryKind.Add, run.Floats(output), output.Shape, offset, featureShape, run.Floats(output), output.Shape);
        });
    }

    private static CpuStep InstanceNormalization(MLOperator op, CpuLowering lowering)
    {
        var attributes = op.AttributesAs<InstanceNormalizationAttributes>();
        int[] spatialAxes = attributes.Layout == MLInputOperandLayout.Nchw ? [2, 3] : [1, 2];
        int channelAxis = attributes.Layout == MLInputOperandLayout.Nchw ? 1 : 3;
        return Normalize(op, lowering, spatialAxes, [channelAxis], attributes.Epsilon);
    }

    private static CpuStep LayerNormalization(MLOperator op, CpuLowering lowering)
    {
        var attributes = op.AttributesAs<LayerNormalizationAttributes>();
        return Normalize(op, lowering, attributes.Axes, attributes.Axes, attributes.Epsilon);
    }

    /// <summary>
    /// Normalizes over <paramref name="axes"/>, then multiplies by scale and adds bias, whose dimensions
    /// run along <paramref name="parameterAxes"/> in that order.
    /// </summary>
    private static CpuStep Normalize(MLOperator op, CpuLowering lowering, int[] axes, int[] parameterAxes, double epsilon)
    {
        var input = lowering.Value(op.Input("input")!);
        CpuValue? scale = op.Input("scale") is { } s ? lowering.Value(s) : null;
        CpuValue? bias = op.Input("bias") is { } b ? lowering.Value(b) : null;
        var output = lowering.Value(op.Outputs[0]);
        var statisticsShape = (int[])input.Shape.Clone();
        foreach (int axis in axes)
        {
            statisticsShape[axis] = 1;
        }
        int statistics = (int)Shapes.ElementCount(statisticsShape);
        var mean = new float[statistics];
        var deviation = new float[statistics];
        var centered = lowering.Scratch(MLOperandDataType.Float32, input.Shape);
        // Scale and bias follow parameterAxes' order; when those are not ascending, they are transposed to the input's order once per run.
        var order = Enumerable.Range(0, parameterAxes.Length).OrderBy(i => parameterAxes[i]).ToArray();
        bool ascending = order.SequenceEqual(Enumerable.Range(0, order.Length));
        var parameterShape = FeatureShape(input.Shape, parameterAxes);
        var parameterBuffer = ascending ? null : new float[Shapes.ElementCount(parameterShape)];
        float eps = (float)epsilon;
        return new DelegateStep(run =>
        {
            var x = run.Floats(input);
            var y = run.Floats(output);
            var c = run.Floats(centered);
            ReduceKernel.Run(ReduceKind.Mean, x, input.Shape, axes, mean);
            BinaryKernel.Run(BinaryKind.Sub, x, input.Shape, mean, statisticsShape, c, input.Shape);
            TensorPrimitives.Multiply(c, c, y);
            ReduceKernel.Run(ReduceKind.Mean, y, input.Shape, axes, deviation);
            TensorPrimitives.Add(deviation, eps, deviation);
            TensorPrimitives.Sqrt(deviation, deviation);
            BinaryKernel.Run(BinaryKind.Div, c, input.Shape, deviation, statisticsShape, y, input.Shape);
            if (scale is { } scaleValue)
            {
                BinaryKernel.Run(BinaryKind.Mul, y, input.Shape, Ordered(run.Floats(scaleValue), scaleValue.Shape, order, parameterBuffer), parameterShape, y, input.Shape);
            }
            if (bias is { } biasValue)
            {
                BinaryKernel.Run(BinaryKind.Add, y, input.Shape, Ordered(run.Floats(biasValue), biasValue.Shape, order, parameterBuffer), parameterShape, y, input.Shape);
            }
        });
    }

    /// <summary>A parameter with its dimensions put in ascending axis order (transposed into <paramref name="buffer"/> when needed).</summary>
    private static ReadOnlySpan<float> Ordered(ReadOnlySpan<float> parameter, int[] shape, int[] order, float[]? buffer)
    {
        if (buffer is null)
        {
            return parameter;
        }
        TransposeKernel.Run(parameter, shape, order, buffer);
        return buffer;
    }

    /// <summary>The input's shape with 1 everywhere but <paramref name="axes"/>: the broadcast shape of per-axis parameters.</summary>
    private static int[] FeatureShape(int[] inputShape, int[] axes)
    {
        var shape = Enumerable.Repeat(1, inputShape.Length).ToArray();
        foreach (int axis in axes)
        {
            shape[axis] = inputShape[axis];
        }
        return shape;
    }
}
