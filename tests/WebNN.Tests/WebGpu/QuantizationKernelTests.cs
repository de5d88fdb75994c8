using static WebNN.Tests.Cpu.CpuGraphRunner;
using static WebNN.Tests.WebGpu.TypedArrays;

namespace WebNN.Tests.WebGpu;

/// <summary>
/// quantizeLinear and dequantizeLinear on the WebGPU backend against the CPU backend, with blockwise scales and zero
/// points, ties, saturation, NaN and infinities, and the 32-bit extremes of the quantized types.
/// </summary>
[Collection(GpuContextCollection.Name)]
public sealed class QuantizationKernelTests(GpuContextFixture fixture)
{
    private static readonly int[] Shape = [8, 60];

    private static readonly int[] SignedZeroPoints = [0, 1, -1, 7, -128, 1000, int.MaxValue, int.MinValue, int.MaxValue - 5];

    private static readonly uint[] UnsignedZeroPoints = [0, 1, 7, 255, 1u << 31, uint.MaxValue, uint.MaxValue - 5];

    private static Input Floats(MLOperandDataType type, int[] shape, float[] values) =>
        type == MLOperandDataType.Float16 ? new Input(type, shape, values.Select(v => (Half)v).ToArray()) : Input.Floats(shape, values);

    private static Input ZeroPoints(MLOperandDataType type, int[] shape, int seed)
    {
        var random = new Random(seed);
        int count = (int)Shapes.ElementCount(shape);
        Array values = type switch
        {
            MLOperandDataType.Int32 => Enumerable.Range(0, count).Select(_ => SignedZeroPoints[random.Next(SignedZeroPoints.Length)]).ToArray(),
            MLOperandDataType.Uint32 => Enumerable.Range(0, count).Select(_ => UnsignedZeroPoints[random.Next(UnsignedZeroPoints.Length)]).ToArray(),
            MLOperandDataType.Int8 => Enumerable.Range(0, count).Select(_ => (sbyte)random.Next(sbyte.MinValue, sbyte.MaxValue + 1)).ToArray(),
            _ => Enumerable.Range(0, count).Select(_ => (byte)random.Next(0, 256)).ToArray(),
        };
        return new Input(type, shape, values);
    }

