namespace WebNN.Tests.Validation;

public sealed class ShapeOperationsValidationTests
{
    private readonly MLGraphBuilder b = NullBackendContext.CreateBuilder();

    [Fact]
    public void Cast_keeps_the_shape_and_takes_the_type()
    {
        var y = b.Cast(b.F32(2, 3), MLOperandDataType.Int8);
        Assert.Equal([2, 3], y.Shape);
        Assert.Equal(MLOperandDataType.Int8, y.DataType);
        Assert.Equal(MLOperandDataType.Int8, y.Attributes<CastAttributes>().DataType);
        Assert.Throws<ArgumentException>(() => b.Cast(b.F32(2), (MLOperandDataType)99));
    }

    [Fact]
    public void Concat_sums_the_axis()
    {
        var y = b.Concat([b.F32(2, 3), b.F32(2, 4), b.F32(2, 1)], 1);
        Assert.Equal([2, 8], y.Shape);
        Assert.Equal(1, y.Attributes<ConcatAttributes>().Axis);
    }

    [Fact]
    public void Concat_rules_each_throw()
    {
        Assert.Throws<ArgumentException>(() => b.Concat([], 0));
        var e = Assert.Throws<ArgumentException>(() => b.Concat([b.F32(2, 3)], 2));
        Assert.Contains("axis (2) must be less than the input's rank (2)", e.Message);
        Assert.Throws<ArgumentException>(() => b.Concat([b.F32(2, 3)], -1));
        Assert.Throws<ArgumentException>(() => b.Concat([b.F32(2, 3), b.Operand(MLOperandDataType.Float16, 2, 3)], 0));
        Assert.Throws<ArgumentException>(() => b.Concat([b.F32(2, 3), b.F32(2, 3, 1)], 0));
        e = Assert.Throws<ArgumentException>(() => b.Concat([b.F32(2, 3), b.F32(3, 3)], 1));
        Assert.Contains("except on axis 1", e.Message);
        Assert.Throws<ArgumentException>(() => b.Concat([b.F32()], 0));
        Assert.Throws<ArgumentException>(() => b.Concat([b.F32(int.MaxValue / 2 + 1), b.F32(int.MaxValue / 2 + 1)], 0));
    }

    [Fact]
    public void Expand_broadcasts_to_the_new_shape()
    {
        Assert.Equal([4, 2, 3], b.Expand(b.F32(1, 3), [4, 2, 3]).Shape);
        Assert.Throws<ArgumentException>(() => b.Expand(b.F32(2, 3), [4, 3]));
        Assert.Throws<ArgumentException>(() => b.Expand(b.F32(2, 3), [3]));
        Assert.Throws<ArgumentException>(() => b.Expand(b.F32(1), [-1]));
        Assert.Throws<ArgumentException>(() => b.Expand(b.F32(1), [0]));
    }

    [Fact]
    public void Reshape_keeps_the_element_count()
    {
        Assert.Equal([3, 4], b.Reshape(b.F32(2, 6), [3, 4]).Shape);
        Assert.Equal([], b.Reshape(b.F32(1, 1), []).Shape);
        var e = Assert.Throws<ArgumentException>(() => b.Reshape(b.F32(2, 6), [5, 2]));
        Assert.Contains("as many elements", e.Message);
        Assert.Throws<ArgumentException>(() => b.Reshape(b.F32(2, 6), [12, 0]));
        Assert.Throws<ArgumentException>(() => b.Reshape(b.F32(2, 6), [-12, -1]));
        Assert.Throws<ArgumentException>(() => b.Reshape(b.F32(2, 6), [int.MaxValue, int.MaxValue, int.MaxValue]));
    }

    [Fact]
    public void Tile_multiplies_each_axis()
    {
        var y = b.Tile(b.F32(2, 3), [3, 1]);
        Assert.Equal([6, 3], y.Shape);
        Assert.Equal([3, 1], y.Attributes<TileAttributes>().Repetitions);
        Assert.Throws<ArgumentException>(() => b.Tile(b.F32(2, 3), [3]));
        Assert.Throws<ArgumentException>(() => b.Tile(b.F32(2, 3), [0, 1]));
        Assert.Throws<ArgumentException>(() => b.Tile(b.F32(2, 3), [-1, 1]));
        Assert.Throws<ArgumentException>(() => b.Tile(b.F32(2, 3), [int.MaxValue, 1]));
    }

