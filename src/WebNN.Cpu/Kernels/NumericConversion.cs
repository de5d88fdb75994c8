using System.Numerics;

namespace WebNN.Cpu.Kernels;

/// <summary>Conversions of values computed in double back to an element type.</summary>
internal static class NumericConversion
{
    /// <summary>
    /// <paramref name="value"/> as <typeparamref name="T"/>: to the nearest float for a floating-point type;
    /// for an integer type rounded half to even and saturated to the type's range (NaN gives 0).
    /// </summary>
    public static T Narrow<T>(double value) where T : INumber<T> =>
        default(T) is float ? T.CreateTruncating(value) : T.CreateSaturating(Math.Round(value, MidpointRounding.ToEven));
}
