using System.Numerics;
using System.Numerics.Tensors;

namespace WebNN.Cpu.Kernels;

/// <summary>The element-wise unary float32 operations, including the activations.</summary>
internal enum UnaryKind
{
    Abs, Ceil, Cos, Erf, Exp, Floor, Identity, Log, Neg, Reciprocal, RoundEven, Sign, Sin, Sqrt, Tan,
    Relu, Sigmoid, Tanh, Softsign, Softplus, HardSwish, Gelu, Elu, HardSigmoid, LeakyRelu, Linear, Clamp,
}

/// <summary>
/// Element-wise unary float32 operations on whole spans, vectorized through TensorPrimitives where it
/// has the function and chunked across cores for large inputs. <c>alpha</c>/<c>beta</c> are the
/// operation's parameters (elu, hardSigmoid, leakyRelu, linear; clamp's min and max).
/// </summary>
internal static class UnaryKernel
{
    private const int ChunkLength = 1 << 14;

    public static void Run(UnaryKind kind, ReadOnlySpan<float> input, Span<float> output, float alpha = 0, float beta = 0)
    {
        if (input.Length <= ChunkLength)
        {
            RunChunk(kind, input, output, alpha, beta);
            return;
        }
        unsafe
        {
            fixed (float* pi = input, po = output)
            {
                int chunks = (input.Length + ChunkLength - 1) / ChunkLength;
                Parallelism.For(chunks, input.Length >= Parallelism.MinimumParallelWork, new Chunks(kind, pi, po, input.Length, alpha, beta));
            }
        }
    }

    /// <summary>Chunks [start, end) of <see cref="ChunkLength"/> elements.</summary>
    private readonly unsafe struct Chunks(UnaryKind kind, float* input, float* output, int length, float alpha, float beta) : IParallelRange
    {
        public void Run(int start, int end)
        {
            int from = start * ChunkLength, to = Math.Min(length, end * ChunkLength);
            RunChunk(kind, new ReadOnlySpan<float>(input + from, to - from), new Span<float>(output + from, to - from), alpha, beta);
        }
    }

    private static void RunChunk(UnaryKind kind, ReadOnlySpan<float> x, Span<float> y, float alpha, float beta)
    {
        switch (kind)
        {
            case UnaryKind.Abs: TensorPrimitives.Abs(x, y); break;
            case UnaryKind.Ceil: TensorPrimitives.Ceiling(x, y); break;
            case UnaryKind.Cos: TensorPrimitives.Cos(x, y); break;
            case UnaryKind.Exp: TensorPrimitives.Exp(x, y); break;
            case UnaryKind.Floor: TensorPrimitives.Floor(x, y); break;
            case UnaryKind.Identity: x.CopyTo(y); break;
            case UnaryKind.Log: TensorPrimitives.Log(x, y); break;
            case UnaryKind.Neg: TensorPrimitives.Negate(x, y); break;
            case UnaryKind.Reciprocal: TensorPrimitives.Reciprocal(x, y); break;
            case UnaryKind.RoundEven: TensorPrimitives.Round(x, MidpointRounding.ToEven, y); break;
            case UnaryKind.Sin: TensorPrimitives.Sin(x, y); break;
            case UnaryKind.Sqrt: TensorPrimitives.Sqrt(x, y); break;
            case UnaryKind.Tan: TensorPrimitives.Tan(x, y); break;
            case UnaryKind.Relu: TensorPrimitives.Max(x, 0f, y); break;
            case UnaryKind.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case UnaryKind.Tanh: TensorPrimitives.Tanh(x, y); break;
            case UnaryKind.Linear:
                TensorPrimitives.Multiply(x, alpha, y);
                TensorPrimitives.Add(y, beta, y);
                break;
            case UnaryKind.Clamp:
                TensorPrimitives.Max(x, alpha, y);
                TensorPrimitives.Min(y, beta, y);
                break;
            default:
                for (int i = 0; i < x.Length; i++)
                {
                    y[i] = Scalar(kind, x[i], alpha, beta);
                }
                break;
        }
    }

