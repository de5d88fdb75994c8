using WebNN.Cuda.Interop;
using WebNN.Graph;

namespace WebNN.Cuda.Kernels;

/// <summary>
/// matmul and gemm through cuBLAS (float16 on tensor cores, accumulating in float32). cuBLAS is column-major and a row-major matrix read column-major is its
/// transpose, so row-major C = A·B is computed as column-major Cᵀ = Bᵀ·Aᵀ: B is passed first, and a WebNN
/// transpose option becomes cuBLAS's op on that operand. Batches run as strided batched products: the batch
/// axes are merged where their strides allow, the innermost (merged) axis is cuBLAS's batch (stride 0 where
/// an operand is broadcast) and any outer axes become separate calls, their offsets fixed at build.
/// </summary>
internal static class CublasGemm
{
    public static void LowerMatmul(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var a = b.Value(op.Inputs[0].Operand);
        var bValue = b.Value(op.Inputs[1].Operand);
        var output = b.Value(op.Outputs[0]);
        int m = output.Shape[^2], n = output.Shape[^1], k = a.Shape[^1];
        int[] batch = output.Shape[..^2];
        b.Step(new GemmStep(a, bValue, output, m, n, k, transposeA: false, transposeB: false, alpha: 1, beta: 0,
            Batches(batch, BatchStrides(a.Shape[..^2], batch, (long)m * k), BatchStrides(bValue.Shape[..^2], batch, (long)k * n), (long)m * n)));
    }

    public static void LowerGemm(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var attributes = op.AttributesAs<GemmAttributes>();
        var a = b.Value(op.Input("a")!);
        var bValue = b.Value(op.Input("b")!);
        var output = b.Value(op.Outputs[0]);
        int m = output.Shape[0], n = output.Shape[1];
        int k = attributes.ATranspose ? a.Shape[0] : a.Shape[1];
        double beta = 0;
        if (op.Input("c") is { } cOperand)
        {
            // C broadcast into the output first; cuBLAS then adds the product to beta times it.
            ElementwiseKernels.Add(b, output.Shape, StridedAccess.Contiguous(output), [StridedAccess.Broadcast(b.Value(cOperand), output.Shape)], "y = x0;");
            beta = attributes.Beta;
        }
        b.Step(new GemmStep(a, bValue, output, m, n, k, attributes.ATranspose, attributes.BTranspose, attributes.Alpha, beta, [new Batch(0, 0, 0, 0, 0, 0, 1)]));
    }

    /// <summary>
    /// C (m × n, contiguous) = A (m × k, from element <paramref name="offsetA"/>) · Bᵀ (B n × k, from element <paramref name="offsetB"/>)
    /// + <paramref name="beta"/> · C: a step of a larger lowering (the recurrent networks' products with their weights).
    /// </summary>
    public static void ProductWithTransposed(CudaGraph.CudaGraphBuilder b, CudaValue a, long offsetA, CudaValue bValue, long offsetB, CudaValue c, int m, int n, int k, double beta) =>
        b.Step(new GemmStep(a, bValue, c, m, n, k, transposeA: false, transposeB: true, alpha: 1, beta, [new Batch(offsetA, offsetB, 0, 0, 0, 0, 1)]));

    /// <summary>One strided batched call: element offsets of A, B and C, their batch strides, and the batch count.</summary>
    internal readonly record struct Batch(long OffsetA, long OffsetB, long OffsetC, long StrideA, long StrideB, long StrideC, int Count);

    /// <summary>An operand's element stride along each output batch axis: 0 where it is broadcast (absent or of size 1).</summary>
    internal static long[] BatchStrides(int[] operandBatch, int[] batch, long matrixSize)
    {
        var strides = new long[batch.Length];
        long stride = matrixSize;
        for (int d = batch.Length - 1, e = operandBatch.Length - 1; d >= 0; d--, e--)
        {
            if (e >= 0 && operandBatch[e] != 1)
            {
                strides[d] = stride;
                stride *= operandBatch[e];
            }
        }
        return strides;
    }

    /// <summary>
    /// The calls that cover every batch: adjacent axes merge when each operand's strides continue across them,
    /// the innermost merged axis is each call's batch, and the outer axes enumerate the calls.
    /// </summary>
    internal static Batch[] Batches(int[] batch, long[] stridesA, long[] stridesB, long matrixC)
    {
        var stridesC = BatchStrides(batch, batch, matrixC);
        var axes = new List<(long Size, long A, long B, long C)>();
        for (int d = 0; d < batch.Length; d++)
        {
            if (batch[d] == 1)
            {
                continue;
            }
            if (axes.Count > 0 && axes[^1] is var last && last.A == stridesA[d] * batch[d] && last.B == stridesB[d] * batch[d] && last.C == stridesC[d] * batch[d])
            {
                axes[^1] = (last.Size * batch[d], stridesA[d], stridesB[d], stridesC[d]);
            }
            else
            {
                axes.Add((batch[d], stridesA[d], stridesB[d], stridesC[d]));
            }
        }
        if (axes.Count == 0)
        {
            return [new Batch(0, 0, 0, 0, 0, 0, 1)];
        }
        var inner = axes[^1];
        var calls = new List<Batch> { new(0, 0, 0, inner.A, inner.B, inner.C, (int)inner.Size) };
        foreach (var outer in axes.Take(axes.Count - 1).Reverse())
        {
            calls = [.. Enumerable.Range(0, (int)outer.Size).SelectMany(i => calls.Select(c =>
                c with { OffsetA = c.OffsetA + i * outer.A, OffsetB = c.OffsetB + i * outer.B, OffsetC = c.OffsetC + i * outer.C }))];
        }
        return [.. calls];
    }

    private sealed class GemmStep(CudaValue a, CudaValue b, CudaValue c, int m, int n, int k, bool transposeA, bool transposeB, double alpha, double beta, Batch[] batches) : CudaStep
    {
        public override unsafe void Run(CudaRun run)
        {
            float alphaValue = (float)alpha, betaValue = (float)beta;
            ulong pointerA = run.Pointer(a), pointerB = run.Pointer(b), pointerC = run.Pointer(c);
            long elementSize = c.DataType.ByteSize();
            // float16 on tensor cores accumulating in float32; float32 in float32, or in TF32 where the context allows it.
            int dataType = c.DataType == MLOperandDataType.Float16 ? Cublas.DataFloat16 : Cublas.DataFloat32;
            int computeType = c.DataType == MLOperandDataType.Float32 && run.Context.AllowTf32 ? Cublas.Compute32FFastTf32 : Cublas.Compute32F;
            // Column-major Cᵀ (n × m) = op(Bᵀ) (n × k) · op(Aᵀ) (k × m); a row-major matrix's leading dimension is its row length.
            int leadingB = transposeB ? k : n;
            int leadingA = transposeA ? m : k;
            foreach (var batch in batches)
            {
                Cublas.Check(Cublas.cublasGemmStridedBatchedEx(run.Context.CublasHandle,
                    transposeB ? Cublas.OpT : Cublas.OpN, transposeA ? Cublas.OpT : Cublas.OpN, n, m, k, &alphaValue,
                    pointerB + (ulong)(batch.OffsetB * elementSize), dataType, leadingB, batch.StrideB,
                    pointerA + (ulong)(batch.OffsetA * elementSize), dataType, leadingA, batch.StrideA, &betaValue,
                    pointerC + (ulong)(batch.OffsetC * elementSize), dataType, n, batch.StrideC, batch.Count, computeType, Cublas.GemmDefault), "cublasGemmStridedBatchedEx");
            }
        }
    }
}
