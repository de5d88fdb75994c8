using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.Cpu;

/// <summary>quantizeLinear, dequantizeLinear and resample2d on the CPU, worked by hand.</summary>
public sealed class QuantizationOperationTests
{
    [Fact]
    public async Task QuantizeLinear_rounds_half_to_even_and_saturates_with_blockwise_scale()
    {
        // Columns 0-1 use scale 0.5 and zero point 10, columns 2-3 scale 2 and zero point 250.
        var input = Input.Floats([2, 4], [1.25f, -100, 3, 1, 0.75f, 200, -1, 20]);
        var scale = Input.Floats([1, 2], [0.5f, 2]);
        var zeroPoint = new Input(MLOperandDataType.Uint8, [1, 2], new byte[] { 10, 250 });
        var y = (byte[])await RunAsync((g, x) => g.QuantizeLinear(x[0], x[1], x[2]), input, scale, zeroPoint);
        // 2.5→2, −200→clamped, 1.5→2, 0.5→0; 1.5→2, 400→clamped, −0.5→0, 10 (+250 → clamped).
        Assert.Equal(new byte[] { 12, 0, 252, 250, 12, 255, 250, 255 }, y);
    }

    [Fact]
    public async Task QuantizeLinear_to_int8_and_int32()
    {
        var input = Input.Floats([4], [-1000, 2.5f, -2.5f, 127.4f]);
        var scale = Input.Floats([1], [1]);
        var int8Zero = new Input(MLOperandDataType.Int8, [1], new sbyte[] { -1 });
        Assert.Equal(new sbyte[] { -128, 1, -3, 126 }, (sbyte[])await RunAsync((g, x) => g.QuantizeLinear(x[0], x[1], x[2]), input, scale, int8Zero));
        var int32Zero = new Input(MLOperandDataType.Int32, [1], new[] { int.MaxValue - 1 });
        Assert.Equal(new[] { int.MaxValue - 1001, int.MaxValue, int.MaxValue - 3, int.MaxValue }, (int[])await RunAsync((g, x) => g.QuantizeLinear(x[0], x[1], x[2]), input, scale, int32Zero));
    }

    [Fact]
    public async Task DequantizeLinear_subtracts_the_zero_point_and_scales_blockwise()
    {
        var input = new Input(MLOperandDataType.Uint8, [4], new byte[] { 0, 10, 255, 128 });
        var scale = Input.Floats([2], [0.5f, 2]);
        var zeroPoint = new Input(MLOperandDataType.Uint8, [2], new byte[] { 10, 128 });
        Assert.Equal(new float[] { -5, 0, 254, 0 }, await RunFloatsAsync((g, x) => g.DequantizeLinear(x[0], x[1], x[2]), input, scale, zeroPoint));
        var wide = new Input(MLOperandDataType.Int32, [1], new[] { int.MaxValue });
        var lowest = new Input(MLOperandDataType.Int32, [1], new[] { int.MinValue });
        Assert.Equal(new float[] { 4294967295f }, await RunFloatsAsync((g, x) => g.DequantizeLinear(x[0], x[1], x[2]), wide, Input.Floats([1], [1]), lowest));
    }

    [Fact]
    public async Task DequantizeLinear_to_float16()
    {
        var input = new Input(MLOperandDataType.Int8, [2], new sbyte[] { -128, 127 });
        var scale = new Input(MLOperandDataType.Float16, [1], new[] { (Half)0.5 });
        var zeroPoint = new Input(MLOperandDataType.Int8, [1], new sbyte[] { -1 });
        Assert.Equal(new[] { (Half)(-63.5), (Half)64 }, (Half[])await RunAsync((g, x) => g.DequantizeLinear(x[0], x[1], x[2]), input, scale, zeroPoint));
    }

    [Fact]
    public async Task Resample2d_linear_upsampling_uses_half_pixel_centers()
    {
        var y = await RunFloatsAsync((g, x) => g.Resample2d(x[0], new MLResample2dOptions { Mode = MLInterpolationMode.Linear, Scales = [2, 2] }),
            Input.Floats([1, 1, 2, 2], [1, 2, 3, 4]));
        // Output coordinates 0..3 sample input coordinates 0, 0.25, 0.75, 1 along each axis (clamped at the borders).
        Assert.Equal(new float[] { 1, 1.25f, 1.75f, 2, 1.5f, 1.75f, 2.25f, 2.5f, 2.5f, 2.75f, 3.25f, 3.5f, 3, 3.25f, 3.75f, 4 }, y);
    }

    [Fact]
    public async Task Resample2d_nearest_neighbor_upsamples_and_downsamples()
    {
        var up = await RunFloatsAsync((g, x) => g.Resample2d(x[0], new MLResample2dOptions { Sizes = [4, 4] }), Input.Floats([1, 1, 2, 2], [1, 2, 3, 4]));
        Assert.Equal(new float[] { 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4 }, up);
        // Downsampling by 2 samples input coordinates 0.5 and 2.5: nearest rounds half down (ceil(c − 0.5)).
        var down = await RunFloatsAsync((g, x) => g.Resample2d(x[0], new MLResample2dOptions { Scales = [1, 0.5f] }), Input.Floats([1, 1, 1, 4], [1, 2, 3, 4]));
        Assert.Equal(new float[] { 1, 3 }, down);
        var linear = await RunFloatsAsync((g, x) => g.Resample2d(x[0], new MLResample2dOptions { Scales = [1, 0.5f], Mode = MLInterpolationMode.Linear }), Input.Floats([1, 1, 1, 4], [1, 2, 3, 4]));
        Assert.Equal(new float[] { 1.5f, 3.5f }, linear);
    }

    [Fact]
    public async Task Resample2d_on_nhwc_axes_and_uint8_rounds_half_to_even()
    {
        // [1, 1, 2, 2] NHWC (H=1, W=2, C=2): channel 0 holds 0, 2; channel 1 holds 0, 255.
        var input = new Input(MLOperandDataType.Uint8, [1, 1, 2, 2], new byte[] { 0, 0, 2, 255 });
        var y = (byte[])await RunAsync((g, x) => g.Resample2d(x[0], new MLResample2dOptions { Mode = MLInterpolationMode.Linear, Sizes = [1, 4], Axes = [1, 2] }), input);
        // Weights 0, 0.25, 0.75, 1: channel 0 gives 0, 0.5→0, 1.5→2, 2; channel 1 gives 0, 63.75→64, 191.25→191, 255.
        Assert.Equal(new byte[] { 0, 0, 0, 64, 2, 191, 2, 255 }, y);
    }

    [Fact]
    public async Task Resample2d_on_float16()
    {
        var input = new Input(MLOperandDataType.Float16, [1, 1, 1, 2], new[] { (Half)0, (Half)1 });
        var y = (Half[])await RunAsync((g, x) => g.Resample2d(x[0], new MLResample2dOptions { Mode = MLInterpolationMode.Linear, Scales = [1, 2] }), input);
        Assert.Equal(new[] { (Half)0, (Half)0.25, (Half)0.75, (Half)1 }, y);
    }
}
