using System.Numerics;

namespace WebNN;

/// <summary>The element types of operands and tensors (spec: <c>MLOperandDataType</c>).</summary>
public enum MLOperandDataType
{
    /// <summary><see cref="float"/>.</summary>
    Float32,
    /// <summary><see cref="System.Half"/>.</summary>
    Float16,
    /// <summary><see cref="int"/>.</summary>
    Int32,
    /// <summary><see cref="uint"/>.</summary>
    Uint32,
    /// <summary><see cref="long"/>.</summary>
    Int64,
    /// <summary><see cref="ulong"/>.</summary>
    Uint64,
    /// <summary><see cref="sbyte"/>.</summary>
    Int8,
    /// <summary><see cref="byte"/>.</summary>
    Uint8,
}

/// <summary>Facts about <see cref="MLOperandDataType"/> values and their .NET element types.</summary>
public static class MLOperandDataTypes
{
    /// <summary>Every data type, in declaration order.</summary>
    public static IReadOnlyList<MLOperandDataType> All { get; } = Enum.GetValues<MLOperandDataType>();

    /// <summary>The size in bytes of one element of <paramref name="dataType"/>.</summary>
    public static int ByteSize(this MLOperandDataType dataType) => dataType switch
    {
        MLOperandDataType.Float32 or MLOperandDataType.Int32 or MLOperandDataType.Uint32 => 4,
        MLOperandDataType.Float16 => 2,
        MLOperandDataType.Int64 or MLOperandDataType.Uint64 => 8,
        MLOperandDataType.Int8 or MLOperandDataType.Uint8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "Unknown MLOperandDataType."),
    };

    /// <summary>True for <see cref="MLOperandDataType.Float32"/> and <see cref="MLOperandDataType.Float16"/>.</summary>
    public static bool IsFloatingPoint(this MLOperandDataType dataType) =>
        dataType is MLOperandDataType.Float32 or MLOperandDataType.Float16;

    /// <summary>The spec's name of the data type ("float32", "int8", ...).</summary>
    public static string SpecName(this MLOperandDataType dataType) => dataType.ToString().ToLowerInvariant();

    /// <summary>The data type whose .NET element type is <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not one of the eight element types.</exception>
    public static MLOperandDataType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return MLOperandDataType.Float32;
        if (typeof(T) == typeof(Half)) return MLOperandDataType.Float16;
        if (typeof(T) == typeof(int)) return MLOperandDataType.Int32;
        if (typeof(T) == typeof(uint)) return MLOperandDataType.Uint32;
        if (typeof(T) == typeof(long)) return MLOperandDataType.Int64;
        if (typeof(T) == typeof(ulong)) return MLOperandDataType.Uint64;
        if (typeof(T) == typeof(sbyte)) return MLOperandDataType.Int8;
        if (typeof(T) == typeof(byte)) return MLOperandDataType.Uint8;
        throw new NotSupportedException($"{typeof(T).Name} is not a WebNN element type; use float, Half, int, uint, long, ulong, sbyte or byte.");
    }
}
