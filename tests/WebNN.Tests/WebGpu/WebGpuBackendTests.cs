using WebNN.Tests.Cpu;
using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.WebGpu;

/// <summary>The WebGPU backend's kernels agree with the CPU backend (within float32 tolerances).</summary>
[Collection(GpuContextCollection.Name)]
public sealed class WebGpuBackendTests(GpuContextFixture fixture)
{
    private static void AssertAgree(float[] cpu, float[] gpu, double tolerance = 1e-5) =>
        AssertClose(cpu.Select(v => (double)v).ToArray(), gpu, tolerance);

    [Theory]
    [InlineData("add", new[] { 2, 3, 17 }, new[] { 17 })]
    [InlineData("sub", new[] { 4, 1, 3 }, new[] { 5, 1 })]
    [InlineData("mul", new[] { 7 }, new int[0])]
    [InlineData("div", new[] { 3, 5 }, new[] { 3, 5 })]
    [InlineData("max", new[] { 2, 3 }, new[] { 3 })]
    [InlineData("min", new[] { 1, 3 }, new[] { 2, 1 })]
    [InlineData("pow", new[] { 2, 4 }, new[] { 4 })]
    public async Task Binary_operations_broadcast_like_the_cpu(string op, int[] aShape, int[] bShape)
    {
        var a = RandomFloats(50, (int)Shapes.ElementCount(aShape), 0.5f, 2);
        var b = RandomFloats(51, (int)Shapes.ElementCount(bShape), 0.5f, 2);
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => op switch
        {
            "add" => g.Add(x[0], x[1]), "sub" => g.Sub(x[0], x[1]), "mul" => g.Mul(x[0], x[1]), "div" => g.Div(x[0], x[1]),
            "max" => g.Max(x[0], x[1]), "min" => g.Min(x[0], x[1]), _ => g.Pow(x[0], x[1]),
        }, (aShape, a), (bShape, b));
        AssertAgree(cpu, gpu, 1e-5);
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    [InlineData("exp")]
    [InlineData("abs")]
    [InlineData("gelu")]
    [InlineData("erf")]
    [InlineData("clamp")]
    [InlineData("leakyRelu")]
    [InlineData("hardSwish")]
    [InlineData("softplus")]
    public async Task Unary_operations_agree(string op)
    {
        var x = RandomFloats(52, 300, -3, 3);
        var (gpu, cpu) = await fixture.RunBothAsync((g, i) => op switch
        {
            "relu" => g.Relu(i[0]), "sigmoid" => g.Sigmoid(i[0]), "tanh" => g.Tanh(i[0]), "exp" => g.Exp(i[0]), "abs" => g.Abs(i[0]),
            "gelu" => g.Gelu(i[0]), "erf" => g.Erf(i[0]), "clamp" => g.Clamp(i[0], new MLClampOptions { MinValue = -1, MaxValue = 0.5 }),
            "leakyRelu" => g.LeakyRelu(i[0], new MLLeakyReluOptions { Alpha = 0.3 }), "hardSwish" => g.HardSwish(i[0]), _ => g.Softplus(i[0]),
        }, ([300], x));
        AssertAgree(cpu, gpu, 2e-5);
    }

