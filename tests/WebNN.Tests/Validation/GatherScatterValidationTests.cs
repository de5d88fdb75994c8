namespace WebNN.Tests.Validation;

public sealed class GatherScatterValidationTests
{
    private readonly MLGraphBuilder b = NullBackendContext.CreateBuilder();

    private MLOperand Indices(params int[] shape) => b.Operand(MLOperandDataType.Int32, shape);

    [Fact]
    public void Gather_replaces_the_axis_with_the_indices_shape()
    {
        var y = b.Gather(b.F32(4, 3, 5), Indices(2, 2), new MLGatherOptions { Axis = 1 });
        Assert.Equal([4, 2, 2, 5], y.Shape);
        Assert.Equal(1, y.Attributes<AxisAttributes>().Axis);
        Assert.Equal([3, 5], b.Gather(b.F32(4, 3, 5), Indices()).Shape);
    }

    [Fact]
    public void Gather_rules_each_throw()
    {
        Assert.Throws<ArgumentException>(() => b.Gather(b.F32(4, 3), Indices(2), new MLGatherOptions { Axis = 2 }));
        Assert.Throws<ArgumentException>(() => b.Gather(b.F32(4, 3), Indices(2), new MLGatherOptions { Axis = -1 }));
        var e = Assert.Throws<ArgumentException>(() => b.Gather(b.F32(4, 3), b.F32(2)));
        Assert.Contains("indices's data type (float32)", e.Message);
        Assert.Throws<ArgumentException>(() => b.Gather(b.F32(), Indices(2)));
    }

    [Fact]
    public void GatherElements_output_has_the_indices_shape()
    {
        var y = b.GatherElements(b.F32(4, 3), Indices(4, 1), new MLGatherOptions { Axis = 1 });
        Assert.Equal([4, 1], y.Shape);
        Assert.Equal(1, y.Attributes<AxisAttributes>().Axis);
        Assert.Throws<ArgumentException>(() => b.GatherElements(b.F32(4, 3), Indices(4, 1)));
        Assert.Throws<ArgumentException>(() => b.GatherElements(b.F32(4, 3), Indices(4)));
        Assert.Throws<ArgumentException>(() => b.GatherElements(b.F32(4, 3), Indices(4, 3), new MLGatherOptions { Axis = 2 }));
        Assert.Throws<ArgumentException>(() => b.GatherElements(b.F32(4, 3), b.Operand(MLOperandDataType.Int8, 4, 3)));
    }

    [Fact]
    public void GatherND_slices_at_coordinates()
    {
        Assert.Equal([2, 5], b.GatherND(b.F32(4, 3, 5), Indices(2, 2)).Shape);
        Assert.Equal([2], b.GatherND(b.F32(4, 3), Indices(2, 2)).Shape);
        Assert.Null(b.GatherND(b.F32(4, 3), Indices(2)).Operator!.Attributes);
        var e = Assert.Throws<ArgumentException>(() => b.GatherND(b.F32(4, 3), Indices(2, 3)));
        Assert.Contains("indices' last dimension (3) must not exceed the input's rank (2)", e.Message);
        Assert.Throws<ArgumentException>(() => b.GatherND(b.F32(4, 3), Indices()));
    }

    [Fact]
    public void ScatterElements_keeps_the_input_shape()
    {
        var y = b.ScatterElements(b.F32(4, 3), Indices(2, 3), b.F32(2, 3));
        Assert.Equal([4, 3], y.Shape);
        Assert.Equal(0, y.Attributes<AxisAttributes>().Axis);
    }

    [Fact]
    public void ScatterElements_rules_each_throw()
    {
        Assert.Throws<ArgumentException>(() => b.ScatterElements(b.F32(4, 3), b.F32(2, 3), b.F32(2, 3)));
        Assert.Throws<ArgumentException>(() => b.ScatterElements(b.F32(4, 3), Indices(2, 3), b.Operand(MLOperandDataType.Float16, 2, 3)));
        Assert.Throws<ArgumentException>(() => b.ScatterElements(b.F32(4, 3), Indices(2), b.F32(2)));
        Assert.Throws<ArgumentException>(() => b.ScatterElements(b.F32(4, 3), Indices(2, 3), b.F32(2, 3), new MLScatterOptions { Axis = 2 }));
        Assert.Throws<ArgumentException>(() => b.ScatterElements(b.F32(4, 3), Indices(2, 2), b.F32(2, 2)));
        var e = Assert.Throws<ArgumentException>(() => b.ScatterElements(b.F32(4, 3), Indices(2, 3), b.F32(1, 3)));
        Assert.Contains("updates' shape [1, 3] must equal indices' shape [2, 3]", e.Message);
    }

    [Fact]
    public void ScatterND_checks_the_updates_shape()
    {
        Assert.Equal([4, 3, 5], b.ScatterND(b.F32(4, 3, 5), Indices(2, 2), b.F32(2, 5)).Shape);
        Assert.Equal([4, 3], b.ScatterND(b.F32(4, 3), Indices(2, 2), b.F32(2)).Shape);
        Assert.Throws<ArgumentException>(() => b.ScatterND(b.F32(4, 3), Indices(2, 3), b.F32(2)));
        Assert.Throws<ArgumentException>(() => b.ScatterND(b.F32(4, 3), Indices(2, 2), b.F32(2, 3)));
        Assert.Throws<ArgumentException>(() => b.ScatterND(b.F32(4, 3), Indices(2, 2), b.Operand(MLOperandDataType.Int32, 2)));
        Assert.Throws<ArgumentException>(() => b.ScatterND(b.F32(4, 3), b.Operand(MLOperandDataType.Uint8, 2, 2), b.F32(2)));
    }
}
