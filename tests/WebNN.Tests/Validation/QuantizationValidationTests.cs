namespace WebNN.Tests.Validation;

public sealed class QuantizationValidationTests
{
    private readonly MLGraphBuilder b = NullBackendContext.CreateBuilder();

    [Fact]
    public void QuantizeLinear_outputs_the_zero_point_type_with_blockwise_scale()
    {
        var y = b.QuantizeLinear(b.F32(4, 6), b.F32(2, 3), b.Operand(MLOperandDataType.Int8, 2, 3));
        Assert.Equal([4, 6], y.Shape);
        Assert.Equal(MLOperandDataType.Int8, y.DataType);
    }

    [Fact]
    public void DequantizeLinear_outputs_the_scale_type()
    {
        var y = b.DequantizeLinear(b.Operand(MLOperandDataType.Uint8, 4, 6), b.Operand(MLOperandDataType.Float16, 1, 6), b.Operand(MLOperandDataType.Uint8, 1, 6));
        Assert.Equal([4, 6], y.Shape);
        Assert.Equal(MLOperandDataType.Float16, y.DataType);
    }

    [Fact]
    public void Quantization_rules_each_throw()
    {
        var u8 = MLOperandDataType.Uint8;
        // data types
        Assert.Throws<ArgumentException>(() => b.QuantizeLinear(b.Operand(u8, 4), b.F32(1), b.Operand(u8, 1)));
        Assert.Throws<ArgumentException>(() => b.QuantizeLinear(b.F32(4), b.Operand(MLOperandDataType.Float16, 1), b.Operand(u8, 1)));
        Assert.Throws<ArgumentException>(() => b.QuantizeLinear(b.F32(4), b.F32(1), b.F32(1)));
        Assert.Throws<ArgumentException>(() => b.DequantizeLinear(b.Operand(u8, 4), b.F32(1), b.Operand(MLOperandDataType.Int8, 1)));
        Assert.Throws<ArgumentException>(() => b.DequantizeLinear(b.Operand(u8, 4), b.Operand(u8, 1), b.Operand(u8, 1)));
        // ranks, shapes, blockwise
        Assert.Throws<ArgumentException>(() => b.QuantizeLinear(b.F32(4, 6), b.F32(6), b.Operand(u8, 6)));
        var e = Assert.Throws<ArgumentException>(() => b.QuantizeLinear(b.F32(4, 6), b.F32(1, 6), b.Operand(u8, 1, 3)));
        Assert.Contains("must equal zeroPoint's shape", e.Message);
        e = Assert.Throws<ArgumentException>(() => b.DequantizeLinear(b.Operand(u8, 4, 6), b.F32(1, 4), b.Operand(u8, 1, 4)));
        Assert.Contains("blockwise broadcastable", e.Message);
    }
}
