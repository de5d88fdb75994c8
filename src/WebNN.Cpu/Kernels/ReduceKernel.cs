using System.Numerics;

namespace WebNN.Cpu.Kernels;

/// <summary>The reductions.</summary>
internal enum ReduceKind { L1, L2, LogSum, LogSumExp, Max, Mean, Min, Product, Sum, SumSquare }

/// <summary>
/// Reduces a float32 tensor over a set of axes in one pass (two for reduceLogSumExp, which subtracts the
/// maximum first), accumulating in double. The output is laid out as the input with the reduced axes
/// removed (or kept as 1: the same memory order). With no axes each element is reduced alone
/// (reduceL1 gives |x|, reduceSumSquare x², reduceLogSum log x), as the spec says.
/// </summary>
internal static class ReduceKernel
{
    public static void Run(ReduceKind kind, ReadOnlySpan<float> input, ReadOnlySpan<int> shape, ReadOnlySpan<int> axes, Span<float> output)
    {
        var outputStrides = OutputStrides(shape, axes);
        int count = 1;
        foreach (int axis in axes)
        {
            count *= shape[axis];
        }
        var accumulators = new double[output.Length];
        double[]? maxima = null;
        if (kind == ReduceKind.LogSumExp)
        {
            maxima = new double[output.Length];
            Array.Fill(maxima, double.NegativeInfinity);
            Visit(input, shape, outputStrides, (value, o) => maxima[o] = Math.Max(maxima[o], value));
        }
        double initial = kind switch
        {
            ReduceKind.Max => double.NegativeInfinity,
            ReduceKind.Min => double.PositiveInfinity,
            ReduceKind.Product => 1,
            _ => 0,
        };
        Array.Fill(accumulators, initial);
        switch (kind)
        {
            case ReduceKind.L1: Visit(input, shape, outputStrides, (v, o) => accumulators[o] += Math.Abs(v)); break;
            case ReduceKind.L2:
            case ReduceKind.SumSquare: Visit(input, shape, outputStrides, (v, o) => accumulators[o] += (double)v * v); break;
            case ReduceKind.LogSumExp:
                Visit(input, shape, outputStrides, (v, o) => accumulators[o] += double.IsNegativeInfinity(maxima![o]) ? 0 : Math.Exp(v - maxima[o]));
                break;
            case ReduceKind.Max: Visit(input, shape, outputStrides, (v, o) => accumulators[o] = double.IsNaN(v) || double.IsNaN(accumulators[o]) ? double.NaN : Math.Max(accumulators[o], v)); break;
            case ReduceKind.Min: Visit(input, shape, outputStrides, (v, o) => accumulators[o] = double.IsNaN(v) || double.IsNaN(accumulators[o]) ? double.NaN : Math.Min(accumulators[o], v)); break;
            case ReduceKind.Product: Visit(input, shape, outputStrides, (v, o) => accumulators[o] *= v); break;
            default: Visit(input, shape, outputStrides, (v, o) => accumulators[o] += v); break;
        }
        for (int o = 0; o < output.Length; o++)
        {
            double a = accumulators[o];
            output[o] = (float)(kind switch
            {
                ReduceKind.L2 => Math.Sqrt(a),
                ReduceKind.LogSum => Math.Log(a),
                ReduceKind.LogSumExp => double.IsNegativeInfinity(maxima![o]) ? double.NegativeInfinity : maxima[o] + Math.Log(a),
                ReduceKind.Mean => a / count,
                _ => a,
            });
        }
    }

    /// <summary>
    /// The reductions the spec allows on integers (L1, Product, Sum, SumSquare, Max, Min), accumulating in
    /// the element type: sums and products wrap on overflow, as integer arithmetic does.
    /// </summary>
    public static void RunInteger<T>(ReduceKind kind, ReadOnlySpan<T> input, ReadOnlySpan<int> shape, ReadOnlySpan<int> axes, Span<T> output)
        where T : INumber<T>, IMinMaxValue<T>
    {
        var accumulators = new T[output.Length];
        Array.Fill(accumulators, kind switch { ReduceKind.Max => T.MinValue, ReduceKind.Min => T.MaxValue, ReduceKind.Product => T.One, _ => T.Zero });
        Func<T, T, T> combine = kind switch
        {
            ReduceKind.L1 => (sum, v) => sum + (T.IsNegative(v) ? -v : v),
            ReduceKind.SumSquare => (sum, v) => sum + v * v,
            ReduceKind.Product => (product, v) => product * v,
            ReduceKind.Max => T.Max,
            ReduceKind.Min => T.Min,
            ReduceKind.Sum => (sum, v) => sum + v,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        Visit(input, shape, OutputStrides(shape, axes), (v, o) => accumulators[o] = combine(accumulators[o], v));
        accumulators.CopyTo(output);
    }

    /// <summary>Output strides over the input's dimensions: 0 along reduced axes.</summary>
    private static int[] OutputStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> axes)
    {
        var outputStrides = new int[shape.Length];
        int stride = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (axes.Contains(d))
            {
                continue;
            }
            outputStrides[d] = stride;
            stride *= shape[d];
        }
        return outputStrides;
    }

    /// <summary>Calls <paramref name="accumulate"/> with each input element and the index of the output element it reduces into.</summary>
    private static void Visit<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> shape, int[] outputStrides, Action<T, int> accumulate)
    {
        int rank = shape.Length;
        Span<int> index = stackalloc int[Math.Max(rank, 1)];
        int outputIndex = 0;
        for (int i = 0; i < input.Length; i++)
        {
            accumulate(input[i], outputIndex);
            for (int d = rank - 1; d >= 0; d--)
            {
                index[d]++;
                outputIndex += outputStrides[d];
                if (index[d] < shape[d])
                {
                    break;
                }
                outputIndex -= outputStrides[d] * shape[d];
                index[d] = 0;
            }
        }
    }
}
