using System.Numerics.Tensors;

namespace WebNN.Cpu.Kernels;

/// <summary>matmul: batched matrix product with numpy broadcasting of the batch dimensions, on <see cref="Gemm"/>.</summary>
internal static class MatMul
{
    /// <summary>output[..., M, N] = a[..., M, K] · b[..., K, N].</summary>
    /// <param name="a">First input, rank ≥ 2.</param>
    /// <param name="aShape">Its shape.</param>
    /// <param name="b">Second input, rank ≥ 2.</param>
    /// <param name="bShape">Its shape.</param>
    /// <param name="output">The output.</param>
    /// <param name="outputShape">Broadcast batch dims of a and b, then [M, N].</param>
    /// <param name="packedB">A 2-D b packed ahead of time (a constant's, at build), or null.</param>
    public static void Compute(ReadOnlySpan<float> a, ReadOnlySpan<int> aShape, ReadOnlySpan<float> b, ReadOnlySpan<int> bShape,
        Span<float> output, ReadOnlySpan<int> outputShape, PackedGemmB? packedB = null)
    {
        int ra = aShape.Length, rb = bShape.Length, ro = outputShape.Length;
        int m = aShape[ra - 2], k = aShape[ra - 1], n = bShape[rb - 1];
        int batchRank = ro - 2;
        int batches = 1;
        for (int i = 0; i < batchRank; i++) batches *= outputShape[i];
        if (batches == 0 || m == 0 || n == 0) return;

        // Per output batch dim, the stride (in matrices) of a and b; 0 where broadcast.
        Span<int> aStr = stackalloc int[Math.Max(batchRank, 1)];
        Span<int> bStr = stackalloc int[Math.Max(batchRank, 1)];
        int aBatches = BatchStrides(aShape, batchRank, aStr);
        int bBatches = BatchStrides(bShape, batchRank, bStr);
        int aMat = m * k, bMat = k * n;

        if (bBatches == 1 && aBatches == batches)
        {
            // One B for all: fold the batches into the rows.
            if (packedB != null) Gemm.Multiply(batches * m, a, k, false, packedB, output, n);
            else Gemm.Multiply(batches * m, n, k, a, k, false, b, n, false, output, n);
            return;
        }

        int[] aOff = KernelScratch.Ints.Rent(batches), bOff = KernelScratch.Ints.Rent(batches);
        Span<int> idx = stackalloc int[Math.Max(batchRank, 1)];
        idx.Clear();
        for (int t = 0; t < batches; t++)
        {
            int ao = 0, bo = 0;
            for (int d = 0; d < batchRank; d++) { ao += idx[d] * aStr[d]; bo += idx[d] * bStr[d]; }
            aOff[t] = ao * aMat; bOff[t] = bo * bMat;
            for (int d = batchRank - 1; d >= 0; d--) { if (++idx[d] < outputShape[d]) break; idx[d] = 0; }
        }

        long per = (long)m * n * k;
        // Large products split inside Gemm; many small ones split over the batch.
        bool splitBatches = per < Gemm.ParallelThreshold && per * batches >= Gemm.ParallelThreshold;
        unsafe
        {
            fixed (float* pa = a, pb = b, po = output)
            {
                Parallelism.For(batches, splitBatches, new BatchProducts(m, n, k, pa, pb, po, aOff, bOff, !splitBatches));
            }
        }
        KernelScratch.Ints.Return(aOff);
        KernelScratch.Ints.Return(bOff);
    }

    /// <summary>Output matrices [start, end), each from the matrices of a and b at its offsets.</summary>
    private readonly unsafe struct BatchProducts(int m, int n, int k, float* a, float* b, float* output, int[] aOffsets, int[] bOffsets, bool parallel)
        : IParallelRange
    {
        public void Run(int start, int end)
        {
            for (int t = start; t < end; t++)
            {
                Gemm.Multiply(m, n, k, new ReadOnlySpan<float>(a + aOffsets[t], m * k), k, false, new ReadOnlySpan<float>(b + bOffsets[t], k * n), n, false,
                    new Span<float>(output + (long)t * m * n, m * n), n, parallel: parallel);
            }
        }
    }

