namespace WebNN.Tests.Cpu;

/// <summary>The CPU backend's compiled plan: support limits, unsupported operations, buffer reuse.</summary>
public sealed class CpuPlanTests
{
    [Fact]
    public async Task OpSupportLimits_lists_exactly_the_operations_with_kernels()
    {
        using var context = await ML.CreateContextAsync(new MLContextOptions { Accelerated = false });
        var limits = context.OpSupportLimits();
        Assert.Contains("conv2d", limits.Operators.Keys);
        Assert.Equal([MLOperandDataType.Float32, MLOperandDataType.Float16], limits["conv2d"]!["input"].DataTypes);
        Assert.Equal(new MLRankRange(4, 4), limits["conv2d"]!["input"].RankRange);
        Assert.Equal(MLOperandDataTypes.All, limits["transpose"]!["input"].DataTypes);
        Assert.Equal([MLOperandDataType.Int32, MLOperandDataType.Uint32, MLOperandDataType.Int64], limits["gather"]!["indices"].DataTypes);
        Assert.Equal([MLOperandDataType.Uint8], limits["where"]!["condition"].DataTypes);
        Assert.Equal(MLOperandDataTypes.All, limits["where"]!["trueValue"].DataTypes);
        Assert.Equal([MLOperandDataType.Int32, MLOperandDataType.Int64], limits["argMax"]!["output"].DataTypes);
        Assert.Equal([MLOperandDataType.Uint8, MLOperandDataType.Int8, MLOperandDataType.Uint32, MLOperandDataType.Int32], limits["quantizeLinear"]!["zeroPoint"].DataTypes);
        Assert.Equal([MLOperandDataType.Float32, MLOperandDataType.Float16, MLOperandDataType.Int64, MLOperandDataType.Int32, MLOperandDataType.Int8], limits["relu"]!["input"].DataTypes);
        Assert.Equal(MLInputOperandLayout.Nhwc, limits.PreferredInputLayout);
    }

    [Fact]
    public async Task A_long_chain_reuses_intermediate_buffers_and_stays_correct()
    {
        using var context = await ML.CreateContextAsync(new MLContextOptions { Accelerated = false });
        var builder = new MLGraphBuilder(context);
        var x = builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Float32, 1000));
        var value = x;
        for (int i = 0; i < 20; i++)
        {
            value = builder.Add(value, x);
        }
        using var graph = await builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = value });
        var plan = (WebNN.Cpu.CpuGraph)graph.Backend;
        // Input, output and at most two intermediates that alternate.
        Assert.True(plan.BufferCount <= 4, $"{plan.BufferCount} buffers for a chain of 20 operations");
        var results = await context.ComputeAsync(graph, new Dictionary<string, Array> { ["x"] = Enumerable.Repeat(1.5f, 1000).ToArray() });
        Assert.All((float[])results["y"], v => Assert.Equal(31.5f, v));
    }
}
