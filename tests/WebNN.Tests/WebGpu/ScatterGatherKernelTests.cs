using static WebNN.Tests.Cpu.CpuGraphRunner;
using static WebNN.Tests.WebGpu.TypedArrays;

namespace WebNN.Tests.WebGpu;

/// <summary>
/// gatherElements, gatherND, scatterElements and scatterND on the WebGPU backend give exactly the CPU's results, for
/// every index type, with negative, out-of-range and (for the scatters) repeated indices.
/// </summary>
[Collection(GpuContextCollection.Name)]
public sealed class ScatterGatherKernelTests(GpuContextFixture fixture)
{
    /// <summary>
    /// Indices along a dimension of <paramref name="size"/>, seeded: mostly in [−size, size), with repeats, and a third
    /// from the edge cases: −size, below −size, beyond the size, the 32-bit extremes and (int64) values beyond 32 bits.
    /// </summary>
    private static Input Indices(MLOperandDataType type, int[] shape, int size, int seed)
    {
        long[] edges = [0, size - 1, -1, -size, -size - 1, size, size + 3, int.MinValue, int.MaxValue];
        if (type == MLOperandDataType.Int64)
        {
            edges = [.. edges, 1L << 32, (1L << 32) + 1, -(1L << 32), -(1L << 32) + 1, long.MinValue, long.MaxValue];
        }
        var random = new Random(seed);
        var values = Enumerable.Range(0, (int)Shapes.ElementCount(shape))
            .Select(_ => random.Next(3) == 0 ? edges[random.Next(edges.Length)] : random.Next(-size, size)).ToArray();
        Array typed = type switch
        {
            MLOperandDataType.Int32 => values.Select(v => (int)v).ToArray(),
            MLOperandDataType.Uint32 => values.Select(v => unchecked((uint)v)).ToArray(),
            _ => values,
        };
        return new Input(type, shape, typed);
    }

    /// <summary>Seeded values of a type the kernels move as 32-bit words.</summary>
    private static Input Values(MLOperandDataType type, int[] shape, int seed)
    {
        var floats = RandomFloats(seed, (int)Shapes.ElementCount(shape), -1000, 1000);
        Array values = type switch
        {
            MLOperandDataType.Float16 => floats.Select(v => (Half)v).ToArray(),
            MLOperandDataType.Int32 => floats.Select(v => (int)v).ToArray(),
            MLOperandDataType.Uint32 => floats.Select(v => unchecked((uint)(int)v)).ToArray(),
            MLOperandDataType.Int8 => floats.Select(v => (sbyte)(v / 8)).ToArray(),
            MLOperandDataType.Uint8 => floats.Select(v => (byte)(v / 8 + 128)).ToArray(),
            _ => floats,
        };
        return new Input(type, shape, values);
    }

    private static int[] WithSize(int[] shape, int axis, int size) => [.. shape.Select((s, d) => d == axis ? size : s)];

