namespace WebNN.Tests.Validation;

public sealed class ElementwiseLogicalValidationTests
{
    public static TheoryData<string> Comparisons => new() { "Equal", "NotEqual", "Greater", "GreaterOrEqual", "Lesser", "LesserOrEqual" };

    public static TheoryData<string> BinaryLogical => new() { "LogicalAnd", "LogicalOr", "LogicalXor" };

    [Theory]
    [MemberData(nameof(Comparisons))]
    public void Comparisons_broadcast_and_give_uint8(string op)
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.Call(op, b.Operand(MLOperandDataType.Int32, 2, 1, 4), b.Operand(MLOperandDataType.Int32, 3, 1));
        Assert.Equal([2, 3, 4], output.Shape);
        Assert.Equal(MLOperandDataType.Uint8, output.DataType);
    }

    [Theory]
    [MemberData(nameof(Comparisons))]
    [MemberData(nameof(BinaryLogical))]
    public void Binary_rules_throw(string op)
    {
        var b = NullBackendContext.CreateBuilder();
        var e = Assert.Throws<ArgumentException>(() => b.Call(op, b.Operand(MLOperandDataType.Uint8, 2, 3), b.Operand(MLOperandDataType.Uint8, 4)));
        Assert.Contains("not bidirectionally broadcastable", e.Message);
        e = Assert.Throws<ArgumentException>(() => b.Call(op, b.Operand(MLOperandDataType.Uint8, 2), b.Operand(MLOperandDataType.Int8, 2)));
        Assert.Contains("must be the same as a's", e.Message);
        Assert.Throws<ArgumentNullException>(() => b.Call(op, b.Operand(MLOperandDataType.Uint8, 2), null));
    }

    [Theory]
    [MemberData(nameof(BinaryLogical))]
    public void Logical_operations_take_uint8_only(string op)
    {
        var b = NullBackendContext.CreateBuilder();
        Assert.Equal([4, 2], b.Call(op, b.Operand(MLOperandDataType.Uint8, 4, 2), b.Operand(MLOperandDataType.Uint8, 2)).Shape);
        Assert.Throws<ArgumentException>(() => b.Call(op, b.Operand(MLOperandDataType.Float32, 2), b.Operand(MLOperandDataType.Float32, 2)));
    }

    [Fact]
    public void LogicalNot_takes_uint8_only()
    {
        var b = NullBackendContext.CreateBuilder();
        Assert.Equal([3], b.LogicalNot(b.Operand(MLOperandDataType.Uint8, 3)).Shape);
        Assert.Throws<ArgumentException>(() => b.LogicalNot(b.Operand(MLOperandDataType.Int8, 3)));
    }

    [Theory]
    [InlineData("IsNaN")]
    [InlineData("IsInfinite")]
    public void Float_tests_take_floats_only_and_give_uint8(string op)
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.Call(op, b.Operand(MLOperandDataType.Float16, 2, 5));
        Assert.Equal([2, 5], output.Shape);
        Assert.Equal(MLOperandDataType.Uint8, output.DataType);
        var e = Assert.Throws<ArgumentException>(() => b.Call(op, b.Operand(MLOperandDataType.Int32, 2)));
        Assert.Contains("a's data type (int32) must be one of float32, float16", e.Message);
    }
}
