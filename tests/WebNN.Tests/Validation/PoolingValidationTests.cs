namespace WebNN.Tests.Validation;

public sealed class PoolingValidationTests
{
    public static TheoryData<string> All => new() { "AveragePool2d", "L2Pool2d", "MaxPool2d" };

    [Theory]
    [MemberData(nameof(All))]
    public void The_default_window_is_the_whole_input(string op)
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.Call(op, b.Operand(MLOperandDataType.Float32, 1, 3, 7, 5));
        Assert.Equal([1, 3, 1, 1], output.Shape);
        var attributes = output.Attributes<Pool2dAttributes>();
        Assert.Equal([7, 5], attributes.WindowDimensions);
        Assert.Equal([0, 0, 0, 0], attributes.Padding);
        Assert.Equal([1, 1], attributes.Strides);
        Assert.Equal([1, 1], attributes.Dilations);
        Assert.Equal(MLInputOperandLayout.Nchw, attributes.Layout);
    }

    [Theory]
    [InlineData(MLRoundingType.Floor, new[] { 1, 3, 4, 4 })]
    [InlineData(MLRoundingType.Ceil, new[] { 1, 4, 5, 4 })]
    public void Nhwc_with_strides_padding_and_rounding(MLRoundingType rounding, int[] expected)
    {
        var b = NullBackendContext.CreateBuilder();
        // height: (7 - 3 + 1 + 0) / 2 + 1 = 3.5; width: (8 - 3 + 1 + 1) / 2 + 1 = 4.5, then floor or ceiling.
        var output = b.MaxPool2d(b.Operand(MLOperandDataType.Float16, 1, 7, 8, 4), new MLPool2dOptions
        {
            WindowDimensions = [3, 3], Padding = [1, 0, 1, 1], Strides = [2, 2], Layout = MLInputOperandLayout.Nhwc, OutputShapeRounding = rounding,
        });
        Assert.Equal(expected, output.Shape);
    }

    [Theory]
    [InlineData(new[] { 3, 3 })]
    [InlineData(new[] { 4, 4 })]
    public void OutputSizes_may_be_the_floor_or_the_ceiling_and_drop_padding(int[] outputSizes)
    {
        var b = NullBackendContext.CreateBuilder();
        // (7 - 2) / 2 + 1 = 3.5 in both dimensions; the given padding is replaced by zeros.
        var output = b.AveragePool2d(b.Operand(MLOperandDataType.Float32, 2, 1, 7, 7), new MLPool2dOptions
        {
            WindowDimensions = [2, 2], Strides = [2, 2], Padding = [5, 5, 5, 5], OutputSizes = outputSizes,
        });
        Assert.Equal([2, 1, outputSizes[0], outputSizes[1]], output.Shape);
        Assert.Equal([0, 0, 0, 0], output.Attributes<Pool2dAttributes>().Padding);
    }

    [Fact]
    public void Dilations_widen_the_window()
    {
        var b = NullBackendContext.CreateBuilder();
        // effective window (3 - 1) * 2 + 1 = 5: 9 - 5 + 1 = 5
        var output = b.L2Pool2d(b.Operand(MLOperandDataType.Float32, 1, 1, 9, 9), new MLPool2dOptions { WindowDimensions = [3, 3], Dilations = [2, 2] });
        Assert.Equal([1, 1, 5, 5], output.Shape);
    }

    [Fact]
    public void MaxPool2d_takes_any_data_type_while_the_others_take_floats()
    {
        var b = NullBackendContext.CreateBuilder();
        Assert.Equal(MLOperandDataType.Int8, b.MaxPool2d(b.Operand(MLOperandDataType.Int8, 1, 1, 2, 2)).DataType);
        Assert.Throws<ArgumentException>(() => b.AveragePool2d(b.Operand(MLOperandDataType.Int8, 1, 1, 2, 2)));
        Assert.Throws<ArgumentException>(() => b.L2Pool2d(b.Operand(MLOperandDataType.Int32, 1, 1, 2, 2)));
    }

    public static TheoryData<MLPool2dOptions, string> BadOptions => new()
    {
        { new MLPool2dOptions { WindowDimensions = [2] }, "windowDimensions must have 2 items, not 1" },
        { new MLPool2dOptions { WindowDimensions = [0, 2] }, "windowDimensions [0, 2] must hold positive integers" },
        { new MLPool2dOptions { Padding = [1, 1] }, "padding must have 4 items, not 2" },
        { new MLPool2dOptions { Padding = [-1, 0, 0, 0] }, "padding [-1, 0, 0, 0] must hold non-negative integers" },
        { new MLPool2dOptions { Strides = [1, 1, 1] }, "strides must have 2 items" },
        { new MLPool2dOptions { Strides = [0, 1] }, "strides [0, 1] must hold positive integers" },
        { new MLPool2dOptions { Dilations = [1] }, "dilations must have 2 items" },
        { new MLPool2dOptions { Dilations = [1, 0] }, "dilations [1, 0] must hold positive integers" },
        { new MLPool2dOptions { OutputSizes = [1] }, "outputSizes must have 2 items" },
        { new MLPool2dOptions { WindowDimensions = [2, 2], Strides = [2, 2], OutputSizes = [3, 2] }, "outputSizes [3, 2] must be the floor [2, 2] or the ceiling [3, 3]" },
        { new MLPool2dOptions { WindowDimensions = [6, 6] }, "the output height (0) is not a valid dimension" },
        { new MLPool2dOptions { Layout = (MLInputOperandLayout)7 }, "layout (7) is not an MLInputOperandLayout" },
        { new MLPool2dOptions { OutputShapeRounding = (MLRoundingType)2 }, "outputShapeRounding (2) is not an MLRoundingType" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_options_are_rejected(MLPool2dOptions options, string message)
    {
        var b = NullBackendContext.CreateBuilder();
        var e = Assert.Throws<ArgumentException>(() => b.MaxPool2d(b.Operand(MLOperandDataType.Float32, 1, 1, 5, 5), options));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void The_input_must_be_4_d()
    {
        var b = NullBackendContext.CreateBuilder();
        var e = Assert.Throws<ArgumentException>(() => b.AveragePool2d(b.Operand(MLOperandDataType.Float32, 1, 5, 5)));
        Assert.Contains("input's rank (3) must be 4", e.Message);
    }
}
