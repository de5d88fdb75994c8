using System.Numerics;

namespace WebNN.Cpu.Kernels;

/// <summary>
/// resample2d on any two axes of a 4-D tensor, sampling where <see cref="Resample2dAttributes.Samples"/> says;
/// linear interpolates along both axes in float32, with the weights rounded to float32 and each step rounded as written
/// (no fused multiply-add), then rounds to an integer type half to even: a rule the WebGPU kernel follows operation for
/// operation, so both backends give the same integers, ties included.
/// </summary>
internal static class Resample2d
{
    public static void Run<T>(ReadOnlySpan<T> input, int[] shape, Span<T> output, int[] outputShape, Resample2dAttributes attributes) where T : INumber<T>
    {
        var axes = attributes.Axes;
        bool linear = attributes.Mode == MLInterpolationMode.Linear;
        var strides = Shapes.Strides(shape);
        var first = attributes.Samples(0, shape[axes[0]], outputShape[axes[0]]);
        var second = attributes.Samples(1, shape[axes[1]], outputShape[axes[1]]);
        int firstStride = strides[axes[0]], secondStride = strides[axes[1]];
        Span<int> index = stackalloc int[shape.Length];
        for (int o = 0; o < output.Length; o++)
        {
            int start = 0;
            for (int d = 0; d < shape.Length; d++)
            {
                start += d == axes[0] || d == axes[1] ? 0 : index[d] * strides[d];
            }
            var a = first[index[axes[0]]];
            var b = second[index[axes[1]]];
            int low = start + a.Low * firstStride, high = start + a.High * firstStride;
            if (linear)
            {
                float lowRow = Lerp(float.CreateTruncating(input[low + b.Low * secondStride]), float.CreateTruncating(input[low + b.High * secondStride]), (float)b.Weight);
                float highRow = Lerp(float.CreateTruncating(input[high + b.Low * secondStride]), float.CreateTruncating(input[high + b.High * secondStride]), (float)b.Weight);
                output[o] = NumericConversion.Narrow<T>(Lerp(lowRow, highRow, (float)a.Weight));
            }
            else
            {
                output[o] = input[low + b.Low * secondStride];
            }
            DataMovementKernels.Increment(index, outputShape);
        }
    }

    private static float Lerp(float low, float high, float weight) => low * (1 - weight) + high * weight;
}
