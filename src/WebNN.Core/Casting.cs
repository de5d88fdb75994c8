namespace WebNN;

/// <summary>
/// The spec's "cast" of a number to a data type (§ Casting): to a float type, round to nearest even
/// (overflow to ±∞); to an integer type, NaN → 0, clamp to the type's range, then round half to even.
/// Integers convert between integer types exactly, with the same clamping.
/// </summary>
public static class Casting
{
    /// <summary>Casts <paramref name="x"/> to <paramref name="dataType"/>, returned as a double.</summary>
    public static double CastToDouble(double x, MLOperandDataType dataType) => dataType switch
    {
        MLOperandDataType.Float32 => (float)x,
        MLOperandDataType.Float16 => (double)(Half)x,
        MLOperandDataType.Int64 => ToInt64(x),
        MLOperandDataType.Uint64 => ToUInt64(x),
        _ => RoundClamped(x, IntegerRange(dataType)),
    };

    /// <summary>The spec's ConvertToInt for 64-bit signed integers.</summary>
    public static long ToInt64(double x)
    {
        if (double.IsNaN(x))
        {
            return 0;
        }
        if (x >= 9223372036854775807.0)
        {
            return long.MaxValue;
        }
        if (x <= -9223372036854775808.0)
        {
            return long.MinValue;
        }
        return (long)Math.Round(x, MidpointRounding.ToEven);
    }

    /// <summary>The spec's ConvertToInt for 64-bit unsigned integers.</summary>
    public static ulong ToUInt64(double x)
    {
        if (double.IsNaN(x) || x <= 0)
        {
            return 0;
        }
        if (x >= 18446744073709551615.0)
        {
            return ulong.MaxValue;
        }
        return (ulong)Math.Round(x, MidpointRounding.ToEven);
    }

    /// <summary>Clamps an exact integer to <paramref name="dataType"/>'s range (for integer-to-integer casts).</summary>
    public static Int128 ClampInteger(Int128 value, MLOperandDataType dataType)
    {
        var (min, max) = IntegerRange(dataType);
        return Int128.Clamp(value, (Int128)min, dataType == MLOperandDataType.Uint64 ? ulong.MaxValue : (Int128)max);
    }

    /// <summary>The range of an integer data type, as doubles (exact below 2^53; 64-bit types use their own paths).</summary>
    public static (double Min, double Max) IntegerRange(MLOperandDataType dataType) => dataType switch
    {
        MLOperandDataType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        MLOperandDataType.Uint8 => (byte.MinValue, byte.MaxValue),
        MLOperandDataType.Int32 => (int.MinValue, int.MaxValue),
        MLOperandDataType.Uint32 => (uint.MinValue, uint.MaxValue),
        MLOperandDataType.Int64 => (long.MinValue, long.MaxValue),
        MLOperandDataType.Uint64 => (ulong.MinValue, ulong.MaxValue),
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "Not an integer data type."),
    };

    private static double RoundClamped(double x, (double Min, double Max) range) =>
        double.IsNaN(x) ? 0 : Math.Round(Math.Clamp(x, range.Min, range.Max), MidpointRounding.ToEven) + 0.0;
}
