using System.Numerics;

namespace WebNN.Cpu.Kernels;

/// <summary>
/// Operations along one axis of a tensor seen as [outer, axis, inner]: argMin/argMax and cumulativeSum,
/// generic over the element type.
/// </summary>
internal static class AxisKernels
{
    /// <summary>
    /// The index of the largest (or smallest) value along <paramref name="axis"/>: the first such index on
    /// ties, and the first NaN's index where there is one (a NaN is taken as the extreme, as reduceMax/reduceMin propagate it).
    /// The output, [outer, inner], is laid out as with the axis dropped or kept as 1.
    /// </summary>
    public static void ArgMinMax<T, TIndex>(ReadOnlySpan<T> input, ReadOnlySpan<int> shape, int axis, bool max, Span<TIndex> output)
        where T : INumber<T> where TIndex : IBinaryInteger<TIndex>
    {
        var (outer, axisSize, inner) = Split(shape, axis);
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int start = o * axisSize * inner + i;
                T best = input[start];
                int bestIndex = 0;
                for (int k = 1; k < axisSize && !T.IsNaN(best); k++)
                {
                    T value = input[start + k * inner];
                    if (T.IsNaN(value) || (max ? value > best : value < best))
                    {
                        best = value;
                        bestIndex = k;
                    }
                }
                output[o * inner + i] = TIndex.CreateTruncating(bestIndex);
            }
        }
    }

    /// <summary>
    /// Running sums along <paramref name="axis"/>, from the first element or (reversed) from the last, each
    /// including its own element or (exclusive) only those before it. Integers wrap on overflow.
    /// </summary>
    public static void CumulativeSum<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> shape, int axis, bool exclusive, bool reversed, Span<T> output)
        where T : INumber<T>
    {
        var (outer, axisSize, inner) = Split(shape, axis);
        int step = reversed ? -inner : inner;
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int position = o * axisSize * inner + i + (reversed ? (axisSize - 1) * inner : 0);
                T sum = T.Zero;
                for (int k = 0; k < axisSize; k++, position += step)
                {
                    T value = input[position];
                    if (exclusive)
                    {
                        output[position] = sum;
                        sum += value;
                    }
                    else
                    {
                        sum += value;
                        output[position] = sum;
                    }
                }
            }
        }
    }

    private static (int Outer, int AxisSize, int Inner) Split(ReadOnlySpan<int> shape, int axis) =>
        ((int)Shapes.ElementCount(shape[..axis]), shape[axis], (int)Shapes.ElementCount(shape[(axis + 1)..]));
}
