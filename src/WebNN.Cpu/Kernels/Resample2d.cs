using System.Numerics;

namespace WebNN.Cpu.Kernels;

/// <summary>
/// resample2d on any two axes of a 4-D tensor, as the spec defines it: each output coordinate maps to the
/// input coordinate (o + 0.5) / scale − 0.5 clamped into the input; nearest-neighbor takes ceil(c − 0.5),
/// linear interpolates between floor(c) and ceil(c) along both axes (in double, narrowed to the element type).
/// </summary>
internal static class Resample2d
{
    public static void Run<T>(ReadOnlySpan<T> input, int[] shape, Span<T> output, int[] outputShape, int[] axes, float[] scales, bool linear) where T : INumber<T>
    {
        var strides = Shapes.Strides(shape);
        var first = Samples(shape[axes[0]], outputShape[axes[0]], scales[0], linear);
        var second = Samples(shape[axes[1]], outputShape[axes[1]], scales[1], linear);
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
                double lowRow = Lerp(input[low + b.Low * secondStride], input[low + b.High * secondStride], b.Weight);
                double highRow = Lerp(input[high + b.Low * secondStride], input[high + b.High * secondStride], b.Weight);
                output[o] = NumericConversion.Narrow<T>(lowRow * (1 - a.Weight) + highRow * a.Weight);
            }
            else
            {
                output[o] = input[low + b.Low * secondStride];
            }
            DataMovementKernels.Increment(index, outputShape);
        }
    }

    /// <summary>Where one output coordinate samples: two input coordinates and the weight of the higher (nearest-neighbor: one coordinate).</summary>
    private readonly record struct Sample(int Low, int High, double Weight);

    private static Sample[] Samples(int inputSize, int outputSize, float scale, bool linear)
    {
        var samples = new Sample[outputSize];
        for (int o = 0; o < outputSize; o++)
        {
            double coordinate = Math.Clamp((o + 0.5) / scale - 0.5, 0, inputSize - 1);
            if (linear)
            {
                int low = (int)Math.Floor(coordinate);
                samples[o] = new Sample(low, (int)Math.Ceiling(coordinate), coordinate - low);
            }
            else
            {
                int nearest = (int)Math.Ceiling(coordinate - 0.5);
                samples[o] = new Sample(nearest, nearest, 0);
            }
        }
        return samples;
    }

    private static double Lerp<T>(T low, T high, double weight) where T : INumber<T> =>
        double.CreateTruncating(low) * (1 - weight) + double.CreateTruncating(high) * weight;
}
