using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.Cpu;

/// <summary>reshape, transpose, concat, slice, split, pad, expand, gather and cast on the CPU, worked by hand.</summary>
public sealed class DataMovementOperationTests
{
    private static readonly float[] Matrix = [1, 2, 3, 4, 5, 6];

    [Fact]
    public async Task Reshape_keeps_the_elements_in_order()
    {
        var y = await RunFloatsAsync((g, x) => g.Reshape(x[0], [3, 2]), Input.Floats([2, 3], Matrix));
        Assert.Equal(Matrix, y);
    }

    [Fact]
    public async Task Transpose_permutes_and_defaults_to_reversing_axes()
    {
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, await RunFloatsAsync((g, x) => g.Transpose(x[0]), Input.Floats([2, 3], Matrix)));
        var values = Enumerable.Range(0, 24).Select(i => (float)i).ToArray();
        var y = await RunFloatsAsync((g, x) => g.Transpose(x[0], new MLTransposeOptions { Permutation = [1, 2, 0] }), Input.Floats([2, 3, 4], values));
        Assert.Equal(Permute(values, [2, 3, 4], [1, 2, 0]), y);
    }

    /// <summary>Batches of matrix transposes (NCHW ↔ NHWC among them) take a tiled path for 4-byte types; the rest, and other sizes, the general one.</summary>
    [Theory]
    [InlineData(0, 2, 3, 1)]
    [InlineData(0, 3, 1, 2)]
    [InlineData(2, 3, 0, 1)]
    [InlineData(0, 1, 3, 2)]
    [InlineData(3, 1, 2, 0)]
    public async Task Transpose_of_4_d_tensors_matches_the_definition_on_every_element_size(int p0, int p1, int p2, int p3)
    {
        int[] shape = [2, 5, 3, 17], permutation = [p0, p1, p2, p3];
        var values = Enumerable.Range(0, 2 * 5 * 3 * 17).Select(i => (float)(i % 101)).ToArray();
        var expected = Permute(values, shape, permutation);
        Assert.Equal(expected, await RunFloatsAsync((g, x) => g.Transpose(x[0], new MLTransposeOptions { Permutation = permutation }), Input.Floats(shape, values)));
        var integers = (int[])await RunAsync((g, x) => g.Transpose(x[0], new MLTransposeOptions { Permutation = permutation }),
            new Input(MLOperandDataType.Int32, shape, values.Select(v => (int)v - 50).ToArray()));
        Assert.Equal(expected.Select(v => (int)v - 50), integers);
        var bytes = (sbyte[])await RunAsync((g, x) => g.Transpose(x[0], new MLTransposeOptions { Permutation = permutation }),
            new Input(MLOperandDataType.Int8, shape, values.Select(v => (sbyte)(v - 50)).ToArray()));
        Assert.Equal(expected.Select(v => (sbyte)(v - 50)), bytes);
    }

    [Fact]
    public async Task Concat_joins_along_any_axis()
    {
        var y = await RunFloatsAsync((g, x) => g.Concat([x[0], x[1]], 1), Input.Floats([2, 3], Matrix), Input.Floats([2, 1], [7, 8]));
        Assert.Equal(new float[] { 1, 2, 3, 7, 4, 5, 6, 8 }, y);
        var z = await RunFloatsAsync((g, x) => g.Concat([x[0], x[1], x[0]], 0), Input.Floats([2, 3], Matrix), Input.Floats([1, 3], [9, 9, 9]));
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6, 9, 9, 9, 1, 2, 3, 4, 5, 6 }, z);
    }

    [Fact]
    public async Task Slice_takes_a_strided_window()
    {
        var values = Enumerable.Range(0, 20).Select(i => (float)i).ToArray();
        var y = await RunFloatsAsync((g, x) => g.Slice(x[0], [1, 1], [3, 4], new MLSliceOptions { Strides = [2, 3] }), Input.Floats([4, 5], values));
        Assert.Equal(new float[] { 6, 9, 16, 19 }, y);
    }

    [Fact]
    public async Task Split_cuts_into_the_given_sizes()
    {
        var context = await ML.CreateContextAsync();
        var builder = new MLGraphBuilder(context);
        var x = builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Float32, 2, 3));
        var parts = builder.Split(x, [1, 2], new MLSplitOptions { Axis = 1 });
        using var graph = await builder.BuildAsync(new Dictionary<string, MLOperand> { ["a"] = parts[0], ["b"] = parts[1] });
        var results = await context.ComputeAsync(graph, new Dictionary<string, Array> { ["x"] = Matrix });
        Assert.Equal(new float[] { 1, 4 }, (float[])results["a"]);
        Assert.Equal(new float[] { 2, 3, 5, 6 }, (float[])results["b"]);
    }

    [Theory]
    [InlineData(MLPaddingMode.Constant, new float[] { 9, 9, 9, 9, 9, 9, 1, 2, 3, 9, 9, 4, 5, 6, 9 })]
    [InlineData(MLPaddingMode.Edge, new float[] { 1, 1, 2, 3, 3, 1, 1, 2, 3, 3, 4, 4, 5, 6, 6 })]
    [InlineData(MLPaddingMode.Reflection, new float[] { 5, 4, 5, 6, 5, 2, 1, 2, 3, 2, 5, 4, 5, 6, 5 })]
    public async Task Pad_fills_the_border_by_mode(MLPaddingMode mode, float[] expected)
    {
        var y = await RunFloatsAsync((g, x) => g.Pad(x[0], [1, 1], [0, 1], new MLPadOptions { Mode = mode, Value = 9 }), Input.Floats([2, 3], Matrix));
        Assert.Equal(expected, y);
    }

    [Fact]
    public async Task Expand_broadcasts_to_the_new_shape()
    {
        var y = await RunFloatsAsync((g, x) => g.Expand(x[0], [2, 2, 3]), Input.Floats([2, 1], [7, 8]));
        Assert.Equal(new float[] { 7, 7, 7, 8, 8, 8, 7, 7, 7, 8, 8, 8 }, y);
    }

    [Theory]
    [InlineData(MLOperandDataType.Int32)]
    [InlineData(MLOperandDataType.Uint32)]
    [InlineData(MLOperandDataType.Int64)]
    public async Task Gather_selects_slices_with_negative_indices_counting_from_the_end(MLOperandDataType indexType)
    {
        Array indices = indexType switch
        {
            MLOperandDataType.Int32 => new[] { 2, -1, 0 },
            MLOperandDataType.Uint32 => new uint[] { 2, 2, 0 },
            _ => new long[] { 2, -1, 0 },
        };
        var y = await RunFloatsAsync((g, x) => g.Gather(x[0], x[1], new MLGatherOptions { Axis = 1 }), Input.Floats([2, 3], Matrix), new Input(indexType, [3], indices));
        Assert.Equal(new float[] { 3, 3, 1, 6, 6, 4 }, y);
    }

    [Fact]
    public async Task Data_movement_serves_every_data_type()
    {
        var bytes = (sbyte[])await RunAsync((g, x) => g.Transpose(x[0]), new Input(MLOperandDataType.Int8, [2, 3], new sbyte[] { 1, -2, 3, -4, 5, -6 }));
        Assert.Equal(new sbyte[] { 1, -4, -2, 5, 3, -6 }, bytes);
        var longs = (ulong[])await RunAsync((g, x) => g.Concat([x[0], x[0]], 0), new Input(MLOperandDataType.Uint64, [2], new ulong[] { ulong.MaxValue, 1 }));
        Assert.Equal(new ulong[] { ulong.MaxValue, 1, ulong.MaxValue, 1 }, longs);
        var halves = (Half[])await RunAsync((g, x) => g.Pad(x[0], [1], [1], new MLPadOptions { Value = 0.5 }), new Input(MLOperandDataType.Float16, [1], new[] { (Half)2 }));
        Assert.Equal(new[] { (Half)0.5, (Half)2, (Half)0.5 }, halves);
    }

    [Fact]
    public async Task Cast_follows_the_spec_table_truncating_floats_and_wrapping_integers()
    {
        // float → integer: truncated in range; out of range is implementation-defined (saturated here, NaN → 0).
        var toInt8 = (sbyte[])await RunAsync((g, x) => g.Cast(x[0], MLOperandDataType.Int8),
            Input.Floats([6], [2.5f, -3.5f, 300f, -300f, float.NaN, 1.99f]));
        Assert.Equal(new sbyte[] { 2, -3, 127, -128, 0, 1 }, toInt8);
        // integer → integer: the lowest bits, two's complement (the spec's note: int8 -1 → uint8 255).
        var toUint8 = (byte[])await RunAsync((g, x) => g.Cast(x[0], MLOperandDataType.Uint8), new Input(MLOperandDataType.Int32, [3], new[] { -5, 256, 7 }));
        Assert.Equal(new byte[] { 251, 0, 7 }, toUint8);
        var toFloat = (float[])await RunAsync((g, x) => g.Cast(x[0], MLOperandDataType.Float32), new Input(MLOperandDataType.Int64, [2], new[] { long.MinValue, 3L }));
        Assert.Equal(new[] { (float)long.MinValue, 3f }, toFloat);
        var toHalf = (Half[])await RunAsync((g, x) => g.Cast(x[0], MLOperandDataType.Float16), Input.Floats([2], [1e6f, 0.1f]));
        Assert.Equal(new[] { Half.PositiveInfinity, (Half)0.1f }, toHalf);
    }
}
