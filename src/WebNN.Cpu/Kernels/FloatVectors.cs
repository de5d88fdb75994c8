using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace WebNN.Cpu.Kernels;

/// <summary>
/// A vector of floats as a type parameter: a kernel written once over it is compiled for 256-bit vectors
/// (<see cref="Float8"/>) and for 512-bit ones (<see cref="Float16"/>), and picks the widest the machine runs.
/// </summary>
internal interface IFloatVector<TSelf> where TSelf : struct, IFloatVector<TSelf>
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    static abstract TSelf Zero { get; }

    static abstract unsafe TSelf Load(float* source);

    unsafe void Store(float* destination);

    static abstract TSelf operator +(TSelf left, TSelf right);

    static abstract TSelf operator -(TSelf left, TSelf right);

    /// <summary>left · right + addend, rounded once.</summary>
    static abstract TSelf MultiplyAdd(TSelf left, TSelf right, TSelf addend);

    /// <summary>max(value, 0) per lane.</summary>
    static abstract TSelf Relu(TSelf value);

    /// <summary>The lanes of <paramref name="old"/> below lane <paramref name="keep"/>, the rest of <paramref name="fresh"/>.</summary>
    static abstract TSelf Merge(TSelf fresh, TSelf old, int keep);
}

/// <summary>Eight floats (Vector256).</summary>
internal readonly struct Float8(Vector256<float> value) : IFloatVector<Float8>
{
    private static readonly Vector256<float> Lanes = Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f);

    public static int Count => 8;

    public static Float8 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Float8 Load(float* source) => new(Vector256.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Store(float* destination) => value.Store(destination);

    public static Float8 operator +(Float8 left, Float8 right) => new(left.Value + right.Value);

    public static Float8 operator -(Float8 left, Float8 right) => new(left.Value - right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float8 MultiplyAdd(Float8 left, Float8 right, Float8 addend) => new(Vector256.FusedMultiplyAdd(left.Value, right.Value, addend.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float8 Relu(Float8 value) => new(Vector256.Max(value.Value, Vector256<float>.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float8 Merge(Float8 fresh, Float8 old, int keep) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(Lanes, Vector256.Create((float)keep)), fresh.Value, old.Value));

    private Vector256<float> Value => value;
}

/// <summary>Sixteen floats (Vector512).</summary>
internal readonly struct Float16(Vector512<float> value) : IFloatVector<Float16>
{
    private static readonly Vector512<float> Lanes = Vector512.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f);

    public static int Count => 16;

    public static Float16 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Float16 Load(float* source) => new(Vector512.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Store(float* destination) => value.Store(destination);

    public static Float16 operator +(Float16 left, Float16 right) => new(left.Value + right.Value);

    public static Float16 operator -(Float16 left, Float16 right) => new(left.Value - right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float16 MultiplyAdd(Float16 left, Float16 right, Float16 addend) => new(Vector512.FusedMultiplyAdd(left.Value, right.Value, addend.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float16 Relu(Float16 value) => new(Vector512.Max(value.Value, Vector512<float>.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float16 Merge(Float16 fresh, Float16 old, int keep) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(Lanes, Vector512.Create((float)keep)), fresh.Value, old.Value));

    private Vector512<float> Value => value;
}
