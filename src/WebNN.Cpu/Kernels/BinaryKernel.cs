using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace WebNN.Cpu.Kernels;

/// <summary>The element-wise binary operations.</summary>
internal enum BinaryKind { Add, Sub, Mul, Div, Max, Min, Pow }

/// <summary>
/// Element-wise binary operations on every numeric type with bidirectional broadcasting: rows of the
/// output's last dimension are computed with vectorized primitives, each input contributing a row or a
/// scalar. Integers wrap on overflow; integer division truncates toward zero, and where the spec leaves
/// it undefined follows WGSL (a / 0 is a; MIN / −1 wraps to MIN). Integer pow multiplies (wrapping); a
/// negative exponent gives the truncated quotient 1 / aⁿ (0 unless |a| = 1; 0⁻ⁿ saturates to the maximum).
/// </summary>
internal static class BinaryKernel
{
    /// <summary>
    /// output = a ∘ b. <paramref name="broadcast"/> maps the output's rows to the inputs' (made once for the shapes, at
    /// lowering: a dispatch allocates nothing); it is used unless each input is whole or a scalar.
    /// </summary>
    public static void Run<T>(BinaryKind kind, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> output, BroadcastIndexer broadcast)
        where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        bool aWhole = a.Length == output.Length, bWhole = b.Length == output.Length;
        if ((aWhole || a.Length == 1) && (bWhole || b.Length == 1))
        {
            unsafe
            {
                fixed (T* pa = a, pb = b, po = output)
                {
                    // Large outputs in chunks on every core, each core's share the same rows as the kernel before it.
                    Parallelism.For((output.Length + ChunkLength - 1) / ChunkLength, output.Length >= Parallelism.MinimumParallelWork,
                        new WholeChunks<T>(kind, pa, aWhole, pb, bWhole, po, output.Length));
                }
            }
            return;
        }
        var indexer = broadcast;
        int rowLength = indexer.RowLength;
        bool aRow = indexer.InnerStride(0) != 0, bRow = indexer.InnerStride(1) != 0;
        unsafe
        {
            fixed (T* pa = a, pb = b, po = output)
            {
                Parallelism.For(indexer.RowCount, (long)indexer.RowCount * rowLength >= Parallelism.MinimumParallelWork,
                    new BroadcastRows<T>(kind, indexer, pa, pb, po, aRow, bRow));
            }
        }
    }

    /// <summary>Elements per chunk of an operation whose inputs are each whole or a scalar.</summary>
    private const int ChunkLength = 1 << 14;

    /// <summary>Chunks [start, end) of <see cref="ChunkLength"/> elements, each input whole or a scalar (not both scalars: the output would be one element, whole).</summary>
    private readonly unsafe struct WholeChunks<T>(BinaryKind kind, T* a, bool aWhole, T* b, bool bWhole, T* output, int length) : IParallelRange
        where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        public void Run(int start, int end)
        {
            int from = start * ChunkLength, count = Math.Min(length, end * ChunkLength) - from;
            var outChunk = new Span<T>(output + from, count);
            if (aWhole && bWhole) RowRow(kind, new ReadOnlySpan<T>(a + from, count), new ReadOnlySpan<T>(b + from, count), outChunk);
            else if (aWhole) RowScalar(kind, new ReadOnlySpan<T>(a + from, count), *b, outChunk);
            else ScalarRow(kind, *a, new ReadOnlySpan<T>(b + from, count), outChunk);
        }
    }

    /// <summary>Output rows [start, end) of a broadcast operation, each input contributing a row or a scalar.</summary>
    private readonly unsafe struct BroadcastRows<T>(BinaryKind kind, BroadcastIndexer indexer, T* a, T* b, T* output, bool aRow, bool bRow) : IParallelRange
        where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        public void Run(int start, int end)
        {
            int rowLength = indexer.RowLength;
            Span<int> offsets = stackalloc int[2];
            for (int row = start; row < end; row++)
            {
                indexer.RowOffsets(row, offsets);
                var outRow = new Span<T>(output + (long)row * rowLength, rowLength);
                if (aRow && bRow)
                {
                    RowRow(kind, new ReadOnlySpan<T>(a + offsets[0], rowLength), new ReadOnlySpan<T>(b + offsets[1], rowLength), outRow);
                }
                else if (aRow)
                {
                    RowScalar(kind, new ReadOnlySpan<T>(a + offsets[0], rowLength), b[offsets[1]], outRow);
                }
                else if (bRow)
                {
                    ScalarRow(kind, a[offsets[0]], new ReadOnlySpan<T>(b + offsets[1], rowLength), outRow);
                }
                else
                {
                    outRow.Fill(Scalar(kind, a[offsets[0]], b[offsets[1]]));
                }
            }
        }
    }

    /// <summary>One binary operation on two scalars, with the vector paths' semantics.</summary>
    private static T Scalar<T>(BinaryKind kind, T a, T b) where T : INumber<T>, IMinMaxValue<T> => kind switch
    {
        BinaryKind.Add => a + b,
        BinaryKind.Sub => a - b,
        BinaryKind.Mul => a * b,
        BinaryKind.Div => IsFloat<T>() ? a / b : IntegerDivide(a, b),
        BinaryKind.Max => T.IsNaN(a) || T.IsNaN(b) ? a + b : T.Max(a, b),
        BinaryKind.Min => T.IsNaN(a) || T.IsNaN(b) ? a + b : T.Min(a, b),
        BinaryKind.Pow => IsFloat<T>() ? T.CreateTruncating(MathF.Pow(float.CreateTruncating(a), float.CreateTruncating(b))) : IntegerPower(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static bool IsFloat<T>() => typeof(T) == typeof(float);

    private static T IntegerDivide<T>(T a, T b) where T : INumber<T>, IMinMaxValue<T> =>
        b == T.Zero || (a == T.MinValue && b == -T.One) ? a : a / b;

    private static T IntegerPower<T>(T x, T exponent) where T : INumber<T>, IMinMaxValue<T>
    {
        if (T.IsNegative(exponent))
        {
            return x == T.One ? T.One
                : x == -T.One ? (T.IsEvenInteger(exponent) ? T.One : x)
                : x == T.Zero ? T.MaxValue
                : T.Zero;
        }
        T result = T.One;
        for (T two = T.One + T.One; exponent != T.Zero; exponent /= two)
        {
            if (T.IsOddInteger(exponent))
            {
                result *= x;
            }
            x *= x;
        }
        return result;
    }

    private static void RowRow<T>(BinaryKind kind, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> output) where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        switch (kind)
        {
            case BinaryKind.Add: TensorPrimitives.Add(a, b, output); break;
            case BinaryKind.Sub: TensorPrimitives.Subtract(a, b, output); break;
            case BinaryKind.Mul: TensorPrimitives.Multiply(a, b, output); break;
            case BinaryKind.Max: TensorPrimitives.Max(a, b, output); break;
            case BinaryKind.Min: TensorPrimitives.Min(a, b, output); break;
            case BinaryKind.Div when IsFloat<T>(): TensorPrimitives.Divide(a, b, output); break;
            case BinaryKind.Pow when IsFloat<T>(): TensorPrimitives.Pow(AsFloats(a), AsFloats(b), AsFloats(output)); break;
            default:
                for (int i = 0; i < output.Length; i++)
                {
                    output[i] = Scalar(kind, a[i], b[i]);
                }
                break;
        }
    }

    private static void RowScalar<T>(BinaryKind kind, ReadOnlySpan<T> a, T b, Span<T> output) where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        switch (kind)
        {
            case BinaryKind.Add: TensorPrimitives.Add(a, b, output); break;
            case BinaryKind.Sub: TensorPrimitives.Subtract(a, b, output); break;
            case BinaryKind.Mul: TensorPrimitives.Multiply(a, b, output); break;
            case BinaryKind.Max: TensorPrimitives.Max(a, b, output); break;
            case BinaryKind.Min: TensorPrimitives.Min(a, b, output); break;
            case BinaryKind.Div when IsFloat<T>(): TensorPrimitives.Divide(a, b, output); break;
            case BinaryKind.Pow when IsFloat<T>(): TensorPrimitives.Pow(AsFloats(a), float.CreateTruncating(b), AsFloats(output)); break;
            default:
                for (int i = 0; i < output.Length; i++)
                {
                    output[i] = Scalar(kind, a[i], b);
                }
                break;
        }
    }

    private static void ScalarRow<T>(BinaryKind kind, T a, ReadOnlySpan<T> b, Span<T> output) where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        switch (kind)
        {
            case BinaryKind.Add: TensorPrimitives.Add(b, a, output); break;
            case BinaryKind.Sub: TensorPrimitives.Subtract(a, b, output); break;
            case BinaryKind.Mul: TensorPrimitives.Multiply(b, a, output); break;
            case BinaryKind.Max: TensorPrimitives.Max(b, a, output); break;
            case BinaryKind.Min: TensorPrimitives.Min(b, a, output); break;
            case BinaryKind.Div when IsFloat<T>(): TensorPrimitives.Divide(a, b, output); break;
            case BinaryKind.Pow when IsFloat<T>(): TensorPrimitives.Pow(float.CreateTruncating(a), AsFloats(b), AsFloats(output)); break;
            default:
                for (int i = 0; i < output.Length; i++)
                {
                    output[i] = Scalar(kind, a, b[i]);
                }
                break;
        }
    }

    /// <summary>float32 pow has a vectorized primitive, which needs the span as float (T is float there).</summary>
    private static Span<float> AsFloats<T>(Span<T> span) where T : unmanaged => MemoryMarshal.Cast<T, float>(span);

    private static ReadOnlySpan<float> AsFloats<T>(ReadOnlySpan<T> span) where T : unmanaged => MemoryMarshal.Cast<T, float>(span);
}
