namespace WebNN.Tests.Validation;

public sealed class ConvTranspose2dValidationTests
{
    private readonly MLGraphBuilder b = NullBackendContext.CreateBuilder();

    [Theory]
    [InlineData(MLConvTranspose2dFilterOperandLayout.Iohw, new[] { 4, 3, 3, 2 })]
    [InlineData(MLConvTranspose2dFilterOperandLayout.Hwoi, new[] { 3, 2, 3, 4 })]
    [InlineData(MLConvTranspose2dFilterOperandLayout.Ohwi, new[] { 3, 3, 2, 4 })]
    public void Every_filter_layout_with_strides_dilations_and_groups(MLConvTranspose2dFilterOperandLayout layout, int[] filterShape)
    {
        var y = b.ConvTranspose2d(b.F32(1, 4, 5, 6), b.F32(filterShape),
            new MLConvTranspose2dOptions { FilterLayout = layout, Strides = [2, 1], Dilations = [1, 2], Groups = 2, Padding = [1, 0, 0, 1], OutputPadding = [1, 0] });
        // height: (5 - 1) * 2 + 3 - 1 - 0 + 1 = 11; width: (6 - 1) * 1 + (2 - 1) * 2 + 1 - 0 - 1 = 7
        Assert.Equal([1, 6, 11, 7], y.Shape);
        var attributes = y.Attributes<ConvTranspose2dAttributes>();
        Assert.Equal(2, attributes.Groups);
    }

    [Fact]
    public void Output_sizes_resolve_output_padding_in_nhwc()
    {
        var y = b.ConvTranspose2d(b.F32(1, 5, 5, 4), b.F32(4, 8, 3, 3),
            new MLConvTranspose2dOptions { InputLayout = MLInputOperandLayout.Nhwc, Strides = [2, 2], OutputSizes = [12, 11] });
        Assert.Equal([1, 12, 11, 8], y.Shape);
        var attributes = y.Attributes<ConvTranspose2dAttributes>();
        Assert.Equal([0, 0, 0, 0], attributes.Padding);
        Assert.Equal([1, 1], attributes.Dilations);
    }

    [Fact]
    public void Rules_on_options_each_throw()
    {
        var input = b.F32(1, 4, 5, 5);
        var filter = b.F32(4, 2, 3, 3);
        Assert.Throws<ArgumentException>(() => b.ConvTranspose2d(input, filter, new MLConvTranspose2dOptions { Padding = [0, 0] }));
        Assert.Throws<ArgumentException>(() => b.ConvTranspose2d(input, filter, new MLConvTranspose2dOptions { Strides = [1, 0] }));
        Assert.Throws<ArgumentException>(() => b.ConvTranspose2d(input, filter, new MLConvTranspose2dOptions { Dilations = [0, 1] }));
        Assert.Throws<ArgumentException>(() => b.ConvTranspose2d(input, filter, new MLConvTranspose2dOptions { OutputPadding = [0] }));
        Assert.Throws<ArgumentException>(() => b.ConvTranspose2d(input, filter, new MLConvTranspose2dOptions { OutputSizes = [7] }));
        var e = Assert.Throws<ArgumentException>(() => b.ConvTranspose2d(input, filter, new MLConvTranspose2dOptions { Strides = [2, 2], OutputPadding = [2, 0] }));
        Assert.Contains("outputPadding [2, 0] must be less than strides [2, 2]", e.Message);
        Assert.Throws<ArgumentException>(() => b.ConvTranspose2d(input, filter, new MLConvTranspose2dOptions { Groups = 0 }));
        Assert.Throws<ArgumentException>(() => b.ConvTranspose2d(input, b.F32(3, 2, 3, 3)));
        Assert.Throws<ArgumentException>(() => b.ConvTranspose2d(input, filter, new MLConvTranspose2dOptions { Bias = b.F32(4) }));
        Assert.Throws<ArgumentException>(() => b.ConvTranspose2d(input, filter, new MLConvTranspose2dOptions { Bias = b.Operand(MLOperandDataType.Float16, 2) }));
        // calculated size 7: outputSizes must be in [7, 7 + stride)
        Assert.Throws<ArgumentException>(() => b.ConvTranspose2d(input, filter, new MLConvTranspose2dOptions { OutputSizes = [6, 7] }));
        Assert.Throws<ArgumentException>(() => b.ConvTranspose2d(input, filter, new MLConvTranspose2dOptions { OutputSizes = [7, 8] }));
        Assert.Throws<ArgumentException>(() => b.ConvTranspose2d(input, filter, new MLConvTranspose2dOptions { Padding = [4, 4, 0, 0] }));
        Assert.Throws<ArgumentException>(() => b.ConvTranspose2d(b.Operand(MLOperandDataType.Int32, 1, 4, 5, 5), filter));
        Assert.Throws<ArgumentException>(() => b.ConvTranspose2d(input, b.F32(4, 2, 3)));
        Assert.Throws<ArgumentException>(() => b.ConvTranspose2d(input, filter, new MLConvTranspose2dOptions { FilterLayout = (MLConvTranspose2dFilterOperandLayout)9 }));
    }
}