    /// <summary>
    /// The unary operations the spec allows on integers (abs, neg, sign, relu, clamp, identity), one
    /// element at a time on any integer type. abs and neg wrap (the minimum stays the minimum); clamp's
    /// bounds (<paramref name="alpha"/>, <paramref name="beta"/>) are converted to the type with saturation.
    /// </summary>
    public static void RunInteger<T>(UnaryKind kind, ReadOnlySpan<T> x, Span<T> y, double alpha, double beta) where T : INumber<T>
    {
        T low = T.CreateSaturating(alpha), high = T.CreateSaturating(beta);
        for (int i = 0; i < x.Length; i++)
        {
            T value = x[i];
            y[i] = kind switch
            {
                UnaryKind.Abs => T.IsNegative(value) ? -value : value,
                UnaryKind.Neg => -value,
                UnaryKind.Sign => T.IsNegative(value) ? -T.One : value == T.Zero ? T.Zero : T.One,
                UnaryKind.Relu => T.IsNegative(value) ? T.Zero : value,
                UnaryKind.Clamp => T.Min(T.Max(value, low), high),
                UnaryKind.Identity => value,
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
        }
    }

    /// <summary>The operations without a vectorized primitive, one element at a time (in double where precision needs it).</summary>
    private static float Scalar(UnaryKind kind, float x, float alpha, float beta) => kind switch
    {
        UnaryKind.Erf => (float)Erf(x),
        UnaryKind.Sign => float.IsNaN(x) ? float.NaN : MathF.Sign(x),
        UnaryKind.Softsign => x / (1 + MathF.Abs(x)),
        UnaryKind.Softplus => (float)(Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs((double)x)))),
        UnaryKind.HardSwish => x * Math.Clamp(x + 3, 0f, 6f) / 6,
        UnaryKind.Gelu => (float)(0.5 * x * (1 + Erf(x / Math.Sqrt(2)))),
        UnaryKind.Elu => x >= 0 ? x : (float)(alpha * (Math.Exp(x) - 1)),
        UnaryKind.HardSigmoid => Math.Clamp(alpha * x + beta, 0f, 1f),
        UnaryKind.LeakyRelu => x >= 0 ? x : alpha * x,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// The error function in double precision: W. J. Cody's rational approximations (relative error
    /// below 1e-15), as used by C libraries, since .NET has no Math.Erf.
    /// </summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }
        double ax = Math.Abs(x);
        if (ax < 0.5)
        {
            double t = x * x;
            double top = (((0.185777706184603153 * t + 3.16112374387056560) * t + 113.864154151050156) * t + 377.485237685302021) * t + 3209.37758913846947;
            double bottom = (((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t + 2844.23683343917062;
            return x * top / bottom;
        }
        double erfc;
        if (ax < 4)
        {
            double top = (((((((2.15311535474403846e-8 * ax + 0.564188496988670089) * ax + 8.88314979438837594) * ax + 66.1191906371416295) * ax + 298.635138197400131) * ax + 881.952221241769090) * ax + 1712.04761263407058) * ax + 2051.07837782607147) * ax + 1230.33935479799725;
            double bottom = (((((((ax + 15.7449261107098347) * ax + 117.693950891312499) * ax + 537.181101862009858) * ax + 1621.38957456669019) * ax + 3290.79923573345963) * ax + 4362.61909014324716) * ax + 3439.36767414372164) * ax + 1230.33935480374942;
            erfc = Math.Exp(-ax * ax) * top / bottom;
        }
        else if (ax < 27)
        {
            double z = 1 / (ax * ax);
            double top = ((((0.0163153871373020978 * z + 0.305326634961232344) * z + 0.360344899949804439) * z + 0.125781726111229246) * z + 0.0160837851487422766) * z + 6.58749161529837803e-4;
            double bottom = ((((z + 2.56852019228982242) * z + 1.87295284992346725) * z + 0.527905102951428412) * z + 0.0605183413124413191) * z + 2.33520497626869185e-3;
            erfc = Math.Exp(-ax * ax) / ax * (0.564189583547755073 - z * top / bottom);
        }
        else
        {
            erfc = 0;
        }
        return x < 0 ? erfc - 1 : 1 - erfc;
    }
}
