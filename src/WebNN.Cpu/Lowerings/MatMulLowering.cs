using System.Runtime.InteropServices;
using WebNN.Cpu.Kernels;
using WebNN.Graph;

namespace WebNN.Cpu.Lowerings;

/// <summary>matmul (batched, broadcast) and gemm on the packed GEMM kernel; constant right-hand matrices are packed once here.</summary>
internal static class MatMulLowering
{
    public static IEnumerable<KeyValuePair<string, CpuOperatorEntry>> Entries()
    {
        yield return new("matmul", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, Matmul));
        yield return new("gemm", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, Gemm));
    }

    private static CpuStep Matmul(MLOperator op, CpuLowering lowering)
    {
        var a = lowering.Value(op.Input("a")!);
        var b = lowering.Value(op.Input("b")!);
        var output = lowering.Value(op.Outputs[0]);
        int m = a.Shape[^2], k = a.Shape[^1], n = b.Shape[^1];
        var batchShape = output.Shape[..^2];
        int batches = (int)Shapes.ElementCount(batchShape);
        var aBatchStrides = BatchStrides(a.Shape[..^2], batchShape, m * k);
        var bBatchStrides = BatchStrides(b.Shape[..^2], batchShape, k * n);
        int packedLength = GemmKernel.PackedLength(k, n);
        int bMatrices = b.ElementCount / (k * n);
        var packed = new float[bMatrices * packedLength];
        bool constantB = lowering.ConstantBytes(b) is not null;
        if (constantB)
        {
            PackAll(MemoryMarshal.Cast<byte, float>(lowering.ConstantBytes(b).AsSpan(0, b.ByteLength)), bMatrices, k, n, packedLength, packed);
        }
        return new DelegateStep(run =>
        {
            if (!constantB)
            {
                PackAll(run.Floats(b), bMatrices, k, n, packedLength, packed);
            }
            var aValues = run.Floats(a);
            var outputValues = run.Floats(output);
            for (int batch = 0; batch < batches; batch++)
            {
                int aOffset = Offset(batch, batchShape, aBatchStrides);
                int bMatrix = Offset(batch, batchShape, bBatchStrides) / (k * n);
                GemmKernel.Multiply(aValues.Slice(aOffset, m * k), m, k, packed.AsSpan(bMatrix * packedLength, packedLength), n, [], outputValues.Slice(batch * m * n, m * n));
            }
        });
    }

    /// <summary>alpha · op(A) · op(B) + beta · C: A is transposed into a scratch buffer when asked; B packs either way.</summary>
    private static CpuStep Gemm(MLOperator op, CpuLowering lowering)
    {
        var attributes = op.AttributesAs<GemmAttributes>();
        var a = lowering.Value(op.Input("a")!);
        var b = lowering.Value(op.Input("b")!);
        CpuValue? c = op.Input("c") is { } cOperand ? lowering.Value(cOperand) : null;
        var output = lowering.Value(op.Outputs[0]);
        int m = output.Shape[0], n = output.Shape[1];
        int k = attributes.ATranspose ? a.Shape[0] : a.Shape[1];
        var packed = new float[GemmKernel.PackedLength(k, n)];
        bool constantB = lowering.ConstantBytes(b) is not null;
        if (constantB)
        {
            GemmKernel.PackB(MemoryMarshal.Cast<byte, float>(lowering.ConstantBytes(b).AsSpan(0, b.ByteLength)), k, n, attributes.BTranspose, packed);
        }
        CpuValue? transposedA = attributes.ATranspose ? lowering.Scratch(MLOperandDataType.Float32, [m, k]) : null;
        float alpha = (float)attributes.Alpha, beta = (float)attributes.Beta;
        var scaledC = c is { } cShape ? new float[cShape.ElementCount] : null;
        return new DelegateStep(run =>
        {
            if (!constantB)
            {
                GemmKernel.PackB(run.Floats(b), k, n, attributes.BTranspose, packed);
            }
            ReadOnlySpan<float> aValues = run.Floats(a);
            if (transposedA is { } scratch)
            {
                TransposeKernel.Run(aValues, a.Shape, [1, 0], run.Floats(scratch));
                aValues = run.Floats(scratch);
            }
            var y = run.Floats(output);
            GemmKernel.Multiply(aValues, m, k, packed, n, [], y);
            if (alpha != 1)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(y, alpha, y);
            }
            if (c is { } cValue && beta != 0)
            {
                // y += beta · C, with C broadcast to [M, N].
                System.Numerics.Tensors.TensorPrimitives.Multiply(run.Floats(cValue), beta, scaledC);
                BinaryKernel.Run(BinaryKind.Add, y, output.Shape, scaledC, cValue.Shape, y, output.Shape);
            }
        });
    }

    private static void PackAll(ReadOnlySpan<float> b, int matrices, int k, int n, int packedLength, Span<float> packed)
    {
        for (int i = 0; i < matrices; i++)
        {
            GemmKernel.PackB(b.Slice(i * k * n, k * n), k, n, transposed: false, packed.Slice(i * packedLength, packedLength));
        }
    }

    /// <summary>Element strides of an operand's batch dimensions aligned to the output's, 0 where broadcast.</summary>
    private static int[] BatchStrides(int[] batchShape, int[] outputBatchShape, int matrixSize)
    {
        var strides = BroadcastIndexer.BroadcastStrides(batchShape, outputBatchShape);
        for (int i = 0; i < strides.Length; i++)
        {
            strides[i] *= matrixSize;
        }
        return strides;
    }

    private static int Offset(int batch, int[] batchShape, int[] strides)
    {
        int offset = 0;
        for (int d = batchShape.Length - 1; d >= 0; d--)
        {
            offset += batch % batchShape[d] * strides[d];
            batch /= batchShape[d];
        }
        return offset;
    }
}