    [Fact]
    public void Transpose_defaults_to_reversed_axes()
    {
        var y = b.Transpose(b.F32(2, 3, 4));
        Assert.Equal([4, 3, 2], y.Shape);
        Assert.Equal([2, 1, 0], y.Attributes<TransposeAttributes>().Permutation);
        Assert.Equal([3, 2, 4], b.Transpose(b.F32(2, 3, 4), new MLTransposeOptions { Permutation = [1, 0, 2] }).Shape);
    }

    [Theory]
    [InlineData(new[] { 0, 1 })]
    [InlineData(new[] { 0, 1, 3 })]
    [InlineData(new[] { 0, 1, 1 })]
    [InlineData(new[] { 0, -1, 2 })]
    public void Transpose_rejects_bad_permutations(int[] permutation) =>
        Assert.Throws<ArgumentException>(() => b.Transpose(b.F32(2, 3, 4), new MLTransposeOptions { Permutation = permutation }));

    [Fact]
    public void Reverse_resolves_axes()
    {
        Assert.Equal([0, 1, 2], b.Reverse(b.F32(2, 3, 4)).Attributes<ReverseAttributes>().Axes);
        var y = b.Reverse(b.F32(2, 3, 4), new MLReverseOptions { Axes = [2] });
        Assert.Equal([2, 3, 4], y.Shape);
        Assert.Equal([2], y.Attributes<ReverseAttributes>().Axes);
        Assert.Throws<ArgumentException>(() => b.Reverse(b.F32(2, 3), new MLReverseOptions { Axes = [2] }));
        var e = Assert.Throws<ArgumentException>(() => b.Reverse(b.F32(2, 3), new MLReverseOptions { Axes = [1, 1] }));
        Assert.Contains("must not contain duplicate values", e.Message);
    }

    [Fact]
    public void Triangular_keeps_the_shape_and_needs_rank_2()
    {
        var y = b.Triangular(b.F32(2, 3, 3), new MLTriangularOptions { Upper = false, Diagonal = -1 });
        Assert.Equal([2, 3, 3], y.Shape);
        Assert.Equal(new TriangularAttributes(false, -1), y.Attributes<TriangularAttributes>());
        Assert.Equal(new TriangularAttributes(true, 0), b.Triangular(b.F32(3, 3)).Attributes<TriangularAttributes>());
        Assert.Throws<ArgumentException>(() => b.Triangular(b.F32(3)));
    }

    [Fact]
    public void Where_broadcasts_all_three()
    {
        var y = b.Where(b.Operand(MLOperandDataType.Uint8, 2, 1, 1), b.F32(3, 1), b.F32(4));
        Assert.Equal([2, 3, 4], y.Shape);
        Assert.Equal(MLOperandDataType.Float32, y.DataType);
        Assert.Throws<ArgumentException>(() => b.Where(b.F32(1), b.F32(3), b.F32(3)));
        Assert.Throws<ArgumentException>(() => b.Where(b.Operand(MLOperandDataType.Uint8, 1), b.F32(3), b.Operand(MLOperandDataType.Float16, 3)));
        Assert.Throws<ArgumentException>(() => b.Where(b.Operand(MLOperandDataType.Uint8, 1), b.F32(3), b.F32(4)));
        Assert.Throws<ArgumentException>(() => b.Where(b.Operand(MLOperandDataType.Uint8, 2), b.F32(3), b.F32(3)));
    }

    [Fact]
    public void Slice_takes_every_stride_th_element()
    {
        var y = b.Slice(b.F32(5, 8), [1, 2], [4, 5], new MLSliceOptions { Strides = [2, 3] });
        Assert.Equal([2, 2], y.Shape);
        var attributes = y.Attributes<SliceAttributes>();
        Assert.Equal([1, 2], attributes.Starts);
        Assert.Equal([4, 5], attributes.Sizes);
        Assert.Equal([2, 3], attributes.Strides);
        Assert.Equal([1, 1], b.Slice(b.F32(5, 8), [0, 0], [1, 1]).Attributes<SliceAttributes>().Strides);
    }

    [Theory]
    [InlineData(new[] { 0, 0 }, new[] { 0, 1 }, null)]
    [InlineData(new[] { 0 }, new[] { 1, 1 }, null)]
    [InlineData(new[] { 0, 0 }, new[] { 1 }, null)]
    [InlineData(new[] { 0, 0 }, new[] { 1, 1 }, new[] { 1 })]
    [InlineData(new[] { 0, 0 }, new[] { 1, 1 }, new[] { 1, 0 })]
    [InlineData(new[] { 6, 0 }, new[] { 1, 1 }, null)]
    [InlineData(new[] { 4, 0 }, new[] { 2, 1 }, null)]
    [InlineData(new[] { -1, 0 }, new[] { 1, 1 }, null)]
    public void Slice_rules_each_throw(int[] starts, int[] sizes, int[]? strides) =>
        Assert.Throws<ArgumentException>(() => b.Slice(b.F32(5, 8), starts, sizes, new MLSliceOptions { Strides = strides }));

