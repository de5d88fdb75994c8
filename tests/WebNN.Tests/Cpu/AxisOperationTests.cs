using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.Cpu;

/// <summary>argMin, argMax and cumulativeSum on the CPU, worked by hand.</summary>
public sealed class AxisOperationTests
{
    [Fact]
    public async Task ArgMax_and_argMin_give_the_first_index_on_ties()
    {
        // [2, 3]: rows [3, 7, 7] and [5, 1, 1].
        var input = Input.Floats([2, 3], [3, 7, 7, 5, 1, 1]);
        Assert.Equal(new[] { 1, 0 }, (int[])await RunAsync((g, x) => g.ArgMax(x[0], 1), input));
        Assert.Equal(new[] { 0, 1 }, (int[])await RunAsync((g, x) => g.ArgMin(x[0], 1), input));
        Assert.Equal(new[] { 1, 0, 0 }, (int[])await RunAsync((g, x) => g.ArgMax(x[0], 0), input));
    }

    [Fact]
    public async Task ArgMax_keeps_dimensions_and_writes_int64()
    {
        var values = Enumerable.Range(0, 24).Select(i => (float)((i * 7) % 11)).ToArray();
        var y = (long[])await RunAsync((g, x) => g.ArgMax(x[0], 1, new MLArgMinMaxOptions { KeepDimensions = true, OutputDataType = MLOperandDataType.Int64 }),
            Input.Floats([2, 3, 4], values));
        // A naive reference: for each (outer, inner), the first index of the largest of the three values.
        var expected = new long[8];
        for (int o = 0; o < 2; o++)
        {
            for (int i = 0; i < 4; i++)
            {
                var column = Enumerable.Range(0, 3).Select(k => values[o * 12 + k * 4 + i]).ToArray();
                expected[o * 4 + i] = Array.IndexOf(column, column.Max());
            }
        }
        Assert.Equal(expected, y);
    }

    [Fact]
    public async Task ArgMin_and_argMax_pick_the_first_NaN()
    {
        var input = Input.Floats([5], [2, float.NaN, -1, float.NaN, 9]);
        Assert.Equal(new[] { 1 }, (int[])await RunAsync((g, x) => g.ArgMax(x[0], 0), input));
        Assert.Equal(new[] { 1 }, (int[])await RunAsync((g, x) => g.ArgMin(x[0], 0), input));
    }

    [Fact]
    public async Task ArgMinMax_on_integer_and_float16_inputs()
    {
        var longs = new Input(MLOperandDataType.Int64, [3], new[] { (1L << 53) + 1, 1L << 53, long.MinValue });
        Assert.Equal(new[] { 0 }, (int[])await RunAsync((g, x) => g.ArgMax(x[0], 0), longs));
        Assert.Equal(new[] { 2 }, (int[])await RunAsync((g, x) => g.ArgMin(x[0], 0), longs));
        var bytes = new Input(MLOperandDataType.Uint8, [4], new byte[] { 200, 255, 0, 255 });
        Assert.Equal(new[] { 1 }, (int[])await RunAsync((g, x) => g.ArgMax(x[0], 0), bytes));
        var halves = new Input(MLOperandDataType.Float16, [3], new[] { (Half)0.5, (Half)(-2), (Half)1 });
        Assert.Equal(new[] { 1 }, (int[])await RunAsync((g, x) => g.ArgMin(x[0], 0), halves));
    }

    [Theory]
    [InlineData(false, false, new float[] { 1, 3, 6, 10 })]
    [InlineData(true, false, new float[] { 0, 1, 3, 6 })]
    [InlineData(false, true, new float[] { 10, 9, 7, 4 })]
    [InlineData(true, true, new float[] { 9, 7, 4, 0 })]
    public async Task CumulativeSum_is_inclusive_or_exclusive_forward_or_reversed(bool exclusive, bool reversed, float[] expected)
    {
        var options = new MLCumulativeSumOptions { Exclusive = exclusive, Reversed = reversed };
        Assert.Equal(expected, await RunFloatsAsync((g, x) => g.CumulativeSum(x[0], 0, options), Input.Floats([4], [1, 2, 3, 4])));
        // The same sums down the columns of a [4, 2] matrix whose second column is ten times the first.
        var y = await RunFloatsAsync((g, x) => g.CumulativeSum(x[0], 0, options), Input.Floats([4, 2], [1, 10, 2, 20, 3, 30, 4, 40]));
        Assert.Equal(expected.SelectMany(v => new[] { v, 10 * v }).ToArray(), y);
    }

    [Fact]
    public async Task CumulativeSum_on_integers_wraps_on_overflow()
    {
        var ints = new Input(MLOperandDataType.Int32, [3], new[] { int.MaxValue, 1, 5 });
        Assert.Equal(new[] { int.MaxValue, int.MinValue, int.MinValue + 5 }, (int[])await RunAsync((g, x) => g.CumulativeSum(x[0], 0), ints));
        var big = new Input(MLOperandDataType.Uint64, [2], new[] { ulong.MaxValue, 3UL });
        Assert.Equal(new[] { 2UL, 3UL }, (ulong[])await RunAsync((g, x) => g.CumulativeSum(x[0], 0, new MLCumulativeSumOptions { Reversed = true }), big));
        var halves = new Input(MLOperandDataType.Float16, [3], new[] { (Half)0.5, (Half)0.25, (Half)2 });
        Assert.Equal(new[] { (Half)0, (Half)0.5, (Half)0.75 }, (Half[])await RunAsync((g, x) => g.CumulativeSum(x[0], 0, new MLCumulativeSumOptions { Exclusive = true }), halves));
    }
}
