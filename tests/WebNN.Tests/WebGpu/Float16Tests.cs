using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.WebGpu;

/// <summary>float16 graphs on the WebGPU backend: widened to float32 at the inputs and constants, narrowed at the outputs.</summary>
[Collection(GpuContextCollection.Name)]
public sealed class Float16Tests(GpuContextFixture fixture)
{
    private static Half[] RandomHalves(int seed, int length, float min, float max) =>
        RandomFloats(seed, length, min, max).Select(v => (Half)v).ToArray();

    private static async Task<Half[]> RunAsync(MLContext context, Func<MLGraphBuilder, MLOperand, MLOperand> build, int[] shape, Half[] input)
    {
        var builder = new MLGraphBuilder(context);
        var x = builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Float16, shape));
        using var graph = await builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = build(builder, x) });
        var outputs = await context.ComputeAsync(graph, new Dictionary<string, Array> { ["x"] = input });
        return (Half[])outputs["y"];
    }

    [Fact]
    public async Task Conv2d_with_bias_and_relu_in_float16_agrees_with_the_cpu()
    {
        var filter = RandomHalves(70, 3 * 3 * 6 * 5, -0.5f, 0.5f);
        var bias = RandomHalves(71, 5, -0.2f, 0.2f);
        var input = RandomHalves(72, 2 * 7 * 6 * 6, -1, 1);
        MLOperand Build(MLGraphBuilder g, MLOperand x)
        {
            var w = g.Constant(new MLOperandDescriptor(MLOperandDataType.Float16, 3, 3, 6, 5), filter);
            var b = g.Constant(new MLOperandDescriptor(MLOperandDataType.Float16, 5), bias);
            var conv = g.Conv2d(x, w, new MLConv2dOptions { InputLayout = MLInputOperandLayout.Nhwc, FilterLayout = MLConv2dFilterOperandLayout.Hwio, Padding = [1, 1, 1, 1] });
            return g.Relu(g.Add(conv, b));
        }
        var gpu = await RunAsync(fixture.Gpu, Build, [2, 7, 6, 6], input);
        var cpu = await RunAsync(fixture.Cpu, Build, [2, 7, 6, 6], input);
        Assert.Equal(cpu.Length, gpu.Length);
        Assert.Contains(cpu, v => v > (Half)0.1f);
        for (int i = 0; i < cpu.Length; i++)
        {
            // Both compute in float32 and round once; summation order may move the result by one half ulp.
            Assert.True(Math.Abs((float)cpu[i] - (float)gpu[i]) <= 2e-3f * Math.Max(1, Math.Abs((float)cpu[i])), $"element {i}: cpu {cpu[i]}, gpu {gpu[i]}");
        }
    }

    [Fact]
    public async Task Narrowing_rounds_like_the_cpu_with_overflow_nan_subnormals_and_an_odd_length()
    {
        Half[] input = [(Half)60000f, (Half)(-40000f), Half.NaN, (Half)1e-5f, (Half)0.1f, (Half)(-3.3f), (Half)65504f, (Half)(-2e-7f), (Half)1e-4f];
        MLOperand Build(MLGraphBuilder g, MLOperand x) => g.Mul(x, g.Constant(MLOperandDataType.Float16, 1.999));
        var gpu = await RunAsync(fixture.Gpu, Build, [input.Length], input);
        var cpu = await RunAsync(fixture.Cpu, Build, [input.Length], input);
        Assert.True(Half.IsPositiveInfinity(gpu[0]));
        Assert.True(Half.IsNegativeInfinity(gpu[1]));
        Assert.True(Half.IsNaN(gpu[2]));
        Assert.True(Half.IsSubnormal(gpu[3]));
        Assert.True(Half.IsSubnormal(gpu[7]));
        // NaN's sign and payload are not specified (NVIDIA's hardware returns a canonical NaN), so NaN is compared as NaN.
        Assert.Equal(cpu.Select(NaNAsOne), gpu.Select(NaNAsOne));

        static int NaNAsOne(Half value) => Half.IsNaN(value) ? -1 : BitConverter.HalfToUInt16Bits(value);
    }

    [Fact]
    public void Float16_is_reported_wherever_float32_is()
    {
        var limits = fixture.Gpu.OpSupportLimits();
        Assert.Contains(MLOperandDataType.Float16, limits.Input.DataTypes);
        foreach (var (op, operands) in limits.Operators)
        {
            foreach (var (operand, tensor) in operands)
            {
                Assert.True(!tensor.DataTypes.Contains(MLOperandDataType.Float32) || tensor.DataTypes.Contains(MLOperandDataType.Float16), $"{op}.{operand}");
            }
        }
    }
}
