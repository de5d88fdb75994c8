namespace WebNN.Tests.Validation;

public sealed class ReductionValidationTests
{
    public static TheoryData<string> All => new()
    {
        "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceMax", "ReduceMean", "ReduceMin", "ReduceProduct", "ReduceSum", "ReduceSumSquare",
    };

    [Theory]
    [MemberData(nameof(All))]
    public void Default_axes_reduce_everything_to_a_scalar(string op)
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.Call(op, b.Operand(MLOperandDataType.Float32, 2, 3, 4));
        Assert.Empty(output.Shape);
        Assert.Equal(MLOperandDataType.Float32, output.DataType);
        var attributes = output.Attributes<ReduceAttributes>();
        Assert.Equal([0, 1, 2], attributes.Axes);
        Assert.False(attributes.KeepDimensions);
    }

    [Theory]
    [InlineData(new[] { 2, 0 }, false, new[] { 3 }, new[] { 2, 0 })]
    [InlineData(new[] { 2, 0 }, true, new[] { 1, 3, 1 }, new[] { 2, 0 })]
    [InlineData(new int[0], false, new[] { 2, 3, 4 }, new int[0])]
    [InlineData(null, true, new[] { 1, 1, 1 }, new[] { 0, 1, 2 })]
    public void Axes_and_keepDimensions_give_the_output_shape(int[]? axes, bool keep, int[] expected, int[] resolvedAxes)
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.ReduceSum(b.Operand(MLOperandDataType.Float32, 2, 3, 4), new MLReduceOptions { Axes = axes, KeepDimensions = keep });
        Assert.Equal(expected, output.Shape);
        Assert.Equal(resolvedAxes, output.Attributes<ReduceAttributes>().Axes);
    }

    [Theory]
    [InlineData(new[] { 3 }, "axes item (3) must be less than the input's rank (3)")]
    [InlineData(new[] { -1 }, "axes item (-1) must not be negative")]
    [InlineData(new[] { 1, 1 }, "must not contain duplicate values (1)")]
    public void Bad_axes_are_rejected(int[] axes, string message)
    {
        var b = NullBackendContext.CreateBuilder();
        var e = Assert.Throws<ArgumentException>(() => b.ReduceMean(b.Operand(MLOperandDataType.Float32, 2, 3, 4), new MLReduceOptions { Axes = axes }));
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("ReduceL2", MLOperandDataType.Int32, false)]
    [InlineData("ReduceLogSum", MLOperandDataType.Int32, false)]
    [InlineData("ReduceLogSumExp", MLOperandDataType.Int64, false)]
    [InlineData("ReduceL1", MLOperandDataType.Uint64, true)]
    [InlineData("ReduceSum", MLOperandDataType.Int8, false)]
    [InlineData("ReduceMax", MLOperandDataType.Int8, true)]
    [InlineData("ReduceMin", MLOperandDataType.Uint8, true)]
    public void Data_types_follow_each_operations_list(string op, MLOperandDataType type, bool allowed)
    {
        var b = NullBackendContext.CreateBuilder();
        var input = b.Operand(type, 2, 2);
        if (allowed)
        {
            Assert.Equal(type, b.Call(op, input).DataType);
        }
        else
        {
            Assert.Throws<ArgumentException>(() => b.Call(op, input));
        }
    }

    [Theory]
    [InlineData("ArgMin")]
    [InlineData("ArgMax")]
    public void ArgMinMax_reduce_one_axis_to_int32_indices(string op)
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.Call(op, b.Operand(MLOperandDataType.Float16, 2, 3, 4), 1);
        Assert.Equal([2, 4], output.Shape);
        Assert.Equal(MLOperandDataType.Int32, output.DataType);
        Assert.Equal(new ArgMinMaxAttributes(1, false, MLOperandDataType.Int32), output.Attributes<ArgMinMaxAttributes>());
        var kept = b.Call(op, b.Operand(MLOperandDataType.Uint8, 2, 3), 0, new MLArgMinMaxOptions { KeepDimensions = true, OutputDataType = MLOperandDataType.Int64 });
        Assert.Equal([1, 3], kept.Shape);
        Assert.Equal(MLOperandDataType.Int64, kept.DataType);
    }

    [Fact]
    public void ArgMinMax_rules_throw()
    {
        var b = NullBackendContext.CreateBuilder();
        var x = b.Operand(MLOperandDataType.Float32, 2, 3);
        Assert.Throws<ArgumentException>(() => b.ArgMax(x, 2));
        Assert.Throws<ArgumentException>(() => b.ArgMin(x, -1));
        var e = Assert.Throws<ArgumentException>(() => b.ArgMax(x, 0, new MLArgMinMaxOptions { OutputDataType = MLOperandDataType.Uint32 }));
        Assert.Contains("outputDataType (uint32) must be one of int32, int64", e.Message);
        Assert.Throws<ArgumentException>(() => b.ArgMin(b.Operand(MLOperandDataType.Float32), 0));
    }

    [Fact]
    public void CumulativeSum_keeps_the_shape_and_resolves_options()
    {
        var b = NullBackendContext.CreateBuilder();
        var output = b.CumulativeSum(b.Operand(MLOperandDataType.Int64, 3, 5), 1, new MLCumulativeSumOptions { Reversed = true });
        Assert.Equal([3, 5], output.Shape);
        Assert.Equal(MLOperandDataType.Int64, output.DataType);
        Assert.Equal(new CumulativeSumAttributes(1, false, true), output.Attributes<CumulativeSumAttributes>());
    }

    [Fact]
    public void CumulativeSum_rules_throw()
    {
        var b = NullBackendContext.CreateBuilder();
        var e = Assert.Throws<ArgumentException>(() => b.CumulativeSum(b.Operand(MLOperandDataType.Float32, 3, 5), 2));
        Assert.Contains("cumulativeSum: axis (2) must be less than the input's rank (2)", e.Message);
        Assert.Throws<ArgumentException>(() => b.CumulativeSum(b.Operand(MLOperandDataType.Float32, 3), -1));
        Assert.Throws<ArgumentException>(() => b.CumulativeSum(b.Operand(MLOperandDataType.Int8, 3), 0));
        Assert.Throws<ArgumentException>(() => b.CumulativeSum(b.Operand(MLOperandDataType.Float32), 0));
    }
}
