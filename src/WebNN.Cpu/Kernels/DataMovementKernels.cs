namespace WebNN.Cpu.Kernels;

/// <summary>How <see cref="DataMovementKernels.Pad{T}"/> fills the border.</summary>
internal enum PadKernelMode { Constant, Edge, Reflection }

/// <summary>
/// Kernels that move elements without arithmetic, generic over the element so that one serves every
/// data type (callers pick the unsigned integer of the element's size).
/// </summary>
internal static class DataMovementKernels
{
    /// <summary>Copies one of concat's inputs into its place in the output: along <paramref name="axis"/>, after <paramref name="axisOffset"/> elements of the inputs before it.</summary>
    public static void ConcatPart<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> shape, int axis, int axisOffset, Span<T> output, ReadOnlySpan<int> outputShape) where T : unmanaged
    {
        int outer = (int)Shapes.ElementCount(shape[..axis]);
        int inner = (int)Shapes.ElementCount(shape[(axis + 1)..]);
        int block = shape[axis] * inner;
        int outputBlock = outputShape[axis] * inner;
        for (int o = 0; o < outer; o++)
        {
            input.Slice(o * block, block).CopyTo(output.Slice(o * outputBlock + axisOffset * inner, block));
        }
    }

    /// <summary>Copies the window starts + i·strides (i &lt; output size) along every axis.</summary>
    public static void Slice<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> shape, ReadOnlySpan<int> starts, ReadOnlySpan<int> strides, Span<T> output, ReadOnlySpan<int> outputShape) where T : unmanaged
    {
        int rank = shape.Length;
        var inputStrides = Shapes.Strides(shape);
        Span<int> index = stackalloc int[Math.Max(rank, 1)];
        for (int o = 0; o < output.Length; o++)
        {
            int source = 0;
            for (int d = 0; d < rank; d++)
            {
                source += (starts[d] + index[d] * strides[d]) * inputStrides[d];
            }
            output[o] = input[source];
            Increment(index, outputShape);
        }
    }

    /// <summary>Pads every axis by <paramref name="beginning"/> and <paramref name="ending"/> elements.</summary>
    public static void Pad<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> shape, ReadOnlySpan<int> beginning, PadKernelMode mode, T value, Span<T> output, ReadOnlySpan<int> outputShape) where T : unmanaged
    {
        int rank = shape.Length;
        var inputStrides = Shapes.Strides(shape);
        Span<int> index = stackalloc int[Math.Max(rank, 1)];
        for (int o = 0; o < output.Length; o++)
        {
            int source = 0;
            bool inside = true;
            for (int d = 0; d < rank; d++)
            {
                int i = index[d] - beginning[d];
                int size = shape[d];
                if ((uint)i >= (uint)size)
                {
                    switch (mode)
                    {
                        case PadKernelMode.Constant: inside = false; break;
                        case PadKernelMode.Edge: i = Math.Clamp(i, 0, size - 1); break;
                        default: i = i < 0 ? -i : 2 * (size - 1) - i; break;
                    }
                }
                source += i * inputStrides[d];
            }
            output[o] = inside ? input[source] : value;
            Increment(index, outputShape);
        }
    }

    /// <summary>Broadcasts the input (unidirectionally) to the output shape, rows mapped by <paramref name="indexer"/> (made at lowering).</summary>
    public static void Expand<T>(ReadOnlySpan<T> input, Span<T> output, BroadcastIndexer indexer) where T : unmanaged
    {
        int rowLength = indexer.RowLength;
        bool row = indexer.InnerStride(0) != 0;
        Span<int> offset = stackalloc int[1];
        for (int r = 0; r < indexer.RowCount; r++)
        {
            indexer.RowOffsets(r, offset);
            var destination = output.Slice(r * rowLength, rowLength);
            if (row)
            {
                input.Slice(offset[0], rowLength).CopyTo(destination);
            }
            else
            {
                destination.Fill(input[offset[0]]);
            }
        }
    }

    /// <summary>
    /// Gathers slices along <paramref name="axis"/>: output[outer, i, inner] = input[outer, indices[i], inner];
    /// a negative index counts from the end; indices are clamped into range, as the spec asks of out-of-bounds indices.
    /// </summary>
    public static void Gather<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> shape, int axis, ReadOnlySpan<long> indices, Span<T> output) where T : unmanaged
    {
        int outer = (int)Shapes.ElementCount(shape[..axis]);
        int axisSize = shape[axis];
        int inner = (int)Shapes.ElementCount(shape[(axis + 1)..]);
        int o = 0;
        for (int b = 0; b < outer; b++)
        {
            foreach (long raw in indices)
            {
                input.Slice((b * axisSize + ResolveIndex(raw, axisSize)) * inner, inner).CopyTo(output.Slice(o, inner));
                o += inner;
            }
        }
    }

    /// <summary>
    /// An index along a dimension of <paramref name="size"/>: a negative index counts from the end, and an
    /// index still out of range is clamped into it, as the spec asks of out-of-bounds indices.
    /// </summary>
    public static int ResolveIndex(long index, int size) => (int)Math.Clamp(index < 0 ? index + size : index, 0, size - 1);

    internal static void Increment(Span<int> index, ReadOnlySpan<int> shape)
    {
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (++index[d] < shape[d])
            {
                return;
            }
            index[d] = 0;
        }
    }
}
