namespace WebNN.Tests.Validation;

public sealed class Conv2dValidationTests
{
    private static MLOperand Operand(MLGraphBuilder builder, MLOperandDataType type, params int[] shape) =>
        builder.Input($"x{Guid.NewGuid():N}", new MLOperandDescriptor(type, shape));

    [Fact]
    public void Nhwc_hwio_same_padding_keeps_spatial_size()
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.Conv2d(
            Operand(b, MLOperandDataType.Float32, 1, 100, 100, 100),
            Operand(b, MLOperandDataType.Float32, 3, 3, 100, 100),
            new MLConv2dOptions { Padding = [1, 1, 1, 1], InputLayout = MLInputOperandLayout.Nhwc, FilterLayout = MLConv2dFilterOperandLayout.Hwio });
        Assert.Equal(new[] { 1, 100, 100, 100 }, output.Shape);
        Assert.Equal(MLOperandDataType.Float32, output.DataType);
    }

    [Theory]
    [InlineData(MLConv2dFilterOperandLayout.Oihw, new[] { 8, 2, 3, 3 })]
    [InlineData(MLConv2dFilterOperandLayout.Hwio, new[] { 3, 3, 2, 8 })]
    [InlineData(MLConv2dFilterOperandLayout.Ohwi, new[] { 8, 3, 3, 2 })]
    [InlineData(MLConv2dFilterOperandLayout.Ihwo, new[] { 2, 3, 3, 8 })]
    public void Every_filter_layout_with_groups_strides_and_dilations(MLConv2dFilterOperandLayout layout, int[] filterShape)
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.Conv2d(
            Operand(b, MLOperandDataType.Float16, 2, 4, 11, 9),
            Operand(b, MLOperandDataType.Float16, filterShape),
            new MLConv2dOptions { Groups = 2, Strides = [2, 1], Dilations = [1, 2], FilterLayout = layout });
        // height: floor((11 - 3) / 2) + 1 = 5; width: 9 - (3 - 1) * 2 = 5
        Assert.Equal(new[] { 2, 8, 5, 5 }, output.Shape);
    }

    [Fact]
    public void Channels_that_do_not_match_filter_times_groups_are_rejected()
    {
        var b = NullBackendContext.CreateBuilder();
        var e = Assert.Throws<ArgumentException>(() => b.Conv2d(
            Operand(b, MLOperandDataType.Float32, 1, 100, 5, 5),
            Operand(b, MLOperandDataType.Float32, 3, 3, 99, 100),
            new MLConv2dOptions { FilterLayout = MLConv2dFilterOperandLayout.Hwio }));
        Assert.Contains("conv2d", e.Message);
        Assert.Contains("input channels (100) must equal filter input channels × groups (99 × 1)", e.Message);
    }

    [Fact]
    public void Rules_on_options_each_throw()
    {
        var b = NullBackendContext.CreateBuilder();
        var input = Operand(b, MLOperandDataType.Float32, 1, 4, 5, 5);
        var filter = Operand(b, MLOperandDataType.Float32, 4, 4, 3, 3);
        Assert.Throws<ArgumentException>(() => b.Conv2d(input, filter, new MLConv2dOptions { Padding = [1, 1] }));
        Assert.Throws<ArgumentException>(() => b.Conv2d(input, filter, new MLConv2dOptions { Strides = [0, 1] }));
        Assert.Throws<ArgumentException>(() => b.Conv2d(input, filter, new MLConv2dOptions { Dilations = [1, 0] }));
        Assert.Throws<ArgumentException>(() => b.Conv2d(input, filter, new MLConv2dOptions { Groups = 0 }));
        Assert.Throws<ArgumentException>(() => b.Conv2d(input, filter, new MLConv2dOptions { Groups = 3 }));
        Assert.Throws<ArgumentException>(() => b.Conv2d(input, filter, new MLConv2dOptions { Bias = Operand(b, MLOperandDataType.Float32, 5) }));
        Assert.Throws<ArgumentException>(() => b.Conv2d(input, filter, new MLConv2dOptions { Bias = Operand(b, MLOperandDataType.Float16, 4) }));
        Assert.Throws<ArgumentException>(() => b.Conv2d(input, Operand(b, MLOperandDataType.Float32, 4, 4, 7, 7)));
        Assert.Throws<ArgumentException>(() => b.Conv2d(Operand(b, MLOperandDataType.Int32, 1, 4, 5, 5), filter));
        Assert.Throws<ArgumentException>(() => b.Conv2d(Operand(b, MLOperandDataType.Float32, 4, 5, 5), filter));
        Assert.Throws<ArgumentException>(() => b.Conv2d(input, Operand(b, MLOperandDataType.Float16, 4, 4, 3, 3)));
    }

    [Fact]
    public void An_operand_of_another_builder_is_rejected()
    {
        var other = NullBackendContext.CreateBuilder();
        var b = NullBackendContext.CreateBuilder();
        var e = Assert.Throws<ArgumentException>(() => b.Conv2d(
            Operand(other, MLOperandDataType.Float32, 1, 1, 3, 3), Operand(b, MLOperandDataType.Float32, 1, 1, 3, 3)));
        Assert.Contains("another MLGraphBuilder", e.Message);
    }

    [Fact]
    public void A_label_appears_in_the_message()
    {
        var b = NullBackendContext.CreateBuilder();
        var e = Assert.Throws<ArgumentException>(() => b.Conv2d(
            Operand(b, MLOperandDataType.Float32, 1, 1, 3, 3), Operand(b, MLOperandDataType.Float32, 1, 1, 3, 3),
            new MLConv2dOptions { Groups = 0, Label = "stem" }));
        Assert.StartsWith("conv2d 'stem': groups (0)", e.Message);
    }

    [Fact]
    public async Task A_builder_that_has_built_cannot_add_operations()
    {
        var b = NullBackendContext.CreateBuilder();
        var x = Operand(b, MLOperandDataType.Float32, 2, 2);
        await b.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = b.Add(x, x) });
        Assert.Throws<InvalidOperationException>(() => b.Add(x, x));
    }
}
