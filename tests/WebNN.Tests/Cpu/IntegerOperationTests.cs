using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.Cpu;

/// <summary>Element-wise operations on the integer data types on the CPU: wrapping, truncating division, integer pow, worked by hand.</summary>
public sealed class IntegerOperationTests
{
    private static Input Ints(int[] shape, params int[] values) => new(MLOperandDataType.Int32, shape, values);

    [Fact]
    public async Task Int32_add_sub_and_mul_wrap_on_overflow()
    {
        var a = Ints([3], int.MaxValue, int.MinValue, 65536);
        var b = Ints([3], 1, 1, 65536);
        Assert.Equal(new[] { int.MinValue, int.MinValue + 1, 131072 }, (int[])await RunAsync((g, x) => g.Add(x[0], x[1]), a, b));
        Assert.Equal(new[] { int.MaxValue - 1, int.MaxValue, 0 }, (int[])await RunAsync((g, x) => g.Sub(x[0], x[1]), a, b));
        Assert.Equal(new[] { int.MaxValue, int.MinValue, 0 }, (int[])await RunAsync((g, x) => g.Mul(x[0], x[1]), a, b));
    }

    [Fact]
    public async Task Integer_division_truncates_toward_zero()
    {
        var a = Ints([6], 7, -7, 7, -7, 5, int.MinValue);
        var b = Ints([6], 2, 2, -2, -2, 0, -1);
        // 5 / 0 and MIN / −1 are undefined in the spec; like WGSL they give a.
        Assert.Equal(new[] { 3, -3, -3, 3, 5, int.MinValue }, (int[])await RunAsync((g, x) => g.Div(x[0], x[1]), a, b));
        var unsigned = new Input(MLOperandDataType.Uint32, [2], new[] { 4000000000u, 7u });
        var divisor = new Input(MLOperandDataType.Uint32, [], new[] { 3u });
        Assert.Equal(new[] { 1333333333u, 2u }, (uint[])await RunAsync((g, x) => g.Div(x[0], x[1]), unsigned, divisor));
    }

    [Fact]
    public async Task Uint8_and_int8_wrap_and_broadcast()
    {
        var a = new Input(MLOperandDataType.Uint8, [2, 2], new byte[] { 3, 250, 0, 128 });
        var b = new Input(MLOperandDataType.Uint8, [2], new byte[] { 5, 10 });
        Assert.Equal(new byte[] { 254, 240, 251, 118 }, (byte[])await RunAsync((g, x) => g.Sub(x[0], x[1]), a, b));
        Assert.Equal(new byte[] { 8, 4, 5, 138 }, (byte[])await RunAsync((g, x) => g.Add(x[0], x[1]), a, b));
        var c = new Input(MLOperandDataType.Int8, [3], new sbyte[] { -128, 100, -5 });
        var d = new Input(MLOperandDataType.Int8, [1], new sbyte[] { 2 });
        Assert.Equal(new sbyte[] { 0, -56, -10 }, (sbyte[])await RunAsync((g, x) => g.Mul(x[0], x[1]), c, d));
        Assert.Equal(new sbyte[] { 2, 100, 2 }, (sbyte[])await RunAsync((g, x) => g.Max(x[0], x[1]), c, d));
        Assert.Equal(new sbyte[] { -128, 2, -5 }, (sbyte[])await RunAsync((g, x) => g.Min(x[0], x[1]), c, d));
    }

    [Fact]
    public async Task Int64_and_uint64_keep_every_bit()
    {
        var a = new Input(MLOperandDataType.Int64, [2], new[] { (1L << 53) + 1, long.MaxValue });
        var b = new Input(MLOperandDataType.Int64, [2], new[] { 1L, 1L });
        Assert.Equal(new[] { (1L << 53) + 2, long.MinValue }, (long[])await RunAsync((g, x) => g.Add(x[0], x[1]), a, b));
        var c = new Input(MLOperandDataType.Uint64, [2], new[] { ulong.MaxValue, 10UL });
        var d = new Input(MLOperandDataType.Uint64, [2], new[] { 3UL, 20UL });
        Assert.Equal(new[] { ulong.MaxValue / 3, 0UL }, (ulong[])await RunAsync((g, x) => g.Div(x[0], x[1]), c, d));
        Assert.Equal(new[] { ulong.MaxValue, 20UL }, (ulong[])await RunAsync((g, x) => g.Max(x[0], x[1]), c, d));
    }