    /// <summary>Right-aligns shape's batch dims with batchRank output batch dims; returns its batch count.</summary>
    private static int BatchStrides(ReadOnlySpan<int> shape, int batchRank, Span<int> strides)
    {
        int own = shape.Length - 2, stride = 1, count = 1;
        for (int d = batchRank - 1; d >= 0; d--)
        {
            int sd = d - (batchRank - own);
            int dim = sd >= 0 ? shape[sd] : 1;
            strides[d] = dim == 1 ? 0 : stride;
            stride *= dim;
            count *= dim;
        }
        return count;
    }
}

/// <summary>The spec's gemm operation: alpha·op(A)·op(B) + beta·C with C unidirectionally broadcast to [M, N].</summary>
internal static class GemmOp
{
    /// <param name="a">A: [M, K], or [K, M] when <paramref name="aTranspose"/>.</param>
    /// <param name="aShape">Its 2 dims.</param>
    /// <param name="aTranspose">Use Aᵀ.</param>
    /// <param name="b">B: [K, N], or [N, K] when <paramref name="bTranspose"/>.</param>
    /// <param name="bShape">Its 2 dims.</param>
    /// <param name="bTranspose">Use Bᵀ.</param>
    /// <param name="packedB">op(B) packed ahead of time (a constant's, at build), or null to pack <paramref name="b"/> here.</param>
    /// <param name="c">Empty when there is no C; else C of <paramref name="cShape"/> (rank 0, 1 or 2), broadcastable to [M, N].</param>
    /// <param name="cShape">C's shape.</param>
    /// <param name="alpha">Multiplier of the product.</param>
    /// <param name="beta">Multiplier of C.</param>
    /// <param name="output">[M, N].</param>
    public static void Compute(ReadOnlySpan<float> a, ReadOnlySpan<int> aShape, bool aTranspose,
        ReadOnlySpan<float> b, ReadOnlySpan<int> bShape, bool bTranspose, PackedGemmB? packedB,
        ReadOnlySpan<float> c, ReadOnlySpan<int> cShape, float alpha, float beta, Span<float> output)
    {
        int m = aTranspose ? aShape[1] : aShape[0], k = aTranspose ? aShape[0] : aShape[1];
        int n = bTranspose ? bShape[0] : bShape[1];
        ReadOnlySpan<float> bias = default;
        float outputBeta = 0f;
        float[]? scaledC = null;
        if (!c.IsEmpty)
        {
            int cr = cShape.Length;
            int cRows = cr == 2 ? cShape[0] : 1, cCols = cr >= 1 ? cShape[cr - 1] : 1;
            if (cRows == 1 && cCols == n)
            {
                // One row of C for every row: added in the GEMM's store, as a bias.
                if (beta == 1f) bias = c.Slice(0, n);
                else
                {
                    scaledC = KernelScratch.Floats.Rent(n);
                    TensorPrimitives.Multiply(c.Slice(0, n), beta, scaledC.AsSpan(0, n));
                    bias = scaledC.AsSpan(0, n);
                }
            }
            else
            {
                for (int i = 0; i < m; i++)
                {
                    Span<float> row = output.Slice(i * n, n);
                    ReadOnlySpan<float> src = c.Slice((cRows == 1 ? 0 : i) * cCols, cCols);
                    if (cCols == 1) row.Fill(beta * src[0]);
                    else TensorPrimitives.Multiply(src, beta, row);
                }
                outputBeta = 1f;
            }
        }
        if (packedB != null) Gemm.Multiply(m, a, aShape[1], aTranspose, packedB, output, n, alpha, outputBeta, bias);
        else Gemm.Multiply(m, n, k, a, aShape[1], aTranspose, b, bShape[1], bTranspose, output, n, alpha, outputBeta, bias);
        if (scaledC != null) KernelScratch.Floats.Return(scaledC);
    }
}
