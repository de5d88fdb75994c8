using System.Numerics.Tensors;

namespace WebNN.Cpu.Kernels;

/// <summary>The element-wise binary operations.</summary>
internal enum BinaryKind { Add, Sub, Mul, Div, Max, Min, Pow }

/// <summary>
/// Element-wise binary float32 operations with bidirectional broadcasting: rows of the output's last
/// dimension are computed with vectorized primitives, each input contributing a row or a scalar.
/// </summary>
internal static class BinaryKernel
{
    public static void Run(BinaryKind kind, ReadOnlySpan<float> a, ReadOnlySpan<int> aShape, ReadOnlySpan<float> b, ReadOnlySpan<int> bShape, Span<float> output, ReadOnlySpan<int> outputShape)
    {
        if (a.Length == output.Length && b.Length == output.Length)
        {
            RowRow(kind, a, b, output);
            return;
        }
        if (b.Length == 1 && a.Length == output.Length)
        {
            RowScalar(kind, a, b[0], output);
            return;
        }
        if (a.Length == 1 && b.Length == output.Length)
        {
            ScalarRow(kind, a[0], b, output);
            return;
        }
        var indexer = new BroadcastIndexer(outputShape, aShape.ToArray(), bShape.ToArray());
        int rowLength = indexer.RowLength;
        bool aRow = indexer.InnerStride(0) != 0, bRow = indexer.InnerStride(1) != 0;
        unsafe
        {
            fixed (float* pa = a, pb = b, po = output)
            {
                float* aPointer = pa, bPointer = pb, outputPointer = po;
                int aLength = a.Length, bLength = b.Length, outputLength = output.Length;
                Parallelism.For(indexer.RowCount, rowLength, (start, end) =>
                {
                    var aAll = new ReadOnlySpan<float>(aPointer, aLength);
                    var bAll = new ReadOnlySpan<float>(bPointer, bLength);
                    var outAll = new Span<float>(outputPointer, outputLength);
                    Span<int> offsets = stackalloc int[2];
                    for (int row = start; row < end; row++)
                    {
                        indexer.RowOffsets(row, offsets);
                        var outRow = outAll.Slice(row * rowLength, rowLength);
                        if (aRow && bRow)
                        {
                            RowRow(kind, aAll.Slice(offsets[0], rowLength), bAll.Slice(offsets[1], rowLength), outRow);
                        }
                        else if (aRow)
                        {
                            RowScalar(kind, aAll.Slice(offsets[0], rowLength), bAll[offsets[1]], outRow);
                        }
                        else if (bRow)
                        {
                            ScalarRow(kind, aAll[offsets[0]], bAll.Slice(offsets[1], rowLength), outRow);
                        }
                        else
                        {
                            outRow.Fill(Scalar(kind, aAll[offsets[0]], bAll[offsets[1]]));
                        }
                    }
                });
            }
        }
    }

    /// <summary>One binary operation on two scalars, with the vector paths' semantics.</summary>
    public static float Scalar(BinaryKind kind, float a, float b) => kind switch
    {
        BinaryKind.Add => a + b,
        BinaryKind.Sub => a - b,
        BinaryKind.Mul => a * b,
        BinaryKind.Div => a / b,
        BinaryKind.Max => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : Math.Max(a, b),
        BinaryKind.Min => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : Math.Min(a, b),
        BinaryKind.Pow => MathF.Pow(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static void RowRow(BinaryKind kind, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> output)
    {
        switch (kind)
        {
            case BinaryKind.Add: TensorPrimitives.Add(a, b, output); break;
            case BinaryKind.Sub: TensorPrimitives.Subtract(a, b, output); break;
            case BinaryKind.Mul: TensorPrimitives.Multiply(a, b, output); break;
            case BinaryKind.Div: TensorPrimitives.Divide(a, b, output); break;
            case BinaryKind.Max: TensorPrimitives.Max(a, b, output); break;
            case BinaryKind.Min: TensorPrimitives.Min(a, b, output); break;
            case BinaryKind.Pow: TensorPrimitives.Pow(a, b, output); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private static void RowScalar(BinaryKind kind, ReadOnlySpan<float> a, float b, Span<float> output)
    {
        switch (kind)
        {
            case BinaryKind.Add: TensorPrimitives.Add(a, b, output); break;
            case BinaryKind.Sub: TensorPrimitives.Subtract(a, b, output); break;
            case BinaryKind.Mul: TensorPrimitives.Multiply(a, b, output); break;
            case BinaryKind.Div: TensorPrimitives.Divide(a, b, output); break;
            case BinaryKind.Max: TensorPrimitives.Max(a, b, output); break;
            case BinaryKind.Min: TensorPrimitives.Min(a, b, output); break;
            case BinaryKind.Pow: TensorPrimitives.Pow(a, b, output); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private static void ScalarRow(BinaryKind kind, float a, ReadOnlySpan<float> b, Span<float> output)
    {
        switch (kind)
        {
            case BinaryKind.Add: TensorPrimitives.Add(b, a, output); break;
            case BinaryKind.Sub: TensorPrimitives.Subtract(a, b, output); break;
            case BinaryKind.Mul: TensorPrimitives.Multiply(b, a, output); break;
            case BinaryKind.Div: TensorPrimitives.Divide(a, b, output); break;
            case BinaryKind.Max: TensorPrimitives.Max(b, a, output); break;
            case BinaryKind.Min: TensorPrimitives.Min(b, a, output); break;
            case BinaryKind.Pow: TensorPrimitives.Pow(a, b, output); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }
}
