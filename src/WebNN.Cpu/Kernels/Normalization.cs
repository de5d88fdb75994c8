using System.Numerics.Tensors;

namespace WebNN.Cpu.Kernels;

/// <summary>batchNormalization, instanceNormalization, layerNormalization (spec emulations: scale·(x−mean)/sqrt(var+ε) + bias).</summary>
internal static class Normalization
{
    /// <summary>output = scale·(input − mean)/sqrt(variance + ε) + bias, per index along <paramref name="axis"/>.</summary>
    /// <param name="input">N-D input.</param>
    /// <param name="shape">Its shape.</param>
    /// <param name="axis">The feature axis.</param>
    /// <param name="mean">shape[axis] means.</param>
    /// <param name="variance">shape[axis] variances.</param>
    /// <param name="scale">Empty (1) or shape[axis] values.</param>
    /// <param name="bias">Empty (0) or shape[axis] values.</param>
    /// <param name="epsilon">ε (already cast to the input type).</param>
    /// <param name="output">Same shape as input.</param>
    public static void BatchNormalization(ReadOnlySpan<float> input, ReadOnlySpan<int> shape, int axis,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> variance, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias,
        float epsilon, Span<float> output)
    {
        int outer = 1, inner = 1, c = shape[axis];
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        float[] mulBuf = KernelScratch.Floats.Rent(c);
        Span<float> mul = mulBuf.AsSpan(0, c);
        for (int ch = 0; ch < c; ch++) mul[ch] = (scale.IsEmpty ? 1f : scale[ch]) / MathF.Sqrt(variance[ch] + epsilon);
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++)
            {
                Span<float> y = output.Slice(o * c, c);
                TensorPrimitives.Subtract(input.Slice(o * c, c), mean.Slice(0, c), y);
                if (bias.IsEmpty) TensorPrimitives.Multiply(y, mul, y);
                else TensorPrimitives.MultiplyAdd(y, mul, bias.Slice(0, c), y);
            }
        }
        else
        {
            for (int o = 0; o < outer; o++)
                for (int ch = 0; ch < c; ch++)
                {
                    int off = (o * c + ch) * inner;
                    Span<float> y = output.Slice(off, inner);
                    TensorPrimitives.Subtract(input.Slice(off, inner), mean[ch], y);
                    if (bias.IsEmpty) TensorPrimitives.Multiply(y, mul[ch], y);
                    else { TensorPrimitives.Multiply(y, mul[ch], y); TensorPrimitives.Add(y, bias[ch], y); }
                }
        }
        KernelScratch.Floats.Return(mulBuf);
    }

    /// <summary>Per batch and channel, normalizes over the spatial dimensions, then scale·x + bias per channel.</summary>
    /// <param name="input">4-D input in <paramref name="layout"/>.</param>
    /// <param name="shape">[N,C,H,W] or [N,H,W,C].</param>
    /// <param name="layout">Layout.</param>
    /// <param name="scale">Empty (1) or C values.</param>
    /// <param name="bias">Empty (0) or C values.</param>
    /// <param name="epsilon">ε.</param>
    /// <param name="output">Same shape as input.</param>
    public static void InstanceNormalization(ReadOnlySpan<float> input, ReadOnlySpan<int> shape, MLInputOperandLayout layout,
        ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, float epsilon, Span<float> output)
    {
        bool nchw = layout == MLInputOperandLayout.Nchw;
        int n = shape[0], c = nchw ? shape[1] : shape[3], hw = nchw ? shape[2] * shape[3] : shape[1] * shape[2];
        if (hw == 0) return;
        if (nchw)
        {
            for (int p = 0; p < n * c; p++)
            {
                int ch = p % c;
                ReadOnlySpan<float> x = input.Slice(p * hw, hw);
                Span<float> y = output.Slice(p * hw, hw);
                float mu = TensorPrimitives.Sum(x) / hw;
                TensorPrimitives.Subtract(x, mu, y);
                float var = TensorPrimitives.SumOfSquares(y) / hw;
                float m = (scale.IsEmpty ? 1f : scale[ch]) / MathF.Sqrt(var + epsilon);
                TensorPrimitives.Multiply(y, m, y);
                if (!bias.IsEmpty) TensorPrimitives.Add(y, bias[ch], y);
            }
            return;
        }
        float[] buf = KernelScratch.Floats.Rent(3 * c);
        Span<float> mean = buf.AsSpan(0, c), acc = buf.AsSpan(c, c), mul = buf.AsSpan(2 * c, c);
        for (int b = 0; b < n; b++)
        {
            ReadOnlySpan<float> x = input.Slice(b * hw * c, hw * c);
            Span<float> y = output.Slice(b * hw * c, hw * c);
            mean.Clear();
            for (int i = 0; i < hw; i++) TensorPrimitives.Add(mean, x.Slice(i * c, c), mean);
            TensorPrimitives.Divide(mean, hw, mean);
            acc.Clear();
            for (int i = 0; i < hw; i++)
            {
                Span<float> d = y.Slice(i * c, c);
                TensorPrimitives.Subtract(x.Slice(i * c, c), mean, d);
                TensorPrimitives.MultiplyAdd(d, d, acc, acc);
            }
            for (int ch = 0; ch < c; ch++) mul[ch] = (scale.IsEmpty ? 1f : scale[ch]) / MathF.Sqrt(acc[ch] / hw + epsilon);
            for (int i = 0; i < hw; i++)
            {
                Span<float> d = y.Slice(i * c, c);
                if (bias.IsEmpty) TensorPrimitives.Multiply(d, mul, d);
                else TensorPrimitives.MultiplyAdd(d, mul, bias.Slice(0, c), d);
            }
        }
        KernelScratch.Floats.Return(buf);
    }

    /// <summary>
    /// Normalizes over the dimensions in <paramref name="axes"/> (mean and variance per index of the other dims), then
    /// scale·x + bias, where scale and bias have shape [shape[axes[0]], shape[axes[1]], ...] (in the order of axes).
    /// </summary>
    /// <param name="input">N-D input (rank 0 allowed).</param>
    /// <param name="shape">Its shape.</param>
    /// <param name="axes">Distinct axes, any order; may be empty (then output = bias, as (x−x)/sqrt(ε) = 0).</param>
    /// <param name="scale">Empty (1) or the scale tensor.</param>
    /// <param name="bias">Empty (0) or the bias tensor.</param>
    /// <param name="epsilon">ε.</param>
    /// <param name="output">Same shape as input.</param>
    public static void LayerNormalization(ReadOnlySpan<float> input, ReadOnlySpan<int> shape, ReadOnlySpan<int> axes,
        ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, float epsilon, Span<float> output)
    {
        int rank = shape.Length;
        // Permutation: kept dims first (in order), then reduced dims in the order of axes. The scale/bias index is the
        // row-major index over the reduced dims in axes order, which is exactly the inner index of this permutation.
        Span<int> perm = stackalloc int[Math.Max(rank, 1)];
        Span<bool> reduced = stackalloc bool[Math.Max(rank, 1)];
        reduced.Clear();
        foreach (int a in axes) reduced[a] = true;
        int pi = 0, outer = 1, inner = 1;
        for (int d = 0; d < rank; d++) if (!reduced[d]) { perm[pi++] = d; outer *= shape[d]; }
        foreach (int a in axes) { perm[pi++] = a; inner *= shape[a]; }
        if (outer == 0 || inner == 0) return;

        bool identity = true;
        for (int d = 0; d < rank; d++) identity &= perm[d] == d;
        Span<int> strides = stackalloc int[Math.Max(rank, 1)];
        int s = 1;
        for (int d = rank - 1; d >= 0; d--) { strides[d] = s; s *= shape[d]; }

        float[]? rowBuf = identity ? null : KernelScratch.Floats.Rent(inner);
        Span<int> counter = stackalloc int[Math.Max(rank, 1)];
        Span<int> offsets = identity ? default : new int[inner];
        if (!identity)
        {
            // Offsets within the input of each inner (reduced) index, in axes order.
            int na = axes.Length;
            counter.Clear();
            for (int j = 0; j < inner; j++)
            {
                int off = 0;
                for (int q = 0; q < na; q++) off += counter[q] * strides[axes[q]];
                offsets[j] = off;
                for (int q = na - 1; q >= 0; q--) { if (++counter[q] < shape[axes[q]]) break; counter[q] = 0; }
            }
        }
        counter.Clear();
        int nk = rank - axes.Length;
        for (int o = 0; o < outer; o++)
        {
            int baseOff = 0;
            for (int q = 0; q < nk; q++) baseOff += counter[q] * strides[perm[q]];
            for (int q = nk - 1; q >= 0; q--) { if (++counter[q] < shape[perm[q]]) break; counter[q] = 0; }

            Span<float> row;
            if (identity) row = output.Slice(o * inner, inner);
            else
            {
                row = rowBuf.AsSpan(0, inner);
                for (int j = 0; j < inner; j++) row[j] = input[baseOff + offsets[j]];
            }
            ReadOnlySpan<float> x = identity ? input.Slice(o * inner, inner) : row;
            float mu = TensorPrimitives.Sum(x) / inner;
            TensorPrimitives.Subtract(x, mu, row);
            float inv = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(row) / inner + epsilon);
            if (scale.IsEmpty) TensorPrimitives.Multiply(row, inv, row);
            else { TensorPrimitives.Multiply(row, inv, row); TensorPrimitives.Multiply(row, scale.Slice(0, inner), row); }
            if (!bias.IsEmpty) TensorPrimitives.Add(row, bias.Slice(0, inner), row);
            if (!identity) for (int j = 0; j < inner; j++) output[baseOff + offsets[j]] = row[j];
        }
        if (rowBuf != null) KernelScratch.Floats.Return(rowBuf);
    }
}
