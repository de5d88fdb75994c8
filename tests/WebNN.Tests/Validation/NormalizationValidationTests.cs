namespace WebNN.Tests.Validation;

public sealed class NormalizationValidationTests
{
    [Fact]
    public void BatchNormalization_keeps_the_shape_and_resolves_options()
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.BatchNormalization(b.Operand(MLOperandDataType.Float32, 2, 3, 4, 4), b.Operand(MLOperandDataType.Float32, 3), b.Operand(MLOperandDataType.Float32, 3),
            new MLBatchNormalizationOptions { Scale = b.Operand(MLOperandDataType.Float32, 3), Bias = b.Operand(MLOperandDataType.Float32, 3) });
        Assert.Equal([2, 3, 4, 4], output.Shape);
        Assert.Equal(new BatchNormalizationAttributes(1, (float)1e-5), output.Attributes<BatchNormalizationAttributes>());
        Assert.NotNull(output.Operator!.Input("scale"));
        Assert.NotNull(output.Operator.Input("bias"));
    }

    [Fact]
    public void BatchNormalization_channel_axis_can_be_last()
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.BatchNormalization(b.Operand(MLOperandDataType.Float16, 2, 5), b.Operand(MLOperandDataType.Float16, 5), b.Operand(MLOperandDataType.Float16, 5),
            new MLBatchNormalizationOptions { Axis = 1, Epsilon = 0.1 });
        Assert.Equal(new BatchNormalizationAttributes(1, (double)(Half)0.1), output.Attributes<BatchNormalizationAttributes>());
    }

    [Fact]
    public void BatchNormalization_rules_throw()
    {
        var b = NullBackendContext.CreateBuilder();
        var x = b.Operand(MLOperandDataType.Float32, 2, 3, 4);
        var c = b.Operand(MLOperandDataType.Float32, 3);
        var e = Assert.Throws<ArgumentException>(() => b.BatchNormalization(x, c, c, new MLBatchNormalizationOptions { Axis = 3 }));
        Assert.Contains("axis (3) must be less than the input's rank (3)", e.Message);
        Assert.Throws<ArgumentException>(() => b.BatchNormalization(x, c, c, new MLBatchNormalizationOptions { Axis = -1 }));
        e = Assert.Throws<ArgumentException>(() => b.BatchNormalization(x, b.Operand(MLOperandDataType.Float32, 4), c));
        Assert.Contains("mean shape [4] must be [3]", e.Message);
        Assert.Throws<ArgumentException>(() => b.BatchNormalization(x, c, b.Operand(MLOperandDataType.Float32, 4)));
        Assert.Throws<ArgumentException>(() => b.BatchNormalization(x, c, c, new MLBatchNormalizationOptions { Scale = b.Operand(MLOperandDataType.Float32, 2) }));
        Assert.Throws<ArgumentException>(() => b.BatchNormalization(x, c, c, new MLBatchNormalizationOptions { Bias = b.Operand(MLOperandDataType.Float32, 2) }));
        Assert.Throws<ArgumentException>(() => b.BatchNormalization(x, b.Operand(MLOperandDataType.Float16, 3), c));
        Assert.Throws<ArgumentException>(() => b.BatchNormalization(x, b.Operand(MLOperandDataType.Float32, 1, 3), c));
        Assert.Throws<ArgumentException>(() => b.BatchNormalization(b.Operand(MLOperandDataType.Int32, 2, 3), c, c));
        Assert.Throws<ArgumentNullException>(() => b.BatchNormalization(x, c, null!));
    }

    [Theory]
    [InlineData(MLInputOperandLayout.Nchw, new[] { 1, 3, 5, 6 })]
    [InlineData(MLInputOperandLayout.Nhwc, new[] { 1, 5, 6, 3 })]
    public void InstanceNormalization_checks_scale_and_bias_against_the_layouts_channels(MLInputOperandLayout layout, int[] shape)
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.InstanceNormalization(b.Operand(MLOperandDataType.Float32, shape),
            new MLInstanceNormalizationOptions { Scale = b.Operand(MLOperandDataType.Float32, 3), Bias = b.Operand(MLOperandDataType.Float32, 3), Layout = layout });
        Assert.Equal(shape, output.Shape);
        Assert.Equal(new InstanceNormalizationAttributes((float)1e-5, layout), output.Attributes<InstanceNormalizationAttributes>());
        var e = Assert.Throws<ArgumentException>(() => b.InstanceNormalization(b.Operand(MLOperandDataType.Float32, shape),
            new MLInstanceNormalizationOptions { Scale = b.Operand(MLOperandDataType.Float32, 5), Layout = layout }));
        Assert.Contains("scale shape [5] must be [3]", e.Message);
        Assert.Throws<ArgumentException>(() => b.InstanceNormalization(b.Operand(MLOperandDataType.Float32, shape),
            new MLInstanceNormalizationOptions { Bias = b.Operand(MLOperandDataType.Float32, 6), Layout = layout }));
    }

    [Fact]
    public void InstanceNormalization_rules_throw()
    {
        var b = NullBackendContext.CreateBuilder();
        Assert.Throws<ArgumentException>(() => b.InstanceNormalization(b.Operand(MLOperandDataType.Float32, 3, 5, 6)));
        Assert.Throws<ArgumentException>(() => b.InstanceNormalization(b.Operand(MLOperandDataType.Int32, 1, 3, 5, 6)));
        Assert.Throws<ArgumentException>(() => b.InstanceNormalization(b.Operand(MLOperandDataType.Float32, 1, 3, 5, 6),
            new MLInstanceNormalizationOptions { Scale = b.Operand(MLOperandDataType.Float16, 3) }));
        Assert.Throws<ArgumentException>(() => b.InstanceNormalization(b.Operand(MLOperandDataType.Float32, 1, 3, 5, 6),
            new MLInstanceNormalizationOptions { Layout = (MLInputOperandLayout)9 }));
    }

    [Fact]
    public void LayerNormalization_defaults_to_every_axis_but_the_first()
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.LayerNormalization(b.Operand(MLOperandDataType.Float32, 2, 3, 4),
            new MLLayerNormalizationOptions { Scale = b.Operand(MLOperandDataType.Float32, 3, 4) });
        Assert.Equal([2, 3, 4], output.Shape);
        Assert.Equal([1, 2], output.Attributes<LayerNormalizationAttributes>().Axes);
        Assert.Empty(b.LayerNormalization(b.Operand(MLOperandDataType.Float32, 7)).Attributes<LayerNormalizationAttributes>().Axes);
        Assert.Empty(b.LayerNormalization(b.Operand(MLOperandDataType.Float32)).Attributes<LayerNormalizationAttributes>().Axes);
    }

    [Fact]
    public void LayerNormalization_keeps_the_given_axes_order_for_scale_and_bias()
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.LayerNormalization(b.Operand(MLOperandDataType.Float16, 2, 3, 4), new MLLayerNormalizationOptions
        {
            Axes = [2, 0], Scale = b.Operand(MLOperandDataType.Float16, 4, 2), Bias = b.Operand(MLOperandDataType.Float16, 4, 2), Epsilon = 1e-3,
        });
        Assert.Equal([2, 0], output.Attributes<LayerNormalizationAttributes>().Axes);
        Assert.Equal((double)(Half)1e-3, output.Attributes<LayerNormalizationAttributes>().Epsilon);
    }

    public static TheoryData<int[]?, int[]?, int[]?, string> LayerNormalizationBadOptions => new()
    {
        { [3], null, null, "axes item (3) must be less than the input's rank (3)" },
        { [-1], null, null, "axes item (-1) must not be negative" },
        { [1, 1], null, null, "must not contain duplicate values (1)" },
        { null, [3], null, "scale shape [3] must be [3, 4]" },
        { null, null, [4, 3], "bias shape [4, 3] must be [3, 4]" },
        { [0], [3], null, "scale shape [3] must be [2]" },
    };

    [Theory]
    [MemberData(nameof(LayerNormalizationBadOptions))]
    public void LayerNormalization_rules_throw(int[]? axes, int[]? scaleShape, int[]? biasShape, string message)
    {
        var b = NullBackendContext.CreateBuilder();
        var options = new MLLayerNormalizationOptions
        {
            Axes = axes,
            Scale = scaleShape is null ? null : b.Operand(MLOperandDataType.Float32, scaleShape),
            Bias = biasShape is null ? null : b.Operand(MLOperandDataType.Float32, biasShape),
        };
        var e = Assert.Throws<ArgumentException>(() => b.LayerNormalization(b.Operand(MLOperandDataType.Float32, 2, 3, 4), options));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void LayerNormalization_rejects_integers_and_mixed_types()
    {
        var b = NullBackendContext.CreateBuilder();
        Assert.Throws<ArgumentException>(() => b.LayerNormalization(b.Operand(MLOperandDataType.Int32, 2, 3)));
        Assert.Throws<ArgumentException>(() => b.LayerNormalization(b.Operand(MLOperandDataType.Float32, 2, 3),
            new MLLayerNormalizationOptions { Bias = b.Operand(MLOperandDataType.Float16, 3) }));
    }
}
