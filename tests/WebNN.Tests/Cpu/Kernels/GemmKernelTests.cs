using WebNN.Cpu.Kernels;
using static WebNN.Tests.Cpu.Kernels.LinAlgTestUtil;

namespace WebNN.Tests.Cpu.Kernels;

public class GemmKernelTests
{
    private static double[] Reference(int m, int n, int k, float[] a, int lda, bool ta, float[] b, int ldb, bool tb,
        float[] c0, int ldc, float alpha, float beta, float[]? bias, bool relu)
    {
        var r = new double[c0.Length];
        for (int i = 0; i < c0.Length; i++) r[i] = c0[i];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += (double)(ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                double v = alpha * s + (beta == 0 ? 0 : beta * (double)c0[i * ldc + j]);
                if (bias != null) v += bias[j];
                if (relu) v = Math.Max(v, 0);
                r[i * ldc + j] = v;
            }
        return r;
    }

    [Theory]
    [InlineData(1, 1, 1, false, false)]
    [InlineData(3, 7, 5, false, false)]
    [InlineData(7, 17, 33, true, false)]
    [InlineData(17, 33, 65, false, true)]
    [InlineData(33, 65, 3, true, true)]
    [InlineData(6, 32, 256, false, false)]
    [InlineData(13, 40, 300, false, false)]
    [InlineData(150, 530, 270, false, false)]   // several row, column and depth blocks, multi-threaded
    [InlineData(301, 97, 513, true, true)]
    [InlineData(145, 100, 257, false, false)]   // a narrow last panel (100 = 6·16 + 4); one packed B for every row block and thread
    [InlineData(40, 24, 9, false, true)]        // a last panel of exactly half the width
    [InlineData(19, 9, 2, true, false)]         // one column past half a panel: a full-width last panel
    [InlineData(31, 136, 45, false, false)]     // 512-bit: two 6×64 tiles per row panel, a narrow last panel, a last row panel of one row
    public void MatchesReference(int m, int n, int k, bool ta, bool tb)
    {
        int lda = (ta ? m : k) + 2, ldb = (tb ? k : n) + 1, ldc = n + 3;
        var a = Random((ta ? k : m) * lda, 1);
        var b = Random((tb ? n : k) * ldb, 2);
        foreach (var (alpha, beta, useBias, relu) in new[] { (1f, 0f, false, false), (0.5f, 2f, true, false), (-1.5f, 1f, true, true) })
        {
            var c = Random(m * ldc, 3);
            float[]? bias = useBias ? Random(n, 4) : null;
            var expected = Reference(m, n, k, a, lda, ta, b, ldb, tb, c, ldc, alpha, beta, bias, relu);
            var packedC = (float[])c.Clone();
            Gemm.Multiply(m, n, k, a, lda, ta, b, ldb, tb, c, ldc, alpha, beta, bias, relu);
            AssertClose(expected, c, 1e-5, Math.Sqrt(k));
            // The same product with B packed ahead of time.
            Gemm.Multiply(m, a, lda, ta, new PackedGemmB(b, k, n, ldb, tb), packedC, ldc, alpha, beta, bias, relu);
            AssertClose(expected, packedC, 1e-5, Math.Sqrt(k));
        }
    }

    [Theory]
    [InlineData(20, 70, 300, 1024)]    // rows 4 KiB apart: A staged with a stride that does not alias
    [InlineData(150, 530, 1024, 2048)] // several blocks and threads, depth a whole number of pages
    public void RowsAPageApartMatchReference(int m, int n, int k, int lda)
    {
        var a = Random(m * lda, 5);
        var b = Random(k * n, 6);
        var c = Random(m * n, 7);
        var bias = Random(n, 8);
        var expected = Reference(m, n, k, a, lda, false, b, n, false, c, n, 1f, 0.5f, bias, true);
        Gemm.Multiply(m, n, k, a, lda, false, b, n, false, c, n, 1f, 0.5f, bias, relu: true);
        AssertClose(expected, c, 1e-5, Math.Sqrt(k));
    }

    [Fact]
    public void BetaZeroIgnoresNaN()
    {
        var a = new float[] { 1, 2, 3, 4 };
        var b = new float[] { 5, 6, 7, 8 };
        var c = new float[] { float.NaN, float.NaN, float.NaN, float.NaN };
        Gemm.Multiply(2, 2, 2, a, 2, false, b, 2, false, c, 2);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c);
    }

    [Fact]
    public void ZeroDepthGivesBetaCPlusBias()
    {
        var c = new float[] { 1, 2, 3, 4 };
        Gemm.Multiply(2, 2, 0, default, 0, false, default, 2, false, c, 2, 1f, 2f, new float[] { 10, -20 }, relu: true);
        Assert.Equal(new float[] { 12, 0, 16, 0 }, c);
    }
}