    [Fact]
    public void Split_by_count_and_by_sizes()
    {
        var parts = b.Split(b.F32(2, 6), 3, new MLSplitOptions { Axis = 1 });
        Assert.Equal(3, parts.Length);
        Assert.All(parts, p => Assert.Equal([2, 2], p.Shape));
        Assert.Equal(new[] { 2, 2, 2 }, parts[0].Attributes<SplitAttributes>().Sizes);
        parts = b.Split(b.F32(6, 2), [1, 5]);
        Assert.Equal([1, 2], parts[0].Shape);
        Assert.Equal([5, 2], parts[1].Shape);
        Assert.Same(parts[0].Operator, parts[1].Operator);
        Assert.Equal(0, parts[0].Attributes<SplitAttributes>().Axis);
    }

    [Fact]
    public void Split_rules_each_throw()
    {
        var x = b.F32(2, 6);
        Assert.Throws<ArgumentException>(() => b.Split(x, 2, new MLSplitOptions { Axis = 2 }));
        Assert.Throws<ArgumentException>(() => b.Split(x, 2, new MLSplitOptions { Axis = -1 }));
        Assert.Throws<ArgumentException>(() => b.Split(x, 0, new MLSplitOptions { Axis = 1 }));
        Assert.Throws<ArgumentException>(() => b.Split(x, 9000, new MLSplitOptions { Axis = 1 }));
        var e = Assert.Throws<ArgumentException>(() => b.Split(x, 4, new MLSplitOptions { Axis = 1 }));
        Assert.Contains("divisible by splits (4)", e.Message);
        Assert.Throws<ArgumentException>(() => b.Split(x, Array.Empty<int>(), new MLSplitOptions { Axis = 1 }));
        Assert.Throws<ArgumentException>(() => b.Split(x, [6, 0], new MLSplitOptions { Axis = 1 }));
        Assert.Throws<ArgumentException>(() => b.Split(x, [7, -1], new MLSplitOptions { Axis = 1 }));
        e = Assert.Throws<ArgumentException>(() => b.Split(x, [2, 3], new MLSplitOptions { Axis = 1 }));
        Assert.Contains("must sum to the input's size", e.Message);
    }

    [Fact]
    public void Pad_grows_each_axis_and_casts_the_value()
    {
        var y = b.Pad(b.Operand(MLOperandDataType.Int32, 2, 3), [1, 0], [2, 3], new MLPadOptions { Value = 2.7 });
        Assert.Equal([5, 6], y.Shape);
        var attributes = y.Attributes<PadAttributes>();
        Assert.Equal(MLPaddingMode.Constant, attributes.Mode);
        Assert.Equal(3.0, attributes.Value.CastTo(MLOperandDataType.Int32));
        Assert.Equal([1, 0], attributes.BeginningPadding);
        Assert.Equal([4, 5], b.Pad(b.F32(2, 3), [1, 2], [1, 0], new MLPadOptions { Mode = MLPaddingMode.Reflection }).Shape);
    }

    [Fact]
    public void Pad_rules_each_throw()
    {
        var x = b.F32(2, 3);
        Assert.Throws<ArgumentException>(() => b.Pad(x, [1], [1, 1]));
        Assert.Throws<ArgumentException>(() => b.Pad(x, [1, 1], [1, -1]));
        var e = Assert.Throws<ArgumentException>(() => b.Pad(x, [2, 0], [0, 0], new MLPadOptions { Mode = MLPaddingMode.Reflection }));
        Assert.Contains("reflection padding on axis 0", e.Message);
        Assert.Throws<ArgumentException>(() => b.Pad(x, [0, 0], [0, 3], new MLPadOptions { Mode = MLPaddingMode.Reflection }));
        Assert.Throws<ArgumentException>(() => b.Pad(x, [0, 0], [0, 0], new MLPadOptions { Mode = (MLPaddingMode)7 }));
        Assert.Throws<ArgumentException>(() => b.Pad(x, [int.MaxValue, 0], [0, 0]));
    }
}
