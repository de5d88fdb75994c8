using System.Numerics;

namespace WebNN.Cpu.Kernels;

// The comparisons and logical operations: uint8 results of 0 or 1. A comparison with NaN is false
// (so notEqual is true), as IEEE 754 has it; the logical operations treat any non-zero value as true.

internal readonly struct EqualFunction<T> : IBinaryFunction<T, byte> where T : INumber<T>
{
    public static byte Invoke(T a, T b) => a == b ? (byte)1 : (byte)0;
}

internal readonly struct NotEqualFunction<T> : IBinaryFunction<T, byte> where T : INumber<T>
{
    public static byte Invoke(T a, T b) => a != b ? (byte)1 : (byte)0;
}

internal readonly struct GreaterFunction<T> : IBinaryFunction<T, byte> where T : INumber<T>
{
    public static byte Invoke(T a, T b) => a > b ? (byte)1 : (byte)0;
}

internal readonly struct GreaterOrEqualFunction<T> : IBinaryFunction<T, byte> where T : INumber<T>
{
    public static byte Invoke(T a, T b) => a >= b ? (byte)1 : (byte)0;
}

internal readonly struct LesserFunction<T> : IBinaryFunction<T, byte> where T : INumber<T>
{
    public static byte Invoke(T a, T b) => a < b ? (byte)1 : (byte)0;
}

internal readonly struct LesserOrEqualFunction<T> : IBinaryFunction<T, byte> where T : INumber<T>
{
    public static byte Invoke(T a, T b) => a <= b ? (byte)1 : (byte)0;
}

internal readonly struct LogicalAndFunction : IBinaryFunction<byte, byte>
{
    public static byte Invoke(byte a, byte b) => a != 0 && b != 0 ? (byte)1 : (byte)0;
}

internal readonly struct LogicalOrFunction : IBinaryFunction<byte, byte>
{
    public static byte Invoke(byte a, byte b) => a != 0 || b != 0 ? (byte)1 : (byte)0;
}

internal readonly struct LogicalXorFunction : IBinaryFunction<byte, byte>
{
    public static byte Invoke(byte a, byte b) => (a != 0) != (b != 0) ? (byte)1 : (byte)0;
}

internal readonly struct LogicalNotFunction : IUnaryFunction<byte, byte>
{
    public static byte Invoke(byte x) => x == 0 ? (byte)1 : (byte)0;
}

internal readonly struct IsNaNFunction : IUnaryFunction<float, byte>
{
    public static byte Invoke(float x) => float.IsNaN(x) ? (byte)1 : (byte)0;
}

internal readonly struct IsInfiniteFunction : IUnaryFunction<float, byte>
{
    public static byte Invoke(float x) => float.IsInfinity(x) ? (byte)1 : (byte)0;
}