    [Theory]
    [InlineData(0, MLOperandDataType.Int32, MLOperandDataType.Float32)]
    [InlineData(1, MLOperandDataType.Uint32, MLOperandDataType.Int32)]
    [InlineData(2, MLOperandDataType.Int64, MLOperandDataType.Float16)]
    [InlineData(1, MLOperandDataType.Int64, MLOperandDataType.Uint32)]
    [InlineData(0, MLOperandDataType.Int32, MLOperandDataType.Int8)]
    [InlineData(2, MLOperandDataType.Uint32, MLOperandDataType.Uint8)]
    public async Task GatherElements_agrees(int axis, MLOperandDataType indexType, MLOperandDataType dataType)
    {
        int[] shape = [6, 50, 4];
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.GatherElements(x[0], x[1], new MLGatherOptions { Axis = axis })],
            Values(dataType, shape, 1), Indices(indexType, WithSize(shape, axis, 7), shape[axis], 2));
        AssertIdentical(cpu, gpu);
    }

    [Theory]
    [InlineData(0, MLOperandDataType.Int32, MLOperandDataType.Float32)]
    [InlineData(1, MLOperandDataType.Uint32, MLOperandDataType.Int32)]
    [InlineData(2, MLOperandDataType.Int64, MLOperandDataType.Float16)]
    [InlineData(1, MLOperandDataType.Int64, MLOperandDataType.Uint32)]
    [InlineData(0, MLOperandDataType.Int32, MLOperandDataType.Int8)]
    [InlineData(2, MLOperandDataType.Uint32, MLOperandDataType.Uint8)]
    public async Task ScatterElements_agrees_with_repeated_targets(int axis, MLOperandDataType indexType, MLOperandDataType dataType)
    {
        int[] shape = [6, 50, 4];
        // More updates along the axis than places (at most 6 of them), so places are written more than once.
        int[] indicesShape = WithSize(shape, axis, 9);
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.ScatterElements(x[0], x[1], x[2], new MLScatterOptions { Axis = axis })],
            Values(dataType, shape, 3), Indices(indexType, indicesShape, shape[axis], 4), Values(dataType, indicesShape, 5));
        AssertIdentical(cpu, gpu);
    }

    [Theory]
    [InlineData(1, MLOperandDataType.Int32, MLOperandDataType.Float32)]
    [InlineData(2, MLOperandDataType.Uint32, MLOperandDataType.Int32)]
    [InlineData(3, MLOperandDataType.Int64, MLOperandDataType.Float16)]
    [InlineData(2, MLOperandDataType.Int64, MLOperandDataType.Uint32)]
    [InlineData(1, MLOperandDataType.Int32, MLOperandDataType.Int8)]
    [InlineData(3, MLOperandDataType.Int64, MLOperandDataType.Uint8)]
    public async Task GatherND_agrees(int coordinateLength, MLOperandDataType indexType, MLOperandDataType dataType)
    {
        int[] shape = [5, 6, 30];
        // Coordinates drawn as for the first dimension (5): negative and out-of-range ones for the others too.
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.GatherND(x[0], x[1])],
            Values(dataType, shape, 6), Indices(indexType, [4, 3, coordinateLength], 5, 7));
        AssertIdentical(cpu, gpu);
    }

    [Theory]
    [InlineData(1, MLOperandDataType.Int32, MLOperandDataType.Float32)]
    [InlineData(2, MLOperandDataType.Uint32, MLOperandDataType.Int32)]
    [InlineData(3, MLOperandDataType.Int64, MLOperandDataType.Float16)]
    [InlineData(2, MLOperandDataType.Int64, MLOperandDataType.Uint32)]
    [InlineData(1, MLOperandDataType.Int32, MLOperandDataType.Int8)]
    [InlineData(3, MLOperandDataType.Int64, MLOperandDataType.Uint8)]
    public async Task ScatterND_agrees_with_repeated_targets(int coordinateLength, MLOperandDataType indexType, MLOperandDataType dataType)
    {
        int[] shape = [5, 6, 30];
        int[] updatesShape = [12, .. shape[coordinateLength..]];
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.ScatterND(x[0], x[1], x[2])],
            Values(dataType, shape, 8), Indices(indexType, [12, coordinateLength], 5, 9), Values(dataType, updatesShape, 10));
        AssertIdentical(cpu, gpu);
    }

    [Fact]
    public async Task The_later_of_two_updates_to_one_place_wins()
    {
        // Worked by hand: row 0 writes places 1, 1 (as −2) and 0 (as −3); row 1 writes 2 (5 clamped), 2 and 0.
        var input = new Input(MLOperandDataType.Int32, [2, 3], new[] { 1, 2, 3, 4, 5, 6 });
        var indices = new Input(MLOperandDataType.Int64, [2, 3], new[] { 1L, -2L, -3L, 5L, 2L, 0L });
        var updates = new Input(MLOperandDataType.Int32, [2, 3], new[] { 10, 20, 30, 40, 50, 60 });
        var (gpu, _) = await fixture.RunBothAsync((g, x) => [g.ScatterElements(x[0], x[1], x[2], new MLScatterOptions { Axis = 1 })], input, indices, updates);
        Assert.Equal(new[] { 30, 20, 3, 60, 5, 50 }, (int[])gpu[0]);

        var tuples = new Input(MLOperandDataType.Int32, [4, 1], new[] { 1, -1, 4, 0 });
        var rows = new Input(MLOperandDataType.Int32, [4, 3], new[] { 10, 11, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42 });
        // Rows 1, 1 (as −1), 1 (4 clamped), then 0.
        var (gpuRows, _) = await fixture.RunBothAsync((g, x) => [g.ScatterND(x[0], x[1], x[2])], input, tuples, rows);
        Assert.Equal(new[] { 40, 41, 42, 30, 31, 32 }, (int[])gpuRows[0]);
    }
}
