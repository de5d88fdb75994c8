namespace WebNN.Cpu.Kernels;

/// <summary>Permutes the dimensions of a row-major tensor of any element type: output dimension i is input dimension permutation[i].</summary>
internal static class TransposeKernel
{
    public static void Run<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> shape, ReadOnlySpan<int> permutation, Span<T> output) where T : unmanaged
    {
        int rank = shape.Length;
        if (rank == 0)
        {
            output[0] = input[0];
            return;
        }
        var inputStrides = Shapes.Strides(shape);
        Span<int> outputShape = stackalloc int[rank];
        Span<int> strides = stackalloc int[rank];
        for (int i = 0; i < rank; i++)
        {
            outputShape[i] = shape[permutation[i]];
            strides[i] = inputStrides[permutation[i]];
        }
        int inner = outputShape[rank - 1];
        int innerStride = strides[rank - 1];
        Span<int> index = stackalloc int[rank];
        int outputOffset = 0;
        int rows = output.Length / inner;
        for (int row = 0; row < rows; row++)
        {
            int source = 0;
            for (int d = 0; d < rank - 1; d++)
            {
                source += index[d] * strides[d];
            }
            if (innerStride == 1)
            {
                input.Slice(source, inner).CopyTo(output.Slice(outputOffset, inner));
            }
            else
            {
                for (int i = 0; i < inner; i++)
                {
                    output[outputOffset + i] = input[source + i * innerStride];
                }
            }
            outputOffset += inner;
            for (int d = rank - 2; d >= 0; d--)
            {
                if (++index[d] < outputShape[d])
                {
                    break;
                }
                index[d] = 0;
            }
        }
    }
}