    [Fact]
    public async Task Integer_pow_multiplies_and_truncates_negative_exponents()
    {
        var a = Ints([7], 2, -2, 3, 2, 1, -1, 0);
        var b = Ints([7], 10, 3, 40, -1, -5, -3, -1);
        // 3⁴⁰ wraps modulo 2³²; 2⁻¹ truncates to 0; 0⁻¹ (∞) saturates.
        int wrapped = unchecked((int)(ulong)System.Numerics.BigInteger.ModPow(3, 40, ulong.MaxValue + (System.Numerics.BigInteger)1));
        Assert.Equal(new[] { 1024, -8, wrapped, 0, 1, -1, int.MaxValue }, (int[])await RunAsync((g, x) => g.Pow(x[0], x[1]), a, b));
    }

    [Fact]
    public async Task Integer_abs_neg_sign_and_relu_wrap_at_the_minimum()
    {
        var input = new Input(MLOperandDataType.Int8, [5], new sbyte[] { -128, -3, 0, 5, 127 });
        Assert.Equal(new sbyte[] { -128, 3, 0, 5, 127 }, (sbyte[])await RunAsync((g, x) => g.Abs(x[0]), input));
        Assert.Equal(new sbyte[] { -128, 3, 0, -5, -127 }, (sbyte[])await RunAsync((g, x) => g.Neg(x[0]), input));
        Assert.Equal(new sbyte[] { -1, -1, 0, 1, 1 }, (sbyte[])await RunAsync((g, x) => g.Sign(x[0]), input));
        Assert.Equal(new sbyte[] { 0, 0, 0, 5, 127 }, (sbyte[])await RunAsync((g, x) => g.Relu(x[0]), input));
        var longs = new Input(MLOperandDataType.Int64, [2], new[] { long.MinValue + 1, (1L << 53) + 1 });
        Assert.Equal(new[] { long.MaxValue, (1L << 53) + 1 }, (long[])await RunAsync((g, x) => g.Abs(x[0]), longs));
    }

    [Fact]
    public async Task Integer_clamp_and_identity()
    {
        var input = new Input(MLOperandDataType.Uint8, [4], new byte[] { 0, 9, 10, 255 });
        Assert.Equal(new byte[] { 5, 9, 10, 10 }, (byte[])await RunAsync((g, x) => g.Clamp(x[0], new MLClampOptions { MinValue = 5, MaxValue = 10 }), input));
        // Without bounds nothing changes (the infinite defaults saturate to the type's range).
        Assert.Equal(new byte[] { 0, 9, 10, 255 }, (byte[])await RunAsync((g, x) => g.Clamp(x[0]), input));
        var longs = new Input(MLOperandDataType.Int64, [3], new[] { long.MinValue, 0L, long.MaxValue });
        Assert.Equal(new[] { -7L, 0L, 1L << 40 }, (long[])await RunAsync((g, x) => g.Clamp(x[0], new MLClampOptions { MinValue = -7, MaxValue = 1L << 40 }), longs));
        var big = new Input(MLOperandDataType.Uint64, [1], new[] { ulong.MaxValue });
        Assert.Equal(new[] { ulong.MaxValue }, (ulong[])await RunAsync((g, x) => g.Identity(x[0]), big));
    }

