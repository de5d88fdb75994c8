using WebNN.Cpu.Kernels;
using static WebNN.Tests.Cpu.Kernels.LinAlgTestUtil;

namespace WebNN.Tests.Cpu.Kernels;

public class MatMulKernelTests
{
    public static TheoryData<int[], int[]> Shapes => new()
    {
        { [1, 1], [1, 1] },
        { [3, 7], [7, 5] },
        { [2, 3, 17], [2, 17, 33] },
        { [4, 1, 5, 6], [3, 6, 7] },       // broadcast both ways
        { [2, 3, 5, 6], [6, 7] },          // shared B, folded
        { [5, 6], [2, 3, 6, 7] },          // shared A
        { [64, 9, 33], [64, 33, 65] },     // many small batches, parallel
        { [1, 130, 200], [1, 200, 70] },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesReference(int[] aShape, int[] bShape)
    {
        int ra = aShape.Length, rb = bShape.Length, br = Math.Max(ra, rb) - 2;
        int m = aShape[ra - 2], k = aShape[ra - 1], n = bShape[rb - 1];
        var outShape = new int[br + 2];
        for (int d = 0; d < br; d++)
        {
            int ad = d - (br - (ra - 2)), bd = d - (br - (rb - 2));
            outShape[d] = Math.Max(ad >= 0 ? aShape[ad] : 1, bd >= 0 ? bShape[bd] : 1);
        }
        outShape[br] = m; outShape[br + 1] = n;
        int Count(int[] s) { int c = 1; foreach (var v in s) c *= v; return c; }
        var a = Random(Count(aShape), 1); var b = Random(Count(bShape), 2);
        var exp = new double[Count(outShape)];
        int batches = exp.Length / (m * n);
        var idx = new int[br];
        for (int t = 0; t < batches; t++)
        {
            int rem = t;
            for (int d = br - 1; d >= 0; d--) { idx[d] = rem % outShape[d]; rem /= outShape[d]; }
            int Off(int[] s) { int r = s.Length - 2, o = 0; for (int d = 0; d < r; d++) { int od = d + br - r; o = o * s[d] + (s[d] == 1 ? 0 : idx[od]); } return o; }
            int ao = Off(aShape) * m * k, bo = Off(bShape) * k * n;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += (double)a[ao + i * k + p] * b[bo + p * n + j];
                    exp[t * m * n + i * n + j] = s;
                }
        }
        var y = new float[exp.Length];
        MatMul.Compute(a, aShape, b, bShape, y, outShape);
        AssertClose(exp, y, 1e-5, Math.Sqrt(k));
        if (bShape.Length == 2)
        {
            // The same product with b packed ahead of time, as a constant b is at build.
            var packed = new float[exp.Length];
            MatMul.Compute(a, aShape, b, bShape, packed, outShape, new PackedGemmB(b, k, n, n, transB: false));
            AssertClose(exp, packed, 1e-5, Math.Sqrt(k));
        }
    }

    [Theory]
    [InlineData(3, 4, 5, false, false, 0, 1f, 1f)]
    [InlineData(7, 17, 33, true, false, 1, 0.5f, 2f)]
    [InlineData(17, 33, 7, false, true, 2, 2f, -1f)]
    [InlineData(33, 7, 65, true, true, 3, 1f, 0.25f)]
    [InlineData(65, 65, 130, false, false, 4, 1f, 1f)]
    [InlineData(1, 1, 1, false, false, 5, 3f, 0f)]
    [InlineData(13, 37, 300, false, true, 5, 0.5f, 1f)]    // C one row: the store's bias; depth over one block
    [InlineData(150, 530, 19, true, false, 2, 1f, -2f)]    // C one row scaled; several row and column blocks, threads
    public void GemmOpMatchesReference(int m, int n, int k, bool ta, bool tb, int cKind, float alpha, float beta)
    {
        var a = Random(m * k, 1); var b = Random(k * n, 2);
        int[] cShape = cKind switch { 0 => [], 1 => [], 2 => [n], 3 => [m, 1], 4 => [m, n], _ => [1, n] };
        float[] c = cKind == 0 ? [] : Random(cShape.Length == 0 ? 1 : cShape.Length == 1 ? n : cShape[0] * cShape[1], 3);
        var exp = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double)(ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                double cv = cKind == 0 ? 0 : cShape.Length == 0 ? c[0] : cShape.Length == 1 ? c[j] : c[(cShape[0] == 1 ? 0 : i) * cShape[1] + (cShape[1] == 1 ? 0 : j)];
                exp[i * n + j] = alpha * s + beta * cv;
            }
        foreach (bool packed in new[] { false, true })
        {
            // packed: B packed ahead of time, as a constant B is at build.
            var y = new float[m * n];
            var packedB = packed ? new PackedGemmB(b, k, n, tb ? k : n, tb) : null;
            GemmOp.Compute(a, ta ? [k, m] : [m, k], ta, b, tb ? [n, k] : [k, n], tb, packedB, c, cShape, alpha, beta, y);
            AssertClose(exp, y, 1e-5, Math.Sqrt(k));
        }
    }
}