    [Theory]
    [InlineData(MLInputOperandLayout.Nhwc, MLConv2dFilterOperandLayout.Hwio, 1, true)]
    [InlineData(MLInputOperandLayout.Nchw, MLConv2dFilterOperandLayout.Oihw, 2, false)]
    [InlineData(MLInputOperandLayout.Nhwc, MLConv2dFilterOperandLayout.Ohwi, 3, true)]
    [InlineData(MLInputOperandLayout.Nchw, MLConv2dFilterOperandLayout.Ihwo, 1, false)]
    public async Task Conv2d_agrees_in_every_layout_with_groups_and_fusion(MLInputOperandLayout inputLayout, MLConv2dFilterOperandLayout filterLayout, int groups, bool fuse)
    {
        int n = 2, cin = 6, h = 7, w = 5, cout = 12, kh = 3, kw = 2;
        bool nhwc = inputLayout == MLInputOperandLayout.Nhwc;
        int[] inputShape = nhwc ? [n, h, w, cin] : [n, cin, h, w];
        int[] filterShape = filterLayout switch
        {
            MLConv2dFilterOperandLayout.Oihw => [cout, cin / groups, kh, kw],
            MLConv2dFilterOperandLayout.Hwio => [kh, kw, cin / groups, cout],
            MLConv2dFilterOperandLayout.Ohwi => [cout, kh, kw, cin / groups],
            _ => [cin / groups, kh, kw, cout],
        };
        var input = RandomFloats(53, (int)Shapes.ElementCount(inputShape));
        var filter = RandomFloats(54, (int)Shapes.ElementCount(filterShape));
        var bias = RandomFloats(55, cout);
        int[] biasShape = nhwc ? [cout] : [cout, 1, 1];
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) =>
        {
            var conv = g.Conv2d(x[0], x[1], new MLConv2dOptions
            {
                Padding = [1, 0, 2, 1], Strides = [2, 1], Dilations = [1, 2], Groups = groups, InputLayout = inputLayout, FilterLayout = filterLayout,
            });
            return fuse ? g.Relu(g.Add(conv, x[2])) : g.Add(conv, x[2]);
        }, (inputShape, input), (filterShape, filter), (biasShape, bias));
        AssertAgree(cpu, gpu, 1e-4);
    }

    [Theory]
    [InlineData(new[] { 5, 7 }, new[] { 7, 3 })]
    [InlineData(new[] { 2, 1, 4, 6 }, new[] { 3, 6, 5 })]
    public async Task Matmul_agrees(int[] aShape, int[] bShape)
    {
        var a = RandomFloats(56, (int)Shapes.ElementCount(aShape));
        var b = RandomFloats(57, (int)Shapes.ElementCount(bShape));
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => g.Matmul(x[0], x[1]), (aShape, a), (bShape, b));
        AssertAgree(cpu, gpu, 1e-5);
    }

    [Theory]
    [InlineData(MLOperandDataType.Float32)]
    [InlineData(MLOperandDataType.Int32)]
    [InlineData(MLOperandDataType.Float16)]
    public async Task An_operand_bound_to_two_output_names_is_written_to_both_tensors(MLOperandDataType dataType)
    {
        Array values = dataType switch
        {
            MLOperandDataType.Float32 => new float[] { 1, 2, 3 },
            MLOperandDataType.Int32 => new[] { 1, 2, 3 },
            _ => new[] { (Half)1, (Half)2, (Half)3 },
        };
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => { var sum = g.Add(x[0], x[0]); return [sum, sum]; }, new Input(dataType, [3], values));
        Assert.Equal(cpu[0], gpu[0]);
        Assert.Equal(cpu[0], gpu[1]);
        Assert.Equal(cpu[1], gpu[1]);
    }

    [Fact]
    public async Task Reshape_transpose_and_softmax_agree()
    {
        var x = RandomFloats(58, 60, -4, 4);
        var (gpu, cpu) = await fixture.RunBothAsync((g, i) => g.Softmax(g.Transpose(g.Reshape(i[0], [3, 4, 5]), new MLTransposeOptions { Permutation = [2, 0, 1] }), 1), ([60], x));
        AssertAgree(cpu, gpu, 1e-5);
    }

    [Fact]
    public async Task Operations_without_a_gpu_kernel_fail_at_build_naming_them()
    {
        var builder = new MLGraphBuilder(fixture.Gpu);
        // int64 graph inputs are admitted (gather's indices), int64 arithmetic has no kernel (WGSL has no 64-bit integers).
        var x = builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Int64, 2, 3));
        var e = await Assert.ThrowsAsync<NotSupportedException>(() => builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = builder.Add(x, x) }));
        Assert.Contains("webgpu", e.Message);
        Assert.Contains("add", e.Message);
        Assert.Contains("int64", e.Message);
    }
}
