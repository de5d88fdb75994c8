using System.Numerics.Tensors;

namespace WebNN.Cpu.Kernels;

/// <summary>softmax along one axis of a float32 tensor, numerically stable (the maximum is subtracted first).</summary>
internal static class SoftmaxKernel
{
    public static void Run(ReadOnlySpan<float> input, ReadOnlySpan<int> shape, int axis, Span<float> output)
    {
        int axisLength = shape[axis];
        int inner = (int)Shapes.ElementCount(shape[(axis + 1)..]);
        int outer = (int)Shapes.ElementCount(shape[..axis]);
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++)
            {
                var x = input.Slice(o * axisLength, axisLength);
                var y = output.Slice(o * axisLength, axisLength);
                float max = TensorPrimitives.Max(x);
                TensorPrimitives.Subtract(x, max, y);
                TensorPrimitives.Exp(y, y);
                TensorPrimitives.Divide(y, TensorPrimitives.Sum(y), y);
            }
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            int baseIndex = o * axisLength * inner;
            for (int i = 0; i < inner; i++)
            {
                float max = float.NegativeInfinity;
                for (int k = 0; k < axisLength; k++)
                {
                    max = Math.Max(max, input[baseIndex + k * inner + i]);
                }
                double sum = 0;
                for (int k = 0; k < axisLength; k++)
                {
                    float e = MathF.Exp(input[baseIndex + k * inner + i] - max);
                    output[baseIndex + k * inner + i] = e;
                    sum += e;
                }
                float scale = (float)(1 / sum);
                for (int k = 0; k < axisLength; k++)
                {
                    output[baseIndex + k * inner + i] *= scale;
                }
            }
        }
    }
}
