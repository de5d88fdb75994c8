using WebNN.Cpu.Kernels;
using WebNN.Graph;

namespace WebNN.Cpu.Lowerings;

/// <summary>matmul (batched, broadcast) and gemm on the packed GEMM kernel.</summary>
internal static class MatMulLowering
{
    public static IEnumerable<KeyValuePair<string, CpuOperatorEntry>> Entries()
    {
        yield return new("matmul", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, Matmul));
        yield return new("gemm", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, GemmStep));
    }

    private static CpuStep Matmul(MLOperator op, CpuLowering lowering)
    {
        var a = lowering.Value(op.Input("a")!);
        var b = lowering.Value(op.Input("b")!);
        var output = lowering.Value(op.Outputs[0]);
        // A constant 2-D b is packed here, once.
        var packedB = b.Shape.Length == 2 && lowering.ConstantFloats(op.Input("b")!) is { } constant
            ? new PackedGemmB(constant, b.Shape[0], b.Shape[1], b.Shape[1], transB: false)
            : null;
        return new DelegateStep(run => MatMul.Compute(run.Floats(a), a.Shape, run.Floats(b), b.Shape, run.Floats(output), output.Shape, packedB));
    }

    private static CpuStep GemmStep(MLOperator op, CpuLowering lowering)
    {
        var attributes = op.AttributesAs<GemmAttributes>();
        var a = lowering.Value(op.Input("a")!);
        var b = lowering.Value(op.Input("b")!);
        CpuValue? c = op.Input("c") is { } cOperand ? lowering.Value(cOperand) : null;
        var output = lowering.Value(op.Outputs[0]);
        float alpha = (float)attributes.Alpha, beta = (float)attributes.Beta;
        // A constant B is packed here, once.
        bool bTranspose = attributes.BTranspose;
        var packedB = lowering.ConstantFloats(op.Input("b")!) is { } constant
            ? new PackedGemmB(constant, bTranspose ? b.Shape[1] : b.Shape[0], bTranspose ? b.Shape[0] : b.Shape[1], b.Shape[1], bTranspose)
            : null;
        return new DelegateStep(run => GemmOp.Compute(run.Floats(a), a.Shape, attributes.ATranspose, run.Floats(b), b.Shape, bTranspose, packedB,
            c is { } cValue ? run.Floats(cValue) : [], c?.Shape ?? [], alpha, beta, run.Floats(output)));
    }
}
