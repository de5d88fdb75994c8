using System.Runtime.InteropServices;
using static WebNN.Tests.Cpu.CpuGraphRunner;
using static WebNN.Tests.WebGpu.TypedArrays;

namespace WebNN.Tests.WebGpu;

/// <summary>
/// The WebGPU backend's comparisons, logical operators, where, argMin/argMax, cumulativeSum, reverse, tile and
/// triangular agree exactly with the CPU backend on every type the GPU holds in words (float32, float16, int32,
/// uint32, int8, uint8): values are small integers (ties included) so that every result is exact.
/// </summary>
[Collection(GpuContextCollection.Name)]
public sealed class LogicalAxisIndexingKernelTests(GpuContextFixture fixture)
{
    public static readonly TheoryData<MLOperandDataType> HeldTypes = new(
        MLOperandDataType.Float32, MLOperandDataType.Float16, MLOperandDataType.Int32,
        MLOperandDataType.Uint32, MLOperandDataType.Int8, MLOperandDataType.Uint8);

    public static readonly TheoryData<MLOperandDataType> Floats = new(MLOperandDataType.Float32, MLOperandDataType.Float16);

    private static bool IsUnsigned(MLOperandDataType type) => type is MLOperandDataType.Uint32 or MLOperandDataType.Uint8;

