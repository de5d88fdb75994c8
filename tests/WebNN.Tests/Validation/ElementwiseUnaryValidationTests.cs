namespace WebNN.Tests.Validation;

public sealed class ElementwiseUnaryValidationTests
{
    public static TheoryData<string> FloatOnly => new() { "Ceil", "Cos", "Erf", "Exp", "Floor", "Log", "Reciprocal", "RoundEven", "Sin", "Sqrt", "Tan" };

    public static TheoryData<string> SignedTypes => new() { "Abs", "Neg", "Sign" };

    public static TheoryData<string> All => new()
    {
        "Abs", "Ceil", "Cos", "Erf", "Exp", "Floor", "Identity", "Log", "Neg", "Reciprocal", "RoundEven", "Sin", "Sign", "Sqrt", "Tan",
    };

    [Theory]
    [MemberData(nameof(All))]
    public void Output_copies_the_input_descriptor_and_has_no_attributes(string op)
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.Call(op, b.Operand(MLOperandDataType.Float16, 2, 3, 4));
        Assert.Equal([2, 3, 4], output.Shape);
        Assert.Equal(MLOperandDataType.Float16, output.DataType);
        Assert.Null(output.Operator!.Attributes);
    }

    [Theory]
    [MemberData(nameof(FloatOnly))]
    public void Float_only_operations_reject_integers(string op)
    {
        var b = NullBackendContext.CreateBuilder();
        var e = Assert.Throws<ArgumentException>(() => b.Call(op, b.Operand(MLOperandDataType.Int32, 2)));
        Assert.Contains("input's data type (int32) must be one of float32, float16", e.Message);
    }

    [Theory]
    [MemberData(nameof(SignedTypes))]
    public void Signed_operations_take_signed_integers_but_not_unsigned(string op)
    {
        var b = NullBackendContext.CreateBuilder();
        Assert.Equal(MLOperandDataType.Int8, b.Call(op, b.Operand(MLOperandDataType.Int8, 2)).DataType);
        Assert.Equal(MLOperandDataType.Int64, b.Call(op, b.Operand(MLOperandDataType.Int64, 2)).DataType);
        Assert.Throws<ArgumentException>(() => b.Call(op, b.Operand(MLOperandDataType.Uint32, 2)));
    }

    [Fact]
    public void Identity_takes_any_data_type_and_a_scalar()
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.Identity(b.Operand(MLOperandDataType.Uint64));
        Assert.Equal(MLOperandDataType.Uint64, output.DataType);
        Assert.Empty(output.Shape);
    }

    [Fact]
    public void A_label_and_the_operation_name_start_the_message()
    {
        var b = NullBackendContext.CreateBuilder();
        var e = Assert.Throws<ArgumentException>(() => b.RoundEven(b.Operand(MLOperandDataType.Uint8, 1), new MLOperatorOptions { Label = "r" }));
        Assert.StartsWith("roundEven 'r':", e.Message);
    }

    [Fact]
    public void Null_input_and_another_builders_input_are_rejected()
    {
        var b = NullBackendContext.CreateBuilder();
        Assert.Throws<ArgumentNullException>(() => b.Exp(null!));
        var other = NullBackendContext.CreateBuilder();
        Assert.Throws<ArgumentException>(() => b.Exp(other.Operand(MLOperandDataType.Float32, 1)));
    }
}
