using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
        // NCHW ↔ NHWC and the like: a batch of matrix transposes, on 4-byte elements in 8×8 AVX tiles (bits moved as floats).
        if (Unsafe.SizeOf<T>() == sizeof(float) && BatchedMatrixTranspose(shape, permutation) is var (batch, matrixRows, matrixCols))
        {
            var source = MemoryMarshal.Cast<T, float>(input);
            var destination = MemoryMarshal.Cast<T, float>(output);
            int size = matrixRows * matrixCols;
            for (int b = 0; b < batch; b++)
            {
                ConvLayout.Transpose(source.Slice(b * size, size), destination.Slice(b * size, size), matrixRows, matrixCols);
            }
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

    /// <summary>
    /// When <paramref name="permutation"/> keeps leading axes [0, p) and swaps the blocks of axes [p, q) and [q, rank)
    /// (output order 0…p−1, q…rank−1, p…q−1), the batch (the leading axes' size) of row-major matrices [rows × cols] it
    /// transposes; null otherwise, and for the identity.
    /// </summary>
    private static (int Batch, int Rows, int Cols)? BatchedMatrixTranspose(ReadOnlySpan<int> shape, ReadOnlySpan<int> permutation)
    {
        int rank = shape.Length, p = 0;
        while (p < rank && permutation[p] == p) p++;
        if (p == rank) return null;
        int q = permutation[p];
        for (int i = p; i < rank; i++)
        {
            int expected = i - p < rank - q ? q + i - p : i - (rank - q);
            if (permutation[i] != expected) return null;
        }
        int batch = 1, rows = 1, cols = 1;
        for (int i = 0; i < p; i++) batch *= shape[i];
        for (int i = p; i < q; i++) rows *= shape[i];
        for (int i = q; i < rank; i++) cols *= shape[i];
        return (batch, rows, cols);
    }
}
