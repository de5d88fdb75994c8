using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.Cpu;

/// <summary>gatherElements, gatherND, scatterElements, scatterND, reverse, tile and triangular on the CPU, worked by hand.</summary>
public sealed class IndexingOperationTests
{
    private static readonly float[] Square = [1, 2, 3, 4, 5, 6, 7, 8, 9];

    [Fact]
    public async Task GatherElements_picks_along_the_axis_with_negative_and_clamped_indices()
    {
        var indices = new Input(MLOperandDataType.Int32, [2, 3], new[] { 1, 2, 0, 2, 0, -1 });
        var y = await RunFloatsAsync((g, x) => g.GatherElements(x[0], x[1]), Input.Floats([3, 3], Square), indices);
        Assert.Equal(new float[] { 4, 8, 3, 7, 2, 9 }, y);
        var wide = new Input(MLOperandDataType.Int64, [3, 1], new[] { 2L, 5L, -3L });
        var bytes = new Input(MLOperandDataType.Uint8, [3, 3], Square.Select(v => (byte)v).ToArray());
        Assert.Equal(new byte[] { 3, 6, 7 }, (byte[])await RunAsync((g, x) => g.GatherElements(x[0], x[1], new MLGatherOptions { Axis = 1 }), bytes, wide));
    }

    [Fact]
    public async Task GatherND_takes_elements_or_slices_at_coordinate_tuples()
    {
        var input = new Input(MLOperandDataType.Int64, [2, 2], new[] { 0L, 1L, 2L, 3L });
        var pairs = new Input(MLOperandDataType.Uint32, [2, 2], new[] { 0u, 0u, 1u, 1u });
        Assert.Equal(new[] { 0L, 3L }, (long[])await RunAsync((g, x) => g.GatherND(x[0], x[1]), input, pairs));
        var rows = new Input(MLOperandDataType.Int32, [3, 1], new[] { 1, 0, -1 });
        Assert.Equal(new[] { 2L, 3L, 0L, 1L, 2L, 3L }, (long[])await RunAsync((g, x) => g.GatherND(x[0], x[1]), input, rows));
    }

    [Fact]
    public async Task ScatterElements_writes_updates_along_the_axis()
    {
        var indices = new Input(MLOperandDataType.Int64, [2, 3], new[] { 1L, 0L, 2L, 0L, 2L, -2L });
        var updates = Input.Floats([2, 3], [1.0f, 1.1f, 1.2f, 2.0f, 2.1f, 2.2f]);
        var y = await RunFloatsAsync((g, x) => g.ScatterElements(x[0], x[1], x[2]), Input.Floats([3, 3], new float[9]), indices, updates);
        Assert.Equal(new float[] { 2.0f, 1.1f, 0, 1.0f, 0, 2.2f, 0, 2.1f, 1.2f }, y);
    }

    [Fact]
    public async Task ScatterND_writes_elements_and_slices()
    {
        var data = new Input(MLOperandDataType.Int32, [8], new[] { 1, 2, 3, 4, 5, 6, 7, 8 });
        var indices = new Input(MLOperandDataType.Int32, [4, 1], new[] { 4, 3, 1, -1 });
        var updates = new Input(MLOperandDataType.Int32, [4], new[] { 9, 10, 11, 12 });
        Assert.Equal(new[] { 1, 11, 3, 10, 9, 6, 7, 12 }, (int[])await RunAsync((g, x) => g.ScatterND(x[0], x[1], x[2]), data, indices, updates));
        var rows = new Input(MLOperandDataType.Int32, [1, 1], new[] { 2 });
        var row = Input.Floats([1, 3], [-1, -2, -3]);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6, -1, -2, -3 }, await RunFloatsAsync((g, x) => g.ScatterND(x[0], x[1], x[2]), Input.Floats([3, 3], Square), rows, row));
    }

    [Fact]
    public async Task Reverse_mirrors_the_given_axes()
    {
        var matrix = Input.Floats([2, 3], [1, 2, 3, 4, 5, 6]);
        Assert.Equal(new float[] { 3, 2, 1, 6, 5, 4 }, await RunFloatsAsync((g, x) => g.Reverse(x[0], new MLReverseOptions { Axes = [1] }), matrix));
        Assert.Equal(new float[] { 6, 5, 4, 3, 2, 1 }, await RunFloatsAsync((g, x) => g.Reverse(x[0]), matrix));
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, await RunFloatsAsync((g, x) => g.Reverse(x[0], new MLReverseOptions { Axes = [] }), matrix));
        var halves = new Input(MLOperandDataType.Float16, [3], new[] { (Half)1, (Half)2, (Half)3 });
        Assert.Equal(new[] { (Half)3, (Half)2, (Half)1 }, (Half[])await RunAsync((g, x) => g.Reverse(x[0]), halves));
    }

    [Fact]
    public async Task Tile_repeats_along_each_axis()
    {
        var input = new Input(MLOperandDataType.Int8, [2, 2], new sbyte[] { 1, 2, 3, 4 });
        var y = (sbyte[])await RunAsync((g, x) => g.Tile(x[0], [2, 3]), input);
        Assert.Equal(new sbyte[] { 1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4, 1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4 }, y);
        Assert.Equal(new float[] { 7 }, await RunFloatsAsync((g, x) => g.Tile(x[0], []), Input.Floats([], [7])));
    }

    [Theory]
    [InlineData(true, 0, new float[] { 1, 2, 3, 0, 5, 6, 0, 0, 9 })]
    [InlineData(true, 1, new float[] { 0, 2, 3, 0, 0, 6, 0, 0, 0 })]
    [InlineData(true, -1, new float[] { 1, 2, 3, 4, 5, 6, 0, 8, 9 })]
    [InlineData(false, 0, new float[] { 1, 0, 0, 4, 5, 0, 7, 8, 9 })]
    [InlineData(false, 1, new float[] { 1, 2, 0, 4, 5, 6, 7, 8, 9 })]
    [InlineData(false, -1, new float[] { 0, 0, 0, 4, 0, 0, 7, 8, 0 })]
    public async Task Triangular_keeps_the_part_on_one_side_of_a_diagonal(bool upper, int diagonal, float[] expected)
    {
        var options = new MLTriangularOptions { Upper = upper, Diagonal = diagonal };
        Assert.Equal(expected, await RunFloatsAsync((g, x) => g.Triangular(x[0], options), Input.Floats([3, 3], Square)));
        // A batch of two int64 matrices, each masked the same way.
        var batch = new Input(MLOperandDataType.Int64, [2, 3, 3], Square.Concat(Square).Select(v => (long)v).ToArray());
        var y = (long[])await RunAsync((g, x) => g.Triangular(x[0], options), batch);
        Assert.Equal(expected.Concat(expected).Select(v => (long)v).ToArray(), y);
    }
}
