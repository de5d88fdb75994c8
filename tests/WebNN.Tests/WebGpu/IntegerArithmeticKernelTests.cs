using static WebNN.Tests.Cpu.CpuGraphRunner;
using static WebNN.Tests.WebGpu.TypedArrays;

namespace WebNN.Tests.WebGpu;

/// <summary>
/// The WebGPU backend's element-wise and reduction kernels on int32 and uint32 agree exactly with the CPU backend:
/// wrapping on overflow, division truncating toward zero with a / 0 = a and MIN / −1 = MIN, integer pow, clamp's
/// bounds saturated to the type.
/// </summary>
[Collection(GpuContextCollection.Name)]
public sealed class IntegerArithmeticKernelTests(GpuContextFixture fixture)
{
    private static Input Int32s(params double[] values) => new(MLOperandDataType.Int32, [values.Length], Typed(MLOperandDataType.Int32, values));

    private static Input Uint32s(params double[] values) => new(MLOperandDataType.Uint32, [values.Length], Typed(MLOperandDataType.Uint32, values));

    private static MLOperand[] BinaryOperators(MLGraphBuilder g, MLOperand a, MLOperand b) =>
        [g.Add(a, b), g.Sub(a, b), g.Mul(a, b), g.Div(a, b), g.Max(a, b), g.Min(a, b), g.Pow(a, b)];

