using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace WebNN.Cpu.Kernels;

/// <summary>
/// cast between the 8 operand data types, per the spec's cast table:
/// float → float: nearest representable (ties to even), ±Infinity beyond range, NaN stays NaN;
/// integer → float: nearest representable, ±Infinity beyond range;
/// integer → integer: the low bits, two's complement (e.g. int8 -1 → uint8 255);
/// float → integer: truncated toward zero; out of range is implementation-defined, and here saturates to the
/// type's range with NaN → 0 (the spec's ConvertToInt clamping).
/// </summary>
internal static class Cast
{
    /// <summary>Casts the elements of <paramref name="input"/> (of type <paramref name="from"/>) into <paramref name="output"/> (of type <paramref name="to"/>); both hold the same element count.</summary>
    public static void Run(ReadOnlySpan<byte> input, MLOperandDataType from, Span<byte> output, MLOperandDataType to)
    {
        switch (from)
        {
            case MLOperandDataType.Float32: From(MemoryMarshal.Cast<byte, float>(input), output, to); break;
            case MLOperandDataType.Float16: From(MemoryMarshal.Cast<byte, Half>(input), output, to); break;
            case MLOperandDataType.Int32: From(MemoryMarshal.Cast<byte, int>(input), output, to); break;
            case MLOperandDataType.Uint32: From(MemoryMarshal.Cast<byte, uint>(input), output, to); break;
            case MLOperandDataType.Int64: From(MemoryMarshal.Cast<byte, long>(input), output, to); break;
            case MLOperandDataType.Uint64: From(MemoryMarshal.Cast<byte, ulong>(input), output, to); break;
            case MLOperandDataType.Int8: From(MemoryMarshal.Cast<byte, sbyte>(input), output, to); break;
            case MLOperandDataType.Uint8: From(input, output, to); break;
            default: throw new ArgumentOutOfRangeException(nameof(from), from, null);
        }
    }

    private static void From<TFrom>(ReadOnlySpan<TFrom> x, Span<byte> output, MLOperandDataType to)
        where TFrom : unmanaged, INumberBase<TFrom>
    {
        switch (to)
        {
            case MLOperandDataType.Float32: Convert(x, MemoryMarshal.Cast<byte, float>(output)); break;
            case MLOperandDataType.Float16: Convert(x, MemoryMarshal.Cast<byte, Half>(output)); break;
            case MLOperandDataType.Int32: Convert(x, MemoryMarshal.Cast<byte, int>(output)); break;
            case MLOperandDataType.Uint32: Convert(x, MemoryMarshal.Cast<byte, uint>(output)); break;
            case MLOperandDataType.Int64: Convert(x, MemoryMarshal.Cast<byte, long>(output)); break;
            case MLOperandDataType.Uint64: Convert(x, MemoryMarshal.Cast<byte, ulong>(output)); break;
            case MLOperandDataType.Int8: Convert(x, MemoryMarshal.Cast<byte, sbyte>(output)); break;
            case MLOperandDataType.Uint8: Convert(x, output); break;
            default: throw new ArgumentOutOfRangeException(nameof(to), to, null);
        }
    }

    /// <summary>Element-wise cast from <typeparamref name="TFrom"/> to <typeparamref name="TTo"/> (typed form of <see cref="Run"/>).</summary>
    public static void Convert<TFrom, TTo>(ReadOnlySpan<TFrom> x, Span<TTo> y)
        where TFrom : unmanaged, INumberBase<TFrom>
        where TTo : unmanaged, INumberBase<TTo>
    {
        Debug.Assert(x.Length == y.Length, "cast keeps the element count");
        if (typeof(TFrom) == typeof(TTo))
        {
            MemoryMarshal.Cast<TFrom, TTo>(x).CopyTo(y);
            return;
        }
        if (typeof(TFrom) == typeof(float) && typeof(TTo) == typeof(Half))
        {
            TensorPrimitives.ConvertToHalf(MemoryMarshal.Cast<TFrom, float>(x), MemoryMarshal.Cast<TTo, Half>(y));
            return;
        }
        if (typeof(TFrom) == typeof(Half) && typeof(TTo) == typeof(float))
        {
            TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<TFrom, Half>(x), MemoryMarshal.Cast<TTo, float>(y));
            return;
        }
        bool fromFloat = typeof(TFrom) == typeof(float) || typeof(TFrom) == typeof(Half);
        bool toFloat = typeof(TTo) == typeof(float) || typeof(TTo) == typeof(Half);
        if (fromFloat)
        {
            for (int i = 0; i < x.Length; i++)
            {
                // float32 and float16 values are exact in double.
                double v = double.CreateTruncating(x[i]);
                y[i] = double.IsNaN(v) ? TTo.Zero : TTo.CreateSaturating(Math.Truncate(v));
            }
        }
        else if (toFloat)
        {
            for (int i = 0; i < x.Length; i++)
            {
                float f = IntegerToSingle(x[i]);
                // Integers beyond 2^24 round to float32 first, but those are far beyond float16's range (+-65504),
                // so the second rounding to float16 cannot differ from a direct one.
                y[i] = typeof(TTo) == typeof(float) ? (TTo)(object)f : TTo.CreateTruncating((Half)f);
            }
        }
        else
        {
            for (int i = 0; i < x.Length; i++)
            {
                // Integer to integer keeps the low bits (two's complement).
                y[i] = TTo.CreateTruncating(x[i]);
            }
        }
    }

    /// <summary>Nearest float32 to an integer, ties to even, rounding once (also for uint64 above 2^63).</summary>
    private static float IntegerToSingle<TFrom>(TFrom value)
        where TFrom : unmanaged, INumberBase<TFrom>
    {
        if (typeof(TFrom) == typeof(ulong))
        {
            ulong u = (ulong)(object)value;
            if (u <= long.MaxValue)
            {
                return (long)u;
            }
            // Halve keeping a sticky bit so the one rounding in the signed conversion is the right one.
            return (float)(long)((u >> 1) | (u & 1)) * 2f;
        }
        return (float)long.CreateTruncating(value);
    }
}

/// <summary>float16 ↔ float32 span conversion around the float32-only kernels.</summary>
