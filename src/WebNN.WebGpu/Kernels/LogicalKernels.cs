using WebNN.Graph;

namespace WebNN.WebGpu.Kernels;

/// <summary>
/// The comparisons, logical operators, isNaN and isInfinite (uint8 results of 0 or 1, held as u32), and where, as the
/// CPU computes them: a comparison with NaN is false (so notEqual is true), any non-zero uint8 is true.
/// </summary>
internal static class LogicalKernels
{
    private static readonly MLOperandDataType[] Uint8 = [MLOperandDataType.Uint8];

    /// <summary>Each comparison: the relation, and whether the result is its negation (notEqual is "not ==", true with NaN).</summary>
    private static readonly (string Name, string Relation, bool Negated)[] Comparisons =
    [
        ("equal", "==", false), ("notEqual", "==", true), ("greater", ">", false),
        ("greaterOrEqual", ">=", false), ("lesser", "<", false), ("lesserOrEqual", "<=", false),
    ];

    public static IEnumerable<KeyValuePair<string, GpuOperator>> Operators()
    {
        foreach (var (name, relation, negated) in Comparisons)
        {
            yield return new(name, GpuOperator.Single(HeldDataTypes.All,
                (op, b) => WebGpuOperators.Binary(op, b, Comparison(relation, negated, op.Inputs[0].Operand.DataType.IsFloatingPoint()))));
        }
        yield return new("logicalAnd", GpuOperator.Single(Uint8, (op, b) => WebGpuOperators.Binary(op, b, Boolean("x != 0u && z != 0u"))));
        yield return new("logicalOr", GpuOperator.Single(Uint8, (op, b) => WebGpuOperators.Binary(op, b, Boolean("x != 0u || z != 0u"))));
        yield return new("logicalXor", GpuOperator.Single(Uint8, (op, b) => WebGpuOperators.Binary(op, b, Boolean("(x != 0u) != (z != 0u)"))));
        yield return new("logicalNot", GpuOperator.Single(Uint8, (op, b) => WebGpuOperators.Unary(op, b, Boolean("v == 0u"))));
        yield return new("isNaN", GpuOperator.Single(WebGpuOperators.Floats, (op, b) => WebGpuOperators.Unary(op, b, Boolean("is_nan(v)"))));
        yield return new("isInfinite", GpuOperator.Single(WebGpuOperators.Floats, (op, b) => WebGpuOperators.Unary(op, b, Boolean("(bitcast<u32>(v) & 0x7fffffffu) == 0x7f800000u"))));
        yield return new("where", GpuOperator.Single(HeldDataTypes.All, Where));
    }

    /// <summary>The uint8 (held as u32) 0 or 1 of a WGSL condition.</summary>
    private static string Boolean(string condition) => $"select(0u, 1u, {condition})";

    /// <summary>x relation z, false where either float is NaN (tested on the bits: WGSL lets implementations assume no NaN); negated for notEqual.</summary>
    private static string Comparison(string relation, bool negated, bool floats)
    {
        string condition = floats ? $"!is_nan(x) && !is_nan(z) && x {relation} z" : $"x {relation} z";
        return negated ? $"select(1u, 0u, {condition})" : Boolean(condition);
    }

    /// <summary>where: each output word from trueValue where the broadcast condition is non-zero, else from falseValue.</summary>
    private static GpuKernel Where(MLOperator op, KernelBuilder b)
    {
        var condition = b.Value(op.Input("condition")!);
        var whenTrue = b.Value(op.Input("trueValue")!);
        var whenFalse = b.Value(op.Input("falseValue")!);
        var output = b.Value(op.Outputs[0]);
        var parameters = new uint[2 + 4 * WebGpuOperators.MaxRank];
        (parameters[0], parameters[1]) = ((uint)output.ElementCount, (uint)output.Shape.Length);
        for (int d = 0; d < output.Shape.Length; d++)
        {
            parameters[2 + d] = (uint)output.Shape[d];
        }
        WebGpuOperators.WriteBroadcastStrides(condition.Shape, output.Shape, parameters.AsSpan(10, 8));
        WebGpuOperators.WriteBroadcastStrides(whenTrue.Shape, output.Shape, parameters.AsSpan(18, 8));
        WebGpuOperators.WriteBroadcastStrides(whenFalse.Shape, output.Shape, parameters.AsSpan(26, 8));
        return b.Kernel(op.Name, WhereWgsl, parameters, [condition, whenTrue, whenFalse, output], output.ElementCount);
    }

    /// <summary>Parameters: [count, rank, outShape[8], conditionStrides[8], trueStrides[8], falseStrides[8]], strides 0 along broadcast dimensions.</summary>
    private const string WhereWgsl = WgslKernels.Header + """
        @group(0) @binding(1) var<storage, read> condition: array<u32>;
        @group(0) @binding(2) var<storage, read> whenTrue: array<u32>;
        @group(0) @binding(3) var<storage, read> whenFalse: array<u32>;
        @group(0) @binding(4) var<storage, read_write> y: array<u32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let i = invocation(g, n);
            if (i >= p[0]) { return; }
            let rank = p[1];
            let chosen = condition[strided_offset(i, rank, 2u, 10u)] != 0u;
            y[i] = select(whenFalse[strided_offset(i, rank, 2u, 26u)], whenTrue[strided_offset(i, rank, 2u, 18u)], chosen);
        }
        """;
}