    [Fact]
    public async Task Int32_binary_operators_wrap_divide_toward_zero_and_raise_to_negative_powers()
    {
        const double max = int.MaxValue, min = int.MinValue;
        var a = Int32s(max, min, min, 7, -7, 7, -7, 0, 5, -1, 1, 0, 3, -3, 46341, 2, -1);
        var b = Int32s(1, -1, 0, 2, 2, -2, -2, 0, 0, -3, -5, -1, 21, 5, 2, 31, -4);
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => [.. BinaryOperators(g, x[0], x[1]), g.Mul(x[0], g.Constant(MLOperandDataType.Int32, 3))], a, b);
        AssertIdentical(cpu, gpu);
        Assert.Equal(int.MinValue, ((int[])gpu[0])[0]);
        Assert.Equal(new[] { int.MaxValue, int.MinValue, int.MinValue, 3, -3, -3, 3, 0, 5, 0, 0, 0 }, ((int[])gpu[3]).Take(12));
        Assert.Equal(new[] { int.MaxValue, 0, 1, 49, 49, 0, 0, 1, 1, -1, 1, int.MaxValue }, ((int[])gpu[6]).Take(12));
        Assert.Equal(new[] { int.MinValue, 1 }, ((int[])gpu[6])[^2..]);
    }

    [Fact]
    public async Task Uint32_binary_operators_wrap_and_broadcast()
    {
        const double max = uint.MaxValue;
        var a = new Input(MLOperandDataType.Uint32, [2, 5], Typed(MLOperandDataType.Uint32, [max, 0, 7, 5, 3, 65536, 2, 1, 4000000000, 9]));
        var b = Uint32s(1, 0, 2, 32, 21);
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => BinaryOperators(g, x[0], x[1]), a, b);
        AssertIdentical(cpu, gpu);
        Assert.Equal(0u, ((uint[])gpu[0])[0]);
        Assert.Equal(0u, ((uint[])gpu[6])[8]);
    }

    [Fact]
    public async Task Int32_unary_operators_wrap_and_clamp_saturates_its_bounds()
    {
        var x = Int32s(int.MinValue, int.MaxValue, -1, 0, 1, -100, 100, 7);
        var (gpu, cpu) = await fixture.RunBothAsync((g, i) =>
        [
            g.Abs(i[0]), g.Neg(i[0]), g.Sign(i[0]), g.Relu(i[0]), g.Identity(i[0]),
            g.Clamp(i[0], new MLClampOptions { MinValue = -5, MaxValue = 10 }),
            g.Clamp(i[0], new MLClampOptions { MinValue = -1e12, MaxValue = 1e12 }),
        ], x);
        AssertIdentical(cpu, gpu);
        Assert.Equal(int.MinValue, ((int[])gpu[0])[0]);
        Assert.Equal(int.MinValue, ((int[])gpu[1])[0]);
        Assert.Equal(new[] { -5, 10, -1, 0, 1, -5, 10, 7 }, gpu[5]);
        Assert.Equal((int[])x.Values, gpu[6]);
    }

    [Fact]
    public async Task Uint32_clamp_and_identity_agree()
    {
        var x = Uint32s(0, 1, 5, 1000, uint.MaxValue);
        var (gpu, cpu) = await fixture.RunBothAsync((g, i) => [g.Identity(i[0]), g.Clamp(i[0], new MLClampOptions { MinValue = 2, MaxValue = 1e20 })], x);
        AssertIdentical(cpu, gpu);
        Assert.Equal(new uint[] { 2, 2, 5, 1000, uint.MaxValue }, gpu[1]);
    }

    [Theory]
    [InlineData(MLOperandDataType.Int32)]
    [InlineData(MLOperandDataType.Uint32)]
    public async Task Integer_reductions_wrap_on_overflow(MLOperandDataType type)
    {
        var random = new Random(11);
        double[] values = [.. Enumerable.Range(0, 2 * 3 * 4).Select(_ => type == MLOperandDataType.Int32 ? (double)random.Next(int.MinValue, int.MaxValue) : random.NextInt64(0, uint.MaxValue))];
        var input = new Input(type, [2, 3, 4], Typed(type, values));
        MLReduceOptions axes = new() { Axes = [0, 2] }, kept = new() { Axes = [1], KeepDimensions = true };
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) =>
        [
            g.ReduceSum(x[0], axes), g.ReduceProduct(x[0], kept), g.ReduceL1(x[0], axes), g.ReduceSumSquare(x[0], kept),
            g.ReduceMax(x[0], axes), g.ReduceMin(x[0], kept), g.ReduceSum(x[0]), g.ReduceMax(x[0], new MLReduceOptions { Axes = [] }),
        ], input);
        AssertIdentical(cpu, gpu);
    }

    [Theory]
    [InlineData(MLOperandDataType.Int8)]
    [InlineData(MLOperandDataType.Uint8)]
    public async Task Eight_bit_binary_operators_wrap_like_the_cpu(MLOperandDataType type)
    {
        double[] a = type == MLOperandDataType.Int8 ? [127, -128, -128, 7, -7, 100, 0, 5, -1, 2, 0, 3] : [255, 0, 7, 200, 5, 16, 0, 1, 255, 2, 3, 128];
        double[] b = type == MLOperandDataType.Int8 ? [1, -1, 0, 2, -2, 3, -1, 0, -3, 7, 0, 5] : [1, 1, 0, 2, 3, 2, 0, 9, 2, 8, 0, 2];
        // The spec allows prelu on int8, not uint8.
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => [.. BinaryOperators(g, x[0], x[1]), .. type == MLOperandDataType.Int8 ? [g.Prelu(x[0], x[1])] : Array.Empty<MLOperand>()],
            new Input(type, [a.Length], Typed(type, a)), new Input(type, [b.Length], Typed(type, b)));
        AssertIdentical(cpu, gpu);
        if (type == MLOperandDataType.Int8)
        {
            Assert.Equal(new sbyte[] { -128, 127, -128, 9, -9, 103, -1, 5, -4, 9, 0, 8 }, gpu[0]); // add wraps
            // pow: 100³, 2⁷ and 3⁵ wrap; a negative exponent truncates 1 / aⁿ, and 0⁻¹ saturates to the maximum.
            Assert.Equal(new sbyte[] { 127, 0, 1, 49, 0, 64, 127, 1, -1, -128, 1, -13 }, gpu[6]);
            Assert.Equal(new sbyte[] { 127, -128, 0, 7, 14, 100, 0, 5, 3, 2, 0, 3 }, gpu[7]); // prelu: −128 · −1 wraps
        }
        else
        {
            Assert.Equal(new byte[] { 0, 1, 7, 202, 8, 18, 0, 10, 1, 10, 3, 130 }, gpu[0]);
            Assert.Equal(new byte[] { 255, 0, 1, 64, 125, 0, 1, 1, 1, 0, 1, 0 }, gpu[6]);
        }
    }

    [Fact]
    public async Task Eight_bit_unary_operators_wrap_and_clamp_saturates_its_bounds()
    {
        var signed = new Input(MLOperandDataType.Int8, [6], Typed(MLOperandDataType.Int8, [-128, 127, -1, 0, 1, -100]));
        var (gpu, cpu) = await fixture.RunBothAsync((g, i) =>
        [
            g.Abs(i[0]), g.Neg(i[0]), g.Sign(i[0]), g.Relu(i[0]), g.Identity(i[0]),
            g.Clamp(i[0], new MLClampOptions { MinValue = -5, MaxValue = 1000 }), g.ReduceMax(i[0]), g.ReduceMin(i[0]),
        ], signed);
        AssertIdentical(cpu, gpu);
        Assert.Equal(new sbyte[] { -128, 127, 1, 0, 1, 100 }, gpu[0]);
        Assert.Equal(new sbyte[] { -128, -127, 1, 0, -1, 100 }, gpu[1]);
        Assert.Equal(new sbyte[] { -5, 127, -1, 0, 1, -5 }, gpu[5]);
        var unsigned = new Input(MLOperandDataType.Uint8, [2, 3], Typed(MLOperandDataType.Uint8, [0, 255, 7, 200, 1, 9]));
        (gpu, cpu) = await fixture.RunBothAsync((g, i) =>
        [
            g.Identity(i[0]), g.Clamp(i[0], new MLClampOptions { MinValue = -3, MaxValue = 100 }),
            g.ReduceMax(i[0], new MLReduceOptions { Axes = [1] }), g.ReduceMin(i[0], new MLReduceOptions { Axes = [0] }),
        ], unsigned);
        AssertIdentical(cpu, gpu);
        Assert.Equal(new byte[] { 0, 100, 7, 100, 1, 9 }, gpu[1]);
        Assert.Equal(new byte[] { 255, 200 }, gpu[2]);
    }

    [Theory]
    [InlineData(MLOperandDataType.Int32)]
    [InlineData(MLOperandDataType.Uint32)]
    [InlineData(MLOperandDataType.Int8)]
    [InlineData(MLOperandDataType.Uint8)]
    public async Task Integer_maxPool2d_agrees_in_both_layouts_with_padding(MLOperandDataType type)
    {
        var random = new Random(5);
        var (min, max) = type switch
        {
            MLOperandDataType.Int32 => (int.MinValue, (long)int.MaxValue),
            MLOperandDataType.Uint32 => (0, (long)uint.MaxValue),
            MLOperandDataType.Int8 => (-128, 127L),
            _ => (0, 255L),
        };
        double[] values = [.. Enumerable.Range(0, 2 * 3 * 4 * 5).Select(_ => (double)random.NextInt64(min, max + 1))];
        var input = new Input(type, [2, 3, 4, 5], Typed(type, values));
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) =>
        [
            g.MaxPool2d(x[0], new MLPool2dOptions { WindowDimensions = [2, 3], Padding = [1, 0, 2, 1], Strides = [1, 2] }),
            g.MaxPool2d(x[0], new MLPool2dOptions { WindowDimensions = [3, 2], Dilations = [1, 2], Layout = MLInputOperandLayout.Nhwc }),
        ], input);
        AssertIdentical(cpu, gpu);
    }

    [Fact]
    public void Limits_report_the_integer_arithmetic_the_kernels_run()
    {
        var limits = fixture.Gpu.OpSupportLimits();
        MLOperandDataType[] floatsAndIntegers = [MLOperandDataType.Float32, MLOperandDataType.Float16, MLOperandDataType.Int32, MLOperandDataType.Uint32];
        MLOperandDataType[] eightBit = [MLOperandDataType.Int8, MLOperandDataType.Uint8];
        foreach (var op in new[] { "add", "sub", "mul", "div", "max", "min", "pow", "clamp", "identity", "reduceMax", "reduceMin" })
        {
            var input = limits[op]!.TryGetValue("input", out var single) ? single : limits[op]!["a"];
            Assert.Equal(floatsAndIntegers.Concat(eightBit).Order(), input.DataTypes.Order());
        }
        foreach (var op in new[] { "reduceSum", "reduceProduct", "reduceL1", "reduceSumSquare" })
        {
            Assert.Equal(floatsAndIntegers.Order(), limits[op]!["input"].DataTypes.Order());
        }
        foreach (var op in new[] { "abs", "neg", "sign", "relu" })
        {
            // The spec allows these on signed integers only.
            Assert.Equal(floatsAndIntegers.Take(3).Append(MLOperandDataType.Int8).Order(), limits[op]!["input"].DataTypes.Order());
        }
        foreach (var op in new[] { "exp", "reduceMean", "reduceL2", "softmax" })
        {
            Assert.Equal([MLOperandDataType.Float32, MLOperandDataType.Float16], limits[op]!["input"].DataTypes);
        }
    }
}
