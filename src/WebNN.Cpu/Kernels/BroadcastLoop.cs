namespace WebNN.Cpu.Kernels;

/// <summary>An element-wise function of one value, as a type so that the loop inlines it.</summary>
internal interface IUnaryFunction<T, TResult>
{
    static abstract TResult Invoke(T x);
}

/// <summary>An element-wise function of two values, as a type so that the loop inlines it.</summary>
internal interface IBinaryFunction<T, TResult>
{
    static abstract TResult Invoke(T a, T b);
}

/// <summary>
/// The scalar element-wise loops of every element type: one loop per arity serves every function.
/// Inputs are broadcast bidirectionally to the output's shape, row by row (<see cref="BroadcastIndexer"/>).
/// </summary>
internal static class BroadcastLoop
{
    public static void Unary<T, TResult, TFunction>(ReadOnlySpan<T> x, Span<TResult> y) where TFunction : IUnaryFunction<T, TResult>
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = TFunction.Invoke(x[i]);
        }
    }

    /// <summary>output = f(a, b) with both inputs broadcast by <paramref name="indexer"/> (made for the shapes at lowering).</summary>
    public static void Binary<T, TResult, TFunction>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<TResult> output, BroadcastIndexer indexer)
        where TFunction : IBinaryFunction<T, TResult>
    {
        int rowLength = indexer.RowLength;
        int aStep = indexer.InnerStride(0), bStep = indexer.InnerStride(1);
        Span<int> offsets = stackalloc int[2];
        for (int row = 0; row < indexer.RowCount; row++)
        {
            indexer.RowOffsets(row, offsets);
            var outputRow = output.Slice(row * rowLength, rowLength);
            for (int i = 0, ia = offsets[0], ib = offsets[1]; i < rowLength; i++, ia += aStep, ib += bStep)
            {
                outputRow[i] = TFunction.Invoke(a[ia], b[ib]);
            }
        }
    }

    /// <summary>where: the true value where the condition is non-zero, else the false value.</summary>
    public static void Select<T>(ReadOnlySpan<byte> condition, ReadOnlySpan<T> whenTrue, ReadOnlySpan<T> whenFalse, Span<T> output, BroadcastIndexer indexer)
    {
        int rowLength = indexer.RowLength;
        int cStep = indexer.InnerStride(0), tStep = indexer.InnerStride(1), fStep = indexer.InnerStride(2);
        Span<int> offsets = stackalloc int[3];
        for (int row = 0; row < indexer.RowCount; row++)
        {
            indexer.RowOffsets(row, offsets);
            var outputRow = output.Slice(row * rowLength, rowLength);
            for (int i = 0, ic = offsets[0], it = offsets[1], jf = offsets[2]; i < rowLength; i++, ic += cStep, it += tStep, jf += fStep)
            {
                outputRow[i] = condition[ic] != 0 ? whenTrue[it] : whenFalse[jf];
            }
        }
    }
}
