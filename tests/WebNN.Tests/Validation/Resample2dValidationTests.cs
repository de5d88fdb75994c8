namespace WebNN.Tests.Validation;

public sealed class Resample2dValidationTests
{
    private readonly MLGraphBuilder b = NullBackendContext.CreateBuilder();

    [Fact]
    public void Scales_floor_the_output_size()
    {
        var y = b.Resample2d(b.F32(1, 3, 5, 7), new MLResample2dOptions { Scales = [2.5f, 0.5f] });
        Assert.Equal([1, 3, 12, 3], y.Shape);
        var attributes = y.Attributes<Resample2dAttributes>();
        Assert.Equal([2.5f, 0.5f], attributes.Scales);
        Assert.Equal([2, 3], attributes.Axes);
        Assert.Equal(MLInterpolationMode.NearestNeighbor, attributes.Mode);
    }

    [Fact]
    public void Sizes_win_over_scales_on_the_given_axes()
    {
        var y = b.Resample2d(b.F32(1, 4, 5, 3), new MLResample2dOptions { Mode = MLInterpolationMode.Linear, Sizes = [10, 8], Scales = [3, 3], Axes = [1, 2] });
        Assert.Equal([1, 10, 8, 3], y.Shape);
        Assert.Equal([2.5f, 1.6f], y.Attributes<Resample2dAttributes>().Scales);
        Assert.Equal([1, 3, 5, 7], b.Resample2d(b.F32(1, 3, 5, 7)).Shape);
    }

    [Fact]
    public void Rules_each_throw()
    {
        var x = b.F32(1, 3, 5, 7);
        Assert.Throws<ArgumentException>(() => b.Resample2d(b.F32(3, 5, 7)));
        Assert.Throws<ArgumentException>(() => b.Resample2d(b.Operand(MLOperandDataType.Int32, 1, 3, 5, 7)));
        Assert.Throws<ArgumentException>(() => b.Resample2d(x, new MLResample2dOptions { Scales = [1] }));
        Assert.Throws<ArgumentException>(() => b.Resample2d(x, new MLResample2dOptions { Scales = [1, 0] }));
        Assert.Throws<ArgumentException>(() => b.Resample2d(x, new MLResample2dOptions { Scales = [1, float.NaN] }));
        Assert.Throws<ArgumentException>(() => b.Resample2d(x, new MLResample2dOptions { Sizes = [1, 2, 3] }));
        Assert.Throws<ArgumentException>(() => b.Resample2d(x, new MLResample2dOptions { Sizes = [1, 0] }));
        Assert.Throws<ArgumentException>(() => b.Resample2d(x, new MLResample2dOptions { Axes = [2, 2] }));
        Assert.Throws<ArgumentException>(() => b.Resample2d(x, new MLResample2dOptions { Axes = [2, 4] }));
        Assert.Throws<ArgumentException>(() => b.Resample2d(x, new MLResample2dOptions { Axes = [2] }));
        Assert.Throws<ArgumentException>(() => b.Resample2d(x, new MLResample2dOptions { Mode = (MLInterpolationMode)5 }));
        var e = Assert.Throws<ArgumentException>(() => b.Resample2d(x, new MLResample2dOptions { Scales = [0.1f, 1] }));
        Assert.Contains("not a valid dimension", e.Message);
    }
}
