namespace WebNN.Tests.Cpu.Kernels;

internal static class LinAlgTestUtil
{
    public static float[] Random(int n, int seed, float lo = -1f, float hi = 1f)
    {
        var r = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = lo + (float)r.NextDouble() * (hi - lo);
        return x;
    }

    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double tol = 1e-5, double scale = 1)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(e)) { Assert.True(float.IsNaN(actual[i]), $"[{i}] expected NaN, got {a}"); continue; }
            if (double.IsInfinity(e)) { Assert.Equal(e, a); continue; }
            Assert.True(Math.Abs(a - e) <= tol * (scale + Math.Abs(e)), $"[{i}] expected {e}, got {a}");
        }
    }
}
