using System.Globalization;

namespace WebNN;

/// <summary>
/// A number for an operand of any data type (spec: <c>MLNumber</c>, "bigint or unrestricted double"):
/// a double, or a 64-bit integer kept exact beyond 2^53. Converts implicitly from .NET numbers.
/// </summary>
public readonly struct MLNumber : IEquatable<MLNumber>
{
    private readonly double _double;
    private readonly long _int64;
    private readonly ulong _uint64;
    private readonly Kind _kind;

    private enum Kind : byte { Double, Int64, Uint64 }

    private MLNumber(double value) => (_double, _kind) = (value, Kind.Double);
    private MLNumber(long value) => (_int64, _kind) = (value, Kind.Int64);
    private MLNumber(ulong value) => (_uint64, _kind) = (value, Kind.Uint64);

    /// <summary>The value as a double (rounded for integers beyond 2^53).</summary>
    public double ToDouble() => _kind switch
    {
        Kind.Int64 => _int64,
        Kind.Uint64 => _uint64,
        _ => _double,
    };

    /// <summary>True when the number was given as an integer.</summary>
    public bool IsInteger => _kind != Kind.Double;

    /// <summary>The value cast to <paramref name="dataType"/> per the spec's casting, as a double (exact for every type but 64-bit integers beyond 2^53).</summary>
    public double CastTo(MLOperandDataType dataType) => _kind switch
    {
        Kind.Int64 when dataType is not (MLOperandDataType.Float32 or MLOperandDataType.Float16) => (double)Casting.ClampInteger(_int64, dataType),
        Kind.Uint64 when dataType is not (MLOperandDataType.Float32 or MLOperandDataType.Float16) => (double)Casting.ClampInteger(_uint64, dataType),
        _ => Casting.CastToDouble(ToDouble(), dataType),
    };

    /// <summary>Writes the value cast to <paramref name="dataType"/> into <paramref name="destination"/> (little-endian element bytes).</summary>
    public void WriteAs(MLOperandDataType dataType, Span<byte> destination)
    {
        switch (dataType)
        {
            case MLOperandDataType.Float32: BitConverter.TryWriteBytes(destination, (float)ToDouble()); break;
            case MLOperandDataType.Float16: BitConverter.TryWriteBytes(destination, (Half)ToDouble()); break;
            case MLOperandDataType.Int64: BitConverter.TryWriteBytes(destination, (long)CastExact(dataType)); break;
            case MLOperandDataType.Uint64: BitConverter.TryWriteBytes(destination, (ulong)CastExact(dataType)); break;
            case MLOperandDataType.Int32: BitConverter.TryWriteBytes(destination, (int)CastTo(dataType)); break;
            case MLOperandDataType.Uint32: BitConverter.TryWriteBytes(destination, (uint)CastTo(dataType)); break;
            case MLOperandDataType.Int8: destination[0] = unchecked((byte)(sbyte)CastTo(dataType)); break;
            case MLOperandDataType.Uint8: destination[0] = (byte)CastTo(dataType); break;
            default: throw new ArgumentOutOfRangeException(nameof(dataType));
        }
    }

    /// <summary>The value cast to a 64-bit integer type without passing through a double.</summary>
    private Int128 CastExact(MLOperandDataType dataType) => _kind switch
    {
        Kind.Int64 => Casting.ClampInteger(_int64, dataType),
        Kind.Uint64 => Casting.ClampInteger(_uint64, dataType),
        _ => dataType == MLOperandDataType.Int64 ? Casting.ToInt64(_double) : Casting.ToUInt64(_double),
    };

#pragma warning disable CS1591 // the conversions are self-describing
    public static implicit operator MLNumber(double value) => new(value);
    public static implicit operator MLNumber(float value) => new(value);
    public static implicit operator MLNumber(int value) => new((long)value);
    public static implicit operator MLNumber(long value) => new(value);
    public static implicit operator MLNumber(uint value) => new((long)value);
    public static implicit operator MLNumber(ulong value) => new(value);
    public static bool operator ==(MLNumber left, MLNumber right) => left.Equals(right);
    public static bool operator !=(MLNumber left, MLNumber right) => !left.Equals(right);
#pragma warning restore CS1591

    /// <inheritdoc/>
    public bool Equals(MLNumber other) => _kind == other._kind && _double.Equals(other._double) && _int64 == other._int64 && _uint64 == other._uint64;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MLNumber other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_kind, _double, _int64, _uint64);

    /// <inheritdoc/>
    public override string ToString() => _kind switch
    {
        Kind.Int64 => _int64.ToString(CultureInfo.InvariantCulture),
        Kind.Uint64 => _uint64.ToString(CultureInfo.InvariantCulture),
        _ => _double.ToString(CultureInfo.InvariantCulture),
    };
}
