namespace WebNN.Tests.Validation;

public sealed class ActivationValidationTests
{
    public static TheoryData<string> NoOptions => new() { "Relu", "Sigmoid", "Tanh", "Gelu", "HardSwish", "Softplus", "Softsign", "Elu", "HardSigmoid", "LeakyRelu", "Linear" };

    [Theory]
    [MemberData(nameof(NoOptions))]
    public void Output_copies_the_input_descriptor(string op)
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.Call(op, b.Operand(MLOperandDataType.Float32, 1, 2, 3));
        Assert.Equal([1, 2, 3], output.Shape);
        Assert.Equal(MLOperandDataType.Float32, output.DataType);
    }

    [Theory]
    [MemberData(nameof(NoOptions))]
    public void Integer_inputs_are_rejected(string op)
    {
        var b = NullBackendContext.CreateBuilder();
        Assert.Throws<ArgumentException>(() => b.Call(op, b.Operand(MLOperandDataType.Uint8, 2)));
    }

    [Fact]
    public void Relu_takes_signed_integers()
    {
        var b = NullBackendContext.CreateBuilder();
        Assert.Equal(MLOperandDataType.Int32, b.Relu(b.Operand(MLOperandDataType.Int32, 2)).DataType);
    }

    [Fact]
    public void Scalar_options_are_resolved_and_cast_to_the_input_type()
    {
        var b = NullBackendContext.CreateBuilder();
        var x = b.Operand(MLOperandDataType.Float16, 4);
        Assert.Equal(new ActivationAttributes(1, 0), b.Elu(x).Attributes<ActivationAttributes>());
        Assert.Equal(new ActivationAttributes((double)(Half)0.01, 0), b.LeakyRelu(x).Attributes<ActivationAttributes>());
        Assert.Equal(new ActivationAttributes((double)(Half)0.2, 0.5), b.HardSigmoid(x).Attributes<ActivationAttributes>());
        // 1e5 is beyond float16's largest finite value (65504): the cast gives +Infinity.
        Assert.Equal(new ActivationAttributes(2, double.PositiveInfinity), b.Linear(x, new MLLinearOptions { Alpha = 2, Beta = 1e5 }).Attributes<ActivationAttributes>());
        Assert.Equal(new ActivationAttributes((float)0.1, 0), b.Elu(b.Operand(MLOperandDataType.Float32, 1), new MLEluOptions { Alpha = 0.1 }).Attributes<ActivationAttributes>());
    }

    [Fact]
    public void Clamp_resolves_missing_bounds_to_infinities()
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.Clamp(b.Operand(MLOperandDataType.Float32, 2, 2));
        Assert.Equal([2, 2], output.Shape);
        Assert.Equal(new ClampAttributes(double.NegativeInfinity, double.PositiveInfinity), output.Attributes<ClampAttributes>());
        Assert.Equal(new ClampAttributes(0, 6), b.Clamp(b.Operand(MLOperandDataType.Float32, 2), new MLClampOptions { MinValue = 0, MaxValue = 6 }).Attributes<ClampAttributes>());
    }

    [Fact]
    public void Clamp_casts_bounds_to_integer_types_with_clamping_and_round_half_even()
    {
        var b = NullBackendContext.CreateBuilder();
        var attributes = b.Clamp(b.Operand(MLOperandDataType.Int8, 2), new MLClampOptions { MinValue = 2.5, MaxValue = 1000 }).Attributes<ClampAttributes>();
        Assert.Equal(new ClampAttributes(2, 127), attributes);
        Assert.Equal(new ClampAttributes(0, 255), b.Clamp(b.Operand(MLOperandDataType.Uint8, 2)).Attributes<ClampAttributes>());
    }

    [Fact]
    public void Clamp_rejects_min_above_max_after_casting()
    {
        var b = NullBackendContext.CreateBuilder();
        var e = Assert.Throws<ArgumentException>(() => b.Clamp(b.Operand(MLOperandDataType.Float32, 2), new MLClampOptions { MinValue = 3, MaxValue = 1 }));
        Assert.Contains("minValue (3) must not be greater than maxValue (1)", e.Message);
        // Cast to int32 first: 2.6 → 3 > 2.4 → 2 is rejected; 2.4 → 2 and 1.6 → 2 are equal, accepted.
        Assert.Throws<ArgumentException>(() => b.Clamp(b.Operand(MLOperandDataType.Int32, 2), new MLClampOptions { MinValue = 2.6, MaxValue = 2.4 }));
        Assert.Equal(new ClampAttributes(2, 2), b.Clamp(b.Operand(MLOperandDataType.Int32, 2), new MLClampOptions { MinValue = 2.4, MaxValue = 1.6 }).Attributes<ClampAttributes>());
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4 }, new[] { 4 }, new[] { 2, 3, 4 })]
    [InlineData(new[] { 3, 1 }, new[] { 2, 1, 5 }, new[] { 2, 3, 5 })]
    [InlineData(new int[0], new[] { 3 }, new[] { 3 })]
    public void Prelu_broadcasts_slope_and_input_bidirectionally(int[] inputShape, int[] slopeShape, int[] expected)
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.Prelu(b.Operand(MLOperandDataType.Float32, inputShape), b.Operand(MLOperandDataType.Float32, slopeShape));
        Assert.Equal(expected, output.Shape);
        Assert.Null(output.Operator!.Attributes);
    }

    [Fact]
    public void Prelu_rules_throw()
    {
        var b = NullBackendContext.CreateBuilder();
        var e = Assert.Throws<ArgumentException>(() => b.Prelu(b.Operand(MLOperandDataType.Float32, 2, 3), b.Operand(MLOperandDataType.Float32, 2)));
        Assert.Contains("not bidirectionally broadcastable", e.Message);
        Assert.Throws<ArgumentException>(() => b.Prelu(b.Operand(MLOperandDataType.Float32, 2), b.Operand(MLOperandDataType.Float16, 2)));
        Assert.Throws<ArgumentException>(() => b.Prelu(b.Operand(MLOperandDataType.Uint8, 2), b.Operand(MLOperandDataType.Uint8, 2)));
        Assert.Throws<ArgumentNullException>(() => b.Prelu(b.Operand(MLOperandDataType.Float32, 2), null!));
    }

    [Fact]
    public void Softmax_keeps_the_shape_and_records_the_axis()
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.Softmax(b.Operand(MLOperandDataType.Float32, 2, 7), 1);
        Assert.Equal([2, 7], output.Shape);
        Assert.Equal(new SoftmaxAttributes(1), output.Attributes<SoftmaxAttributes>());
    }

    [Theory]
    [InlineData(2, "axis (2) must be less than the input's rank (2)")]
    [InlineData(-1, "axis (-1) must not be negative")]
    public void Softmax_rejects_an_axis_out_of_range(int axis, string message)
    {
        var b = NullBackendContext.CreateBuilder();
        var e = Assert.Throws<ArgumentException>(() => b.Softmax(b.Operand(MLOperandDataType.Float32, 2, 7), axis));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Softmax_rejects_scalars_and_integers()
    {
        var b = NullBackendContext.CreateBuilder();
        Assert.Throws<ArgumentException>(() => b.Softmax(b.Operand(MLOperandDataType.Float32), 0));
        Assert.Throws<ArgumentException>(() => b.Softmax(b.Operand(MLOperandDataType.Int32, 3), 0));
    }
}