    /// <summary>Seeded small integers in [−4, 4] (unsigned types: their magnitudes), so that ties are frequent.</summary>
    private static Input SmallIntegers(MLOperandDataType type, int[] shape, int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, (int)Shapes.ElementCount(shape)).Select(_ => (double)random.Next(-4, 5)).ToArray();
        return new Input(type, shape, Typed(type, IsUnsigned(type) ? values.Select(Math.Abs) : values));
    }

    [Theory]
    [MemberData(nameof(HeldTypes))]
    public async Task Comparisons_agree_with_broadcasting_and_ties(MLOperandDataType type)
    {
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.Equal(x[0], x[1]), g.NotEqual(x[0], x[1]), g.Greater(x[0], x[1]), g.GreaterOrEqual(x[0], x[1]), g.Lesser(x[0], x[1]), g.LesserOrEqual(x[0], x[1])],
            SmallIntegers(type, [2, 3, 4], 1), SmallIntegers(type, [3, 1], 2));
        AssertIdentical(cpu, gpu);
        Assert.Contains((byte)1, (byte[])gpu[0]);
        Assert.Contains((byte)0, (byte[])gpu[0]);
    }

    [Theory]
    [MemberData(nameof(Floats))]
    public async Task Comparisons_with_nan_are_false_and_not_equal_is_true(MLOperandDataType type)
    {
        double[] a = [double.NaN, double.NaN, 1, double.PositiveInfinity, double.NegativeInfinity, -0.0, 2];
        double[] b = [double.NaN, 1, double.NaN, double.PositiveInfinity, 3, 0.0, 2];
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.Equal(x[0], x[1]), g.NotEqual(x[0], x[1]), g.Greater(x[0], x[1]), g.GreaterOrEqual(x[0], x[1]), g.Lesser(x[0], x[1]), g.LesserOrEqual(x[0], x[1])],
            new Input(type, [7], Typed(type, a)), new Input(type, [7], Typed(type, b)));
        AssertIdentical(cpu, gpu);
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0, 1, 1 }, gpu[0]);
        Assert.Equal(new byte[] { 1, 1, 1, 0, 1, 0, 0 }, gpu[1]);
        Assert.Equal(new byte[] { 0, 0, 0, 1, 1, 1, 1 }, gpu[5]);
    }

    [Fact]
    public async Task Logical_operators_treat_any_non_zero_uint8_as_true_with_broadcasting()
    {
        var a = new Input(MLOperandDataType.Uint8, [2, 4], new byte[] { 0, 1, 2, 255, 0, 7, 0, 128 });
        var b = new Input(MLOperandDataType.Uint8, [4], new byte[] { 0, 3, 0, 1 });
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => [g.LogicalAnd(x[0], x[1]), g.LogicalOr(x[0], x[1]), g.LogicalXor(x[0], x[1]), g.LogicalNot(x[0])], a, b);
        AssertIdentical(cpu, gpu);
        Assert.Equal(new byte[] { 0, 1, 0, 1, 0, 1, 0, 1 }, gpu[0]);
        Assert.Equal(new byte[] { 1, 0, 0, 0, 1, 0, 1, 0 }, gpu[3]);
    }

    [Theory]
    [MemberData(nameof(Floats))]
    public async Task IsNaN_and_isInfinite_agree(MLOperandDataType type)
    {
        double[] values = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0, -1.5, 65504, -65504, 1e-7];
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => [g.IsNaN(x[0]), g.IsInfinite(x[0])], new Input(type, [values.Length], Typed(type, values)));
        AssertIdentical(cpu, gpu);
        Assert.Equal(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0 }, gpu[0]);
        Assert.Equal(new byte[] { 0, 1, 1, 0, 0, 0, 0, 0 }, gpu[1]);
    }

    [Theory]
    [MemberData(nameof(HeldTypes))]
    public async Task Where_selects_with_three_way_broadcasting(MLOperandDataType type)
    {
        var condition = new Input(MLOperandDataType.Uint8, [3, 1], new byte[] { 0, 5, 1 });
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => [g.Where(x[0], x[1], x[2])],
            condition, SmallIntegers(type, [2, 1, 4], 3), SmallIntegers(type, [4], 4));
        AssertIdentical(cpu, gpu);
        Assert.Equal(24, gpu[0].Length);
    }

    [Theory]
    [InlineData(MLOperandDataType.Int8, 1)]
    [InlineData(MLOperandDataType.Int8, 3)]
    [InlineData(MLOperandDataType.Uint8, 5)]
    [InlineData(MLOperandDataType.Uint8, 7)]
    [InlineData(MLOperandDataType.Int8, 9)]
    public async Task Eight_bit_values_round_trip_through_inputs_constants_and_outputs_of_odd_lengths(MLOperandDataType type, int length)
    {
        // Extremes and their neighbours: sign extension (int8) and zero extension (uint8) on widening, the low byte on narrowing.
        double[] extremes = type == MLOperandDataType.Int8 ? [-128, 127, -1, 0, 1, -127, 126, 5, -6] : [255, 0, 128, 127, 1, 254, 3, 200, 9];
        var values = Typed(type, extremes.Take(length));
        var constantValues = Typed(type, extremes.Reverse().Take(length));
        // One byte per element either way: the constant's bytes are its sbytes or bytes as they are.
        byte[] constantBytes = type == MLOperandDataType.Int8 ? MemoryMarshal.AsBytes(((sbyte[])constantValues).AsSpan()).ToArray() : (byte[])constantValues;
        var condition = new Input(MLOperandDataType.Uint8, [length], Typed(MLOperandDataType.Uint8, Enumerable.Range(0, length).Select(i => (double)(i % 2))));
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.Where(x[0], x[1], g.Constant(new MLOperandDescriptor(type, [length]), (ReadOnlySpan<byte>)constantBytes)), g.Reverse(x[1]), g.Greater(x[1], g.Constant(type, 0))],
            condition, new Input(type, [length], values));
        AssertIdentical(cpu, gpu);
        Assert.Equal(values.Cast<object>().Reverse(), gpu[1].Cast<object>());
    }

    [Theory]
    [MemberData(nameof(HeldTypes))]
    public async Task ArgMin_and_argMax_take_the_first_index_on_ties_in_int32_and_int64(MLOperandDataType type)
    {
        var input = SmallIntegers(type, [3, 5, 4], 5);
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) =>
        [
            g.ArgMax(x[0], 1), g.ArgMin(x[0], 1),
            g.ArgMax(x[0], 2, new MLArgMinMaxOptions { KeepDimensions = true, OutputDataType = MLOperandDataType.Int64 }),
            g.ArgMin(x[0], 0, new MLArgMinMaxOptions { OutputDataType = MLOperandDataType.Int64 }),
        ], input);
        AssertIdentical(cpu, gpu);
        Assert.IsType<long[]>(gpu[2]);
        Assert.Contains((long)3, (long[])gpu[2]);
    }

    [Theory]
    [MemberData(nameof(Floats))]
    public async Task ArgMin_and_argMax_take_the_first_nan_as_the_extreme(MLOperandDataType type)
    {
        double[] values = [1, double.NaN, 3, double.NaN, 2, 2, -1, -1, 5, double.PositiveInfinity, double.NegativeInfinity, 0];
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.ArgMax(x[0], 1), g.ArgMin(x[0], 1, new MLArgMinMaxOptions { OutputDataType = MLOperandDataType.Int64 })],
            new Input(type, [3, 4], Typed(type, values)));
        AssertIdentical(cpu, gpu);
        Assert.Equal(new[] { 1, 0, 1 }, gpu[0]);
        Assert.Equal(new long[] { 1, 2, 2 }, gpu[1]);
    }

    [Theory]
    [InlineData(MLOperandDataType.Float32, false, false)]
    [InlineData(MLOperandDataType.Float16, true, false)]
    [InlineData(MLOperandDataType.Int32, false, true)]
    [InlineData(MLOperandDataType.Uint32, true, true)]
    public async Task CumulativeSum_agrees_exclusive_and_reversed(MLOperandDataType type, bool exclusive, bool reversed)
    {
        var options = new MLCumulativeSumOptions { Exclusive = exclusive, Reversed = reversed };
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => [g.CumulativeSum(x[0], 0, options), g.CumulativeSum(x[0], 1, options), g.CumulativeSum(x[0], 2, options)],
            SmallIntegers(type, [3, 4, 5], 6));
        AssertIdentical(cpu, gpu);
    }

    [Theory]
    [InlineData(MLOperandDataType.Int32)]
    [InlineData(MLOperandDataType.Uint32)]
    public async Task CumulativeSum_wraps_integers(MLOperandDataType type)
    {
        double[] values = type == MLOperandDataType.Int32 ? [int.MaxValue, 1, int.MinValue, -1] : [uint.MaxValue, 2, 3, uint.MaxValue];
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => [g.CumulativeSum(x[0], 0)], new Input(type, [4], Typed(type, values)));
        AssertIdentical(cpu, gpu);
        Assert.Equal(type == MLOperandDataType.Int32 ? new[] { int.MaxValue, int.MinValue, 0, -1 } : new uint[] { uint.MaxValue, 1, 4, 3 }, gpu[0]);
    }

    [Theory]
    [MemberData(nameof(HeldTypes))]
    public async Task Reverse_tile_and_triangular_agree(MLOperandDataType type)
    {
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) =>
        [
            g.Reverse(x[0]),
            g.Reverse(x[0], new MLReverseOptions { Axes = [0, 2] }),
            g.Reverse(x[0], new MLReverseOptions { Axes = [] }),
            g.Tile(x[0], [2, 1, 3]),
            g.Triangular(x[0]),
            g.Triangular(x[0], new MLTriangularOptions { Upper = false, Diagonal = -1 }),
            g.Triangular(x[0], new MLTriangularOptions { Upper = true, Diagonal = 2 }),
        ], SmallIntegers(type, [2, 3, 4], 7));
        AssertIdentical(cpu, gpu);
        Assert.Equal(2 * 3 * 4 * 6, gpu[3].Length);
    }

    [Fact]
    public void Limits_report_what_the_kernels_run_and_no_64_bit_arithmetic()
    {
        var limits = fixture.Gpu.OpSupportLimits();
        MLOperandDataType[] held = [.. HeldTypes.Select(row => row.Data)];
        MLOperandDataType[] floats = [MLOperandDataType.Float32, MLOperandDataType.Float16];
        static void AssertTypes(IEnumerable<MLOperandDataType> expected, IEnumerable<MLOperandDataType> actual) => Assert.Equal(expected.Order(), actual.Order());
        foreach (var op in new[] { "equal", "notEqual", "greater", "greaterOrEqual", "lesser", "lesserOrEqual" })
        {
            AssertTypes(held, limits[op]!["a"].DataTypes);
            AssertTypes([MLOperandDataType.Uint8], limits[op]!["output"].DataTypes);
        }
        foreach (var op in new[] { "logicalAnd", "logicalOr", "logicalXor", "logicalNot" })
        {
            AssertTypes([MLOperandDataType.Uint8], limits[op]!["a"].DataTypes);
        }
        AssertTypes(floats, limits["isNaN"]!["a"].DataTypes);
        AssertTypes(floats, limits["isInfinite"]!["a"].DataTypes);
        AssertTypes(held, limits["where"]!["trueValue"].DataTypes);
        foreach (var op in new[] { "argMin", "argMax" })
        {
            AssertTypes(held, limits[op]!["input"].DataTypes);
            AssertTypes([MLOperandDataType.Int32, MLOperandDataType.Int64], limits[op]!["output"].DataTypes);
        }
        AssertTypes([.. floats, MLOperandDataType.Int32, MLOperandDataType.Uint32], limits["cumulativeSum"]!["input"].DataTypes);
        foreach (var op in new[] { "reverse", "tile", "triangular" })
        {
            AssertTypes(held, limits[op]!["input"].DataTypes);
        }
        AssertTypes([.. held, MLOperandDataType.Int64], limits.Output.DataTypes);
        foreach (var (op, arguments) in limits.Operators)
        {
            foreach (var (argument, tensor) in arguments)
            {
                bool writesOrReadsIndices = argument == "indices" || (op is "argMin" or "argMax" && argument == "output");
                Assert.True(writesOrReadsIndices || !tensor.DataTypes.Contains(MLOperandDataType.Int64), $"{op}.{argument} reports int64");
                Assert.DoesNotContain(MLOperandDataType.Uint64, tensor.DataTypes);
            }
        }
    }
}