    [Theory]
    [InlineData(new[] { 1, 1 }, MLOperandDataType.Float32, MLOperandDataType.Int32)]
    [InlineData(new[] { 8, 1 }, MLOperandDataType.Float32, MLOperandDataType.Uint32)]
    [InlineData(new[] { 2, 3 }, MLOperandDataType.Float16, MLOperandDataType.Int32)]
    [InlineData(new[] { 1, 20 }, MLOperandDataType.Float16, MLOperandDataType.Uint32)]
    [InlineData(new[] { 8, 60 }, MLOperandDataType.Float32, MLOperandDataType.Int32)]
    [InlineData(new[] { 2, 3 }, MLOperandDataType.Float32, MLOperandDataType.Int8)]
    [InlineData(new[] { 8, 1 }, MLOperandDataType.Float16, MLOperandDataType.Uint8)]
    public async Task QuantizeLinear_agrees_with_ties_saturation_and_blockwise_scales(int[] scaleShape, MLOperandDataType floatType, MLOperandDataType quantizedType)
    {
        var random = new Random(11);
        // Sixteenths over powers-of-two scales: exact quotients, many of them halfway between integers.
        float[] scales = [0.125f, 0.5f, 1, 2, 0.25f];
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 3e9f, -3e9f, 16777216, 2147483648f, -2147483648f, 5e9f];
        var input = Enumerable.Range(0, (int)Shapes.ElementCount(Shape))
            .Select(i => i % 7 == 0 ? special[i / 7 % special.Length] : random.Next(-8000, 8000) / 16f).ToArray();
        var scale = Enumerable.Range(0, (int)Shapes.ElementCount(scaleShape)).Select(i => scales[i % scales.Length]).ToArray();
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.QuantizeLinear(x[0], x[1], x[2])],
            Floats(floatType, Shape, input), Floats(floatType, scaleShape, scale), ZeroPoints(quantizedType, scaleShape, 12));
        AssertIdentical(cpu, gpu);
    }

    [Fact]
    public async Task QuantizeLinear_agrees_where_the_quotient_is_rounded()
    {
        var input = RandomFloats(13, (int)Shapes.ElementCount(Shape), -100, 100);
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.QuantizeLinear(x[0], x[1], x[2])],
            Input.Floats(Shape, input), Input.Floats([2, 3], [0.1f, 3, 0.7f, 1.3f, 0.01f, 7]), ZeroPoints(MLOperandDataType.Int32, [2, 3], 14));
        AssertIdentical(cpu, gpu);
    }

    [Fact]
    public async Task QuantizeLinear_rounds_before_adding_the_zero_point_and_adds_it_exactly()
    {
        // Worked by hand: 2.5 → 2, −2.5 → −2, 3.5 → 4, then −1; 0.5 → 0, then +1; 2^24 + 1 is not a float32 but is the sum.
        var input = Input.Floats([6], [2.5f, -2.5f, 3.5f, 0.5f, 16777216, float.NaN]);
        var (gpu, _) = await fixture.RunBothAsync(
            (g, x) => [g.QuantizeLinear(x[0], x[1], x[2])],
            input, Input.Floats([2], [1, 1]), new Input(MLOperandDataType.Int32, [2], new[] { -1, 1 }));
        Assert.Equal(new[] { 1, -3, 3, 1, 16777217, 0 }, (int[])gpu[0]);
        var (saturated, _) = await fixture.RunBothAsync(
            (g, x) => [g.QuantizeLinear(x[0], x[1], x[2])],
            Input.Floats([4], [-10, 4.3e9f, -4.3e9f, 4294966784]), Input.Floats([1], [1]), new Input(MLOperandDataType.Uint32, [1], new[] { 5u }));
        // 2^32 − 512 is a float32; with the zero point 5 it still fits.
        Assert.Equal(new[] { 0u, uint.MaxValue, 0u, 4294966789u }, (uint[])saturated[0]);
    }

    [Theory]
    [InlineData(new[] { 1, 1 }, MLOperandDataType.Float32, MLOperandDataType.Int32)]
    [InlineData(new[] { 8, 1 }, MLOperandDataType.Float32, MLOperandDataType.Uint32)]
    [InlineData(new[] { 2, 3 }, MLOperandDataType.Float16, MLOperandDataType.Int32)]
    [InlineData(new[] { 8, 60 }, MLOperandDataType.Float16, MLOperandDataType.Uint32)]
    public async Task DequantizeLinear_agrees_exactly_while_the_difference_fits_a_float32(int[] scaleShape, MLOperandDataType floatType, MLOperandDataType quantizedType)
    {
        var random = new Random(15);
        // Both input and zero point within 2^23 of each other's range, so |input − zeroPoint| ≤ 2^24.
        Input Quantized(int[] shape, int offset)
        {
            int length = (int)Shapes.ElementCount(shape);
            return quantizedType == MLOperandDataType.Int32
                ? new Input(quantizedType, shape, Enumerable.Range(0, length).Select(_ => random.Next(-(1 << 23), 1 << 23)).ToArray())
                : new Input(quantizedType, shape, Enumerable.Range(0, length).Select(_ => (uint)(offset + random.Next(0, 1 << 23))).ToArray());
        }
        var scale = RandomFloats(16, (int)Shapes.ElementCount(scaleShape), 0.001f, 3);
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.DequantizeLinear(x[0], x[1], x[2])],
            Quantized(Shape, 1 << 30), Floats(floatType, scaleShape, scale), Quantized(scaleShape, (1 << 30) + (1 << 22)));
        AssertIdentical(cpu, gpu);
    }

    [Theory]
    [InlineData(new[] { 2, 3 }, MLOperandDataType.Float32, MLOperandDataType.Int8)]
    [InlineData(new[] { 1, 60 }, MLOperandDataType.Float16, MLOperandDataType.Uint8)]
    public async Task DequantizeLinear_agrees_exactly_on_8_bit_values(int[] scaleShape, MLOperandDataType floatType, MLOperandDataType quantizedType)
    {
        var scale = RandomFloats(22, (int)Shapes.ElementCount(scaleShape), 0.001f, 3);
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.DequantizeLinear(x[0], x[1], x[2])],
            ZeroPoints(quantizedType, Shape, 23), Floats(floatType, scaleShape, scale), ZeroPoints(quantizedType, scaleShape, 24));
        AssertIdentical(cpu, gpu);
    }

    [Theory]
    [InlineData(MLOperandDataType.Int32)]
    [InlineData(MLOperandDataType.Uint32)]
    public async Task DequantizeLinear_agrees_within_an_ulp_at_the_32_bit_extremes(MLOperandDataType quantizedType)
    {
        var random = new Random(17);
        int count = (int)Shapes.ElementCount(Shape);
        var input = quantizedType == MLOperandDataType.Int32
            ? new Input(quantizedType, Shape, Enumerable.Range(0, count).Select(i => i % 3 == 0 ? SignedZeroPoints[i % SignedZeroPoints.Length] : random.Next(int.MinValue, int.MaxValue)).ToArray())
            : new Input(quantizedType, Shape, Enumerable.Range(0, count).Select(i => i % 3 == 0 ? UnsignedZeroPoints[i % UnsignedZeroPoints.Length] : (uint)random.NextInt64(0, 1L << 32)).ToArray());
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.DequantizeLinear(x[0], x[1], x[2])],
            input, Input.Floats([2, 6], RandomFloats(18, 12, 0.001f, 3)), ZeroPoints(quantizedType, [2, 6], 19));
        var (expected, actual) = ((float[])cpu[0], (float[])gpu[0]);
        Assert.Contains(expected, v => Math.Abs(v) > 1e9f);
        for (int i = 0; i < expected.Length; i++)
        {
            // input − zeroPoint is rounded to float32 before the product: one rounding more than the CPU's.
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Math.Abs(expected[i]) * 2.5e-7f, $"element {i}: cpu {expected[i]}, gpu {actual[i]}");
        }
    }
}