    [Fact]
    public async Task Integer_reductions_accumulate_in_the_type_and_wrap()
    {
        // [2, 3]: rows [MAX, 1, -4] and [2, -3, 5].
        var input = Ints([2, 3], int.MaxValue, 1, -4, 2, -3, 5);
        Assert.Equal(new[] { unchecked(int.MinValue - 4), 4 }, (int[])await RunAsync((g, x) => g.ReduceSum(x[0], new MLReduceOptions { Axes = [1] }), input));
        Assert.Equal(new[] { unchecked(int.MaxValue + 2), -2, 1 }, (int[])await RunAsync((g, x) => g.ReduceSum(x[0], new MLReduceOptions { Axes = [0] }), input));
        Assert.Equal(new[] { unchecked(int.MaxValue + 5), 10 }, (int[])await RunAsync((g, x) => g.ReduceL1(x[0], new MLReduceOptions { Axes = [1], KeepDimensions = true }), input));
        Assert.Equal(new[] { int.MaxValue, 5 }, (int[])await RunAsync((g, x) => g.ReduceMax(x[0], new MLReduceOptions { Axes = [1] }), input));
        Assert.Equal(new[] { -4 }, (int[])await RunAsync((g, x) => g.ReduceMin(x[0]), input));
        var longs = new Input(MLOperandDataType.Int64, [3], new[] { 1L << 40, -3L, 5L });
        Assert.Equal(new[] { -15L << 40 }, (long[])await RunAsync((g, x) => g.ReduceProduct(x[0]), longs));
        var unsigned = new Input(MLOperandDataType.Uint32, [2], new[] { 65536u, 3u });
        Assert.Equal(new[] { 9u }, (uint[])await RunAsync((g, x) => g.ReduceSumSquare(x[0]), unsigned)); // 65536² wraps to 0
        var bytes = new Input(MLOperandDataType.Uint8, [], new byte[] { 200 });
        Assert.Equal(new byte[] { 200 }, (byte[])await RunAsync((g, x) => g.ReduceMax(x[0]), bytes));
    }

    [Fact]
    public async Task Integer_prelu_multiplies_negatives_by_the_broadcast_slope_and_wraps()
    {
        var x = Ints([2, 2], -3, 4, -5, -1);
        Assert.Equal(new[] { -6, 4, -10, 1 }, (int[])await RunAsync((g, i) => g.Prelu(i[0], i[1]), x, Ints([2], 2, -1)));
        var bytes = new Input(MLOperandDataType.Int8, [5], new sbyte[] { -128, -3, 0, 5, 100 });
        var two = new Input(MLOperandDataType.Int8, [1], new sbyte[] { 2 });
        Assert.Equal(new sbyte[] { 0, -6, 0, 5, 100 }, (sbyte[])await RunAsync((g, i) => g.Prelu(i[0], i[1]), bytes, two)); // −128 · 2 wraps to 0
        var longs = new Input(MLOperandDataType.Int64, [2], new[] { -(1L << 40) - 1, 7L });
        var three = new Input(MLOperandDataType.Int64, [], new[] { 3L });
        Assert.Equal(new[] { -3 * (1L << 40) - 3, 7L }, (long[])await RunAsync((g, i) => g.Prelu(i[0], i[1]), longs, three));
    }

    [Fact]
    public async Task Integer_maxPool2d_is_exact_in_both_layouts_and_ignores_padding()
    {
        // 16777217 has no float32: a pool computed in float32 would give 16777216.
        var x = Ints([1, 1, 3, 3], int.MinValue + 1, -5, 3, 16777217, 16777216, -2, 0, 7, -9);
        var window = new MLPool2dOptions { WindowDimensions = [2, 2] };
        Assert.Equal(new[] { 16777217, 16777216, 16777217, 16777216 }, (int[])await RunAsync((g, i) => g.MaxPool2d(i[0], window), x));
        // NHWC, two channels: pixels (0,0) = [1, 200], (0,1) = [255, 3], (1,0) = [0, 7], (1,1) = [9, 4].
        var bytes = new Input(MLOperandDataType.Uint8, [1, 2, 2, 2], new byte[] { 1, 200, 255, 3, 0, 7, 9, 4 });
        var global = new MLPool2dOptions { WindowDimensions = [2, 2], Layout = MLInputOperandLayout.Nhwc };
        Assert.Equal(new byte[] { 255, 200 }, (byte[])await RunAsync((g, i) => g.MaxPool2d(i[0], global), bytes));
        var one = new Input(MLOperandDataType.Int8, [1, 1, 1, 1], new sbyte[] { -100 });
        var padded = new MLPool2dOptions { WindowDimensions = [2, 2], Padding = [1, 1, 1, 1] };
        Assert.Equal(new sbyte[] { -100, -100, -100, -100 }, (sbyte[])await RunAsync((g, i) => g.MaxPool2d(i[0], padded), one));
        var wide = new Input(MLOperandDataType.Uint64, [1, 1, 1, 2], new[] { ulong.MaxValue, 1UL });
        Assert.Equal(new[] { ulong.MaxValue }, (ulong[])await RunAsync((g, i) => g.MaxPool2d(i[0], new MLPool2dOptions { WindowDimensions = [1, 2] }), wide));
    }
}
