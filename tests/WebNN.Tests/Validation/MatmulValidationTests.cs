namespace WebNN.Tests.Validation;

public sealed class MatmulValidationTests
{
    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 4, 5 }, new[] { 3, 5 })]
    [InlineData(new[] { 2, 1, 3, 4 }, new[] { 6, 4, 5 }, new[] { 2, 6, 3, 5 })]
    [InlineData(new[] { 7, 3, 4 }, new[] { 4, 5 }, new[] { 7, 3, 5 })]
    public void Matmul_broadcasts_batch_dimensions(int[] shapeA, int[] shapeB, int[] expected)
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.Matmul(b.Operand(MLOperandDataType.Float32, shapeA), b.Operand(MLOperandDataType.Float32, shapeB));
        Assert.Equal(expected, output.Shape);
        Assert.Equal(MLOperandDataType.Float32, output.DataType);
        Assert.Null(output.Operator!.Attributes);
    }

    [Fact]
    public void Matmul_rules_throw()
    {
        var b = NullBackendContext.CreateBuilder();
        var e = Assert.Throws<ArgumentException>(() => b.Matmul(b.Operand(MLOperandDataType.Float32, 3, 4), b.Operand(MLOperandDataType.Float32, 5, 6)));
        Assert.Contains("a's columns (4) must equal b's rows (5)", e.Message);
        e = Assert.Throws<ArgumentException>(() => b.Matmul(b.Operand(MLOperandDataType.Float32, 2, 3, 4), b.Operand(MLOperandDataType.Float32, 3, 4, 5)));
        Assert.Contains("batch dimensions", e.Message);
        Assert.Throws<ArgumentException>(() => b.Matmul(b.Operand(MLOperandDataType.Float32, 4), b.Operand(MLOperandDataType.Float32, 4, 5)));
        Assert.Throws<ArgumentException>(() => b.Matmul(b.Operand(MLOperandDataType.Float32, 3, 4), b.Operand(MLOperandDataType.Float16, 4, 5)));
        Assert.Throws<ArgumentException>(() => b.Matmul(b.Operand(MLOperandDataType.Int32, 3, 4), b.Operand(MLOperandDataType.Int32, 4, 5)));
    }

    [Theory]
    [InlineData(false, false, new[] { 3, 4 }, new[] { 4, 5 })]
    [InlineData(true, false, new[] { 4, 3 }, new[] { 4, 5 })]
    [InlineData(false, true, new[] { 3, 4 }, new[] { 5, 4 })]
    [InlineData(true, true, new[] { 4, 3 }, new[] { 5, 4 })]
    public void Gemm_transposes_give_m_by_n(bool aTranspose, bool bTranspose, int[] shapeA, int[] shapeB)
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.Gemm(b.Operand(MLOperandDataType.Float16, shapeA), b.Operand(MLOperandDataType.Float16, shapeB),
            new MLGemmOptions { ATranspose = aTranspose, BTranspose = bTranspose, C = b.Operand(MLOperandDataType.Float16, 5), Alpha = 0.1 });
        Assert.Equal([3, 5], output.Shape);
        Assert.Equal(new GemmAttributes((double)(Half)0.1, 1, aTranspose, bTranspose), output.Attributes<GemmAttributes>());
        Assert.NotNull(output.Operator!.Input("c"));
    }

    [Fact]
    public void Gemm_rules_throw()
    {
        var b = NullBackendContext.CreateBuilder();
        var a = b.Operand(MLOperandDataType.Float32, 3, 4);
        var m = b.Operand(MLOperandDataType.Float32, 4, 5);
        var e = Assert.Throws<ArgumentException>(() => b.Gemm(a, m, new MLGemmOptions { ATranspose = true }));
        Assert.Contains("a's columns (3) must equal b's rows (4)", e.Message);
        e = Assert.Throws<ArgumentException>(() => b.Gemm(a, m, new MLGemmOptions { C = b.Operand(MLOperandDataType.Float32, 3) }));
        Assert.Contains("c's shape [3] must be unidirectionally broadcastable to the output shape [3, 5]", e.Message);
        Assert.Throws<ArgumentException>(() => b.Gemm(a, m, new MLGemmOptions { C = b.Operand(MLOperandDataType.Float16, 5) }));
        Assert.Throws<ArgumentException>(() => b.Gemm(a, m, new MLGemmOptions { C = b.Operand(MLOperandDataType.Float32, 1, 3, 5) }));
        Assert.Throws<ArgumentException>(() => b.Gemm(b.Operand(MLOperandDataType.Float32, 2, 3, 4), m));
        Assert.Throws<ArgumentException>(() => b.Gemm(a, b.Operand(MLOperandDataType.Float16, 4, 5)));
        Assert.Throws<ArgumentException>(() => b.Gemm(b.Operand(MLOperandDataType.Int32, 3, 4), b.Operand(MLOperandDataType.Int32, 4, 5)));
        Assert.Equal([3, 5], b.Gemm(a, m, new MLGemmOptions { C = b.Operand(MLOperandDataType.Float32) }).Shape);
    }
}
