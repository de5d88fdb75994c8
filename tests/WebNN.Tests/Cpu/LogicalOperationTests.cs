using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.Cpu;

/// <summary>Comparisons, logical operations, isNaN, isInfinite and where on the CPU, worked by hand or by a naive reference.</summary>
public sealed class LogicalOperationTests
{
    private static readonly Func<MLGraphBuilder, MLOperand, MLOperand, MLOperand>[] Comparisons =
        [(g, a, b) => g.Equal(a, b), (g, a, b) => g.NotEqual(a, b), (g, a, b) => g.Greater(a, b),
         (g, a, b) => g.GreaterOrEqual(a, b), (g, a, b) => g.Lesser(a, b), (g, a, b) => g.LesserOrEqual(a, b)];

    private static readonly Func<double, double, bool>[] References =
        [(a, b) => a == b, (a, b) => a != b, (a, b) => a > b, (a, b) => a >= b, (a, b) => a < b, (a, b) => a <= b];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Float32_comparisons_broadcast_and_are_false_with_NaN(int comparison)
    {
        float[] a = [1, 2, float.NaN, -0f, float.PositiveInfinity, 3];
        float[] b = [2, 0f, 3];
        var y = (byte[])await RunAsync((g, x) => Comparisons[comparison](g, x[0], x[1]), Input.Floats([2, 3], a), Input.Floats([3], b));
        var expected = a.Select((v, i) => References[comparison](v, b[i % 3]) ? (byte)1 : (byte)0).ToArray();
        Assert.Equal(expected, y);
        Assert.Equal(comparison == 1 ? 1 : 0, y[2]); // NaN compares false, so only notEqual holds
    }

    [Fact]
    public async Task Int64_comparisons_are_exact_beyond_float_precision()
    {
        long big = (1L << 53) + 1;
        var input = new Input(MLOperandDataType.Int64, [3], new[] { big, big - 1, long.MinValue });
        var other = new Input(MLOperandDataType.Int64, [], new[] { big - 1 });
        Assert.Equal(new byte[] { 0, 1, 0 }, (byte[])await RunAsync((g, x) => g.Equal(x[0], x[1]), input, other));
        Assert.Equal(new byte[] { 1, 0, 0 }, (byte[])await RunAsync((g, x) => g.Greater(x[0], x[1]), input, other));
    }

    [Fact]
    public async Task Unsigned_and_int8_comparisons_use_their_own_order()
    {
        var a = new Input(MLOperandDataType.Uint32, [2], new[] { 4000000000u, 1u });
        var b = new Input(MLOperandDataType.Uint32, [2], new[] { 1u, 4000000000u });
        Assert.Equal(new byte[] { 1, 0 }, (byte[])await RunAsync((g, x) => g.Greater(x[0], x[1]), a, b));
        var c = new Input(MLOperandDataType.Int8, [2], new sbyte[] { -128, 127 });
        var d = new Input(MLOperandDataType.Int8, [1], new sbyte[] { 0 });
        Assert.Equal(new byte[] { 1, 0 }, (byte[])await RunAsync((g, x) => g.LesserOrEqual(x[0], x[1]), c, d));
    }

    [Fact]
    public async Task Float16_comparisons_and_rank_0()
    {
        var a = new Input(MLOperandDataType.Float16, [], new[] { (Half)1.5 });
        var b = new Input(MLOperandDataType.Float16, [], new[] { (Half)1.5 });
        Assert.Equal(new byte[] { 1 }, (byte[])await RunAsync((g, x) => g.GreaterOrEqual(x[0], x[1]), a, b));
        Assert.Equal(new byte[] { 0 }, (byte[])await RunAsync((g, x) => g.Lesser(x[0], x[1]), a, b));
    }

    [Fact]
    public async Task Logical_operations_treat_any_non_zero_as_true()
    {
        var a = new Input(MLOperandDataType.Uint8, [2, 2], new byte[] { 0, 0, 7, 255 });
        var b = new Input(MLOperandDataType.Uint8, [2], new byte[] { 0, 2 });
        Assert.Equal(new byte[] { 0, 0, 0, 1 }, (byte[])await RunAsync((g, x) => g.LogicalAnd(x[0], x[1]), a, b));
        Assert.Equal(new byte[] { 0, 1, 1, 1 }, (byte[])await RunAsync((g, x) => g.LogicalOr(x[0], x[1]), a, b));
        Assert.Equal(new byte[] { 0, 1, 1, 0 }, (byte[])await RunAsync((g, x) => g.LogicalXor(x[0], x[1]), a, b));
        Assert.Equal(new byte[] { 1, 1, 0, 0 }, (byte[])await RunAsync((g, x) => g.LogicalNot(x[0]), a));
    }

    [Fact]
    public async Task IsNaN_and_isInfinite_on_float32_and_float16()
    {
        float[] values = [1, float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, float.MaxValue];
        Assert.Equal(new byte[] { 0, 1, 0, 0, 0, 0 }, (byte[])await RunAsync((g, x) => g.IsNaN(x[0]), Input.Floats([6], values)));
        Assert.Equal(new byte[] { 0, 0, 1, 1, 0, 0 }, (byte[])await RunAsync((g, x) => g.IsInfinite(x[0]), Input.Floats([6], values)));
        var halves = new Input(MLOperandDataType.Float16, [3], new[] { Half.NaN, Half.NegativeInfinity, Half.MaxValue });
        Assert.Equal(new byte[] { 0, 1, 0 }, (byte[])await RunAsync((g, x) => g.IsInfinite(x[0]), halves));
    }

    [Fact]
    public async Task Where_broadcasts_all_three_operands()
    {
        var condition = new Input(MLOperandDataType.Uint8, [2, 1], new byte[] { 0, 3 });
        var whenTrue = new Input(MLOperandDataType.Int64, [3], new[] { 1L, 2L, long.MaxValue });
        var whenFalse = new Input(MLOperandDataType.Int64, [2, 3], new[] { -1L, -2L, -3L, -4L, -5L, -6L });
        var y = (long[])await RunAsync((g, x) => g.Where(x[0], x[1], x[2]), condition, whenTrue, whenFalse);
        Assert.Equal(new[] { -1L, -2L, -3L, 1L, 2L, long.MaxValue }, y);
    }

    [Fact]
    public async Task Where_on_float16_and_rank_0_condition()
    {
        var condition = new Input(MLOperandDataType.Uint8, [], new byte[] { 1 });
        var whenTrue = new Input(MLOperandDataType.Float16, [2], new[] { (Half)0.5, Half.NaN });
        var whenFalse = new Input(MLOperandDataType.Float16, [], new[] { (Half)9 });
        var y = (Half[])await RunAsync((g, x) => g.Where(x[0], x[1], x[2]), condition, whenTrue, whenFalse);
        Assert.Equal((Half)0.5, y[0]);
        Assert.True(Half.IsNaN(y[1]));
    }
}
