using static WebNN.Tests.Cpu.CpuGraphRunner;
using static WebNN.Tests.WebGpu.TypedArrays;

namespace WebNN.Tests.WebGpu;

/// <summary>
/// resample2d on the WebGPU backend against the CPU backend: both modes, by scales and by sizes, on axes [1, 2] and
/// [2, 3], up and down. Nearest-neighbor picks the same elements; linear on floats agrees within float32 rounding, and
/// on int8 and uint8 exactly (both interpolate in float32 in one order and round half to even).
/// </summary>
[Collection(GpuContextCollection.Name)]
public sealed class Resample2dKernelTests(GpuContextFixture fixture)
{
    private static readonly int[] Shape = [2, 5, 7, 3];

    public static TheoryData<MLInterpolationMode, float[]?, int[]?, int[]> Cases()
    {
        var cases = new TheoryData<MLInterpolationMode, float[]?, int[]?, int[]>();
        foreach (var mode in Enum.GetValues<MLInterpolationMode>())
        {
            cases.Add(mode, [2, 3], null, [2, 3]);
            cases.Add(mode, [0.5f, 0.4f], null, [1, 2]);
            cases.Add(mode, [1.7f, 0.6f], null, [1, 2]);
            cases.Add(mode, null, [9, 2], [1, 2]);
            cases.Add(mode, null, [3, 11], [2, 3]);
            cases.Add(mode, null, [16, 1], [1, 3]);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Resample2d_agrees(MLInterpolationMode mode, float[]? scales, int[]? sizes, int[] axes)
    {
        var options = new MLResample2dOptions { Mode = mode, Scales = scales, Sizes = sizes, Axes = axes };
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => [g.Resample2d(x[0], options)], Input.Floats(Shape, RandomFloats(20, 210, -10, 10)));
        if (mode == MLInterpolationMode.NearestNeighbor)
        {
            AssertIdentical(cpu, gpu);
        }
        else
        {
            AssertClose(((float[])cpu[0]).Select(v => (double)v).ToArray(), (float[])gpu[0], 1e-5);
        }
    }

    [Theory]
    [InlineData(MLInterpolationMode.NearestNeighbor)]
    [InlineData(MLInterpolationMode.Linear)]
    public async Task Resample2d_agrees_in_float16(MLInterpolationMode mode)
    {
        var input = new Input(MLOperandDataType.Float16, Shape, RandomFloats(21, 210, -10, 10).Select(v => (Half)v).ToArray());
        var options = new MLResample2dOptions { Mode = mode, Sizes = [8, 4], Axes = [1, 2] };
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => [g.Resample2d(x[0], options)], input);
        if (mode == MLInterpolationMode.NearestNeighbor)
        {
            AssertIdentical(cpu, gpu);
            return;
        }
        var (expected, actual) = ((Half[])cpu[0], (Half[])gpu[0]);
        for (int i = 0; i < expected.Length; i++)
        {
            // Both round to float16 once, from float32 (gpu) or double (cpu): at most a float16 ulp apart (2^-7 below 16).
            Assert.True(Math.Abs((float)expected[i] - (float)actual[i]) <= 1f / 128, $"element {i}: cpu {expected[i]}, gpu {actual[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Resample2d_on_eight_bit_integers_agrees(MLInterpolationMode mode, float[]? scales, int[]? sizes, int[] axes)
    {
        var options = new MLResample2dOptions { Mode = mode, Scales = scales, Sizes = sizes, Axes = axes };
        var random = new Random(22);
        foreach (var type in new[] { MLOperandDataType.Int8, MLOperandDataType.Uint8 })
        {
            int min = type == MLOperandDataType.Int8 ? -128 : 0;
            var input = new Input(type, Shape, Typed(type, [.. Enumerable.Range(0, 210).Select(_ => (double)random.Next(min, min + 256))]));
            var (gpu, cpu) = await fixture.RunBothAsync((g, x) => [g.Resample2d(x[0], options)], input);
            if (mode == MLInterpolationMode.NearestNeighbor)
            {
                AssertIdentical(cpu, gpu);
                continue;
            }
            // Linear: a driver may contract the interpolation's multiply-adds (Vulkan allows it; NVIDIA's does), which
            // moves a sum that is exactly .5 in float32 by one rounding, so a tie may round the other way: at most 1 apart.
            var expected = cpu[0].Cast<object>().Select(Convert.ToInt32).ToArray();
            var actual = gpu[0].Cast<object>().Select(Convert.ToInt32).ToArray();
            Assert.Equal(expected.Length, actual.Length);
            Assert.All(expected.Zip(actual), pair => Assert.InRange(pair.Second, pair.First - 1, pair.First + 1));
        }
    }

    [Fact]
    public async Task Linear_resample2d_rounds_integer_ties_half_to_even()
    {
        // Halving a row of four samples at 0.5 and 2.5: the means of neighbours, 1.5 and 2.5 (uint8), −2.5 and 5.5 (int8).
        var options = new MLResample2dOptions { Mode = MLInterpolationMode.Linear, Sizes = [1, 2] };
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => [g.Resample2d(x[0], options), g.Resample2d(x[1], options)],
            new Input(MLOperandDataType.Uint8, [1, 1, 1, 4], new byte[] { 1, 2, 2, 3 }),
            new Input(MLOperandDataType.Int8, [1, 1, 1, 4], new sbyte[] { -3, -2, 5, 6 }));
        AssertIdentical(cpu, gpu);
        Assert.Equal(new byte[] { 2, 2 }, gpu[0]);
        Assert.Equal(new sbyte[] { -2, 6 }, gpu[1]);
    }
}
