namespace WebNN.Cpu.Kernels;

/// <summary>
/// gatherElements, gatherND, scatterElements, scatterND, reverse, tile and triangular: kernels that move
/// elements, generic over the element (callers pick the unsigned integer of the element's size).
/// Indices arrive widened to int64 and go through <see cref="DataMovementKernels.ResolveIndex"/>.
/// </summary>
internal static class IndexingKernels
{
    /// <summary>output[…, i, …] = input[…, indices[…, i, …], …] along <paramref name="axis"/>; the output has the indices' shape.</summary>
    public static void GatherElements<T>(ReadOnlySpan<T> input, int[] shape, int axis, ReadOnlySpan<long> indices, int[] indicesShape, Span<T> output)
    {
        var strides = Shapes.Strides(shape);
        Span<int> index = stackalloc int[shape.Length];
        for (int o = 0; o < output.Length; o++)
        {
            output[o] = input[ElementOffset(index, strides, axis, DataMovementKernels.ResolveIndex(indices[o], shape[axis]))];
            DataMovementKernels.Increment(index, indicesShape);
        }
    }

    /// <summary>Copies the input, then writes updates[…, i, …] at output[…, indices[…, i, …], …] along <paramref name="axis"/> (a later update to the same place wins).</summary>
    public static void ScatterElements<T>(ReadOnlySpan<T> input, int[] shape, int axis, ReadOnlySpan<long> indices, int[] indicesShape, ReadOnlySpan<T> updates, Span<T> output)
    {
        input.CopyTo(output);
        var strides = Shapes.Strides(shape);
        Span<int> index = stackalloc int[shape.Length];
        for (int u = 0; u < updates.Length; u++)
        {
            output[ElementOffset(index, strides, axis, DataMovementKernels.ResolveIndex(indices[u], shape[axis]))] = updates[u];
            DataMovementKernels.Increment(index, indicesShape);
        }
    }

    /// <summary>
    /// For each coordinate tuple in the last dimension of the indices (of length k), copies the slice of
    /// the input's trailing dimensions it addresses: output shape is indices[..^1] ++ shape[k..].
    /// </summary>
    public static void GatherND<T>(ReadOnlySpan<T> input, int[] shape, ReadOnlySpan<long> indices, int coordinateLength, Span<T> output)
    {
        int sliceLength = (int)Shapes.ElementCount(shape.AsSpan(coordinateLength));
        for (int s = 0; s * sliceLength < output.Length; s++)
        {
            int start = SliceOffset(shape, indices.Slice(s * coordinateLength, coordinateLength), sliceLength);
            input.Slice(start, sliceLength).CopyTo(output.Slice(s * sliceLength, sliceLength));
        }
    }

    /// <summary>Copies the input, then writes each slice of the updates at the coordinates of its tuple of indices (a later update to the same place wins).</summary>
    public static void ScatterND<T>(ReadOnlySpan<T> input, int[] shape, ReadOnlySpan<long> indices, int coordinateLength, ReadOnlySpan<T> updates, Span<T> output)
    {
        input.CopyTo(output);
        int sliceLength = (int)Shapes.ElementCount(shape.AsSpan(coordinateLength));
        for (int s = 0; s * sliceLength < updates.Length; s++)
        {
            int start = SliceOffset(shape, indices.Slice(s * coordinateLength, coordinateLength), sliceLength);
            updates.Slice(s * sliceLength, sliceLength).CopyTo(output.Slice(start, sliceLength));
        }
    }

    /// <summary>output[i] = input[i with each coordinate along <paramref name="axes"/> mirrored].</summary>
    public static void Reverse<T>(ReadOnlySpan<T> input, int[] shape, int[] axes, Span<T> output)
    {
        var strides = Shapes.Strides(shape);
        Span<int> index = stackalloc int[shape.Length];
        for (int o = 0; o < output.Length; o++)
        {
            int source = 0;
            for (int d = 0; d < shape.Length; d++)
            {
                source += (Array.IndexOf(axes, d) >= 0 ? shape[d] - 1 - index[d] : index[d]) * strides[d];
            }
            output[o] = input[source];
            DataMovementKernels.Increment(index, shape);
        }
    }

    /// <summary>output[i] = input[i mod shape] along every axis.</summary>
    public static void Tile<T>(ReadOnlySpan<T> input, int[] shape, Span<T> output, int[] outputShape)
    {
        var strides = Shapes.Strides(shape);
        Span<int> index = stackalloc int[shape.Length];
        for (int o = 0; o < output.Length; o++)
        {
            int source = 0;
            for (int d = 0; d < shape.Length; d++)
            {
                source += index[d] % shape[d] * strides[d];
            }
            output[o] = input[source];
            DataMovementKernels.Increment(index, outputShape);
        }
    }

    /// <summary>
    /// Keeps, in each matrix of the last two dimensions, the elements with column − row ≥ diagonal
    /// (upper) or column − row ≤ diagonal (lower), and zeroes the rest.
    /// </summary>
    public static void Triangular<T>(ReadOnlySpan<T> input, int[] shape, bool upper, int diagonal, Span<T> output) where T : unmanaged
    {
        int rows = shape[^2], columns = shape[^1];
        for (int i = 0; i < input.Length; i++)
        {
            int column = i % columns, row = i / columns % rows;
            long offset = (long)column - row;
            output[i] = (upper ? offset >= diagonal : offset <= diagonal) ? input[i] : default;
        }
    }

    /// <summary>The offset of <paramref name="index"/> with its coordinate along <paramref name="axis"/> replaced.</summary>
    private static int ElementOffset(ReadOnlySpan<int> index, int[] strides, int axis, int axisIndex)
    {
        int offset = 0;
        for (int d = 0; d < strides.Length; d++)
        {
            offset += (d == axis ? axisIndex : index[d]) * strides[d];
        }
        return offset;
    }

    /// <summary>Where the slice addressed by a tuple of leading coordinates starts.</summary>
    private static int SliceOffset(int[] shape, ReadOnlySpan<long> coordinates, int sliceLength)
    {
        int offset = 0;
        for (int d = 0; d < coordinates.Length; d++)
        {
            offset = offset * shape[d] + DataMovementKernels.ResolveIndex(coordinates[d], shape[d]);
        }
        return offset * sliceLength;
    }
}
