using WebNN.Graph;

namespace WebNN.WebGpu.Kernels;

/// <summary>The ten reductions, one invocation per output element, accumulating in float32.</summary>
internal static class ReductionKernels
{
    /// <summary>
    /// max and min that return NaN when either operand is NaN, as the CPU backend does (WGSL leaves max and
    /// min of NaN to the implementation). NaN is recognised by its bits, which no float optimisation can fold.
    /// </summary>
    public const string NanPropagatingMinMax = """
        fn is_nan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }

        fn max_nan(a: f32, b: f32) -> f32 { return select(select(max(a, b), b, is_nan(b)), a, is_nan(a)); }

        fn min_nan(a: f32, b: f32) -> f32 { return select(select(min(a, b), b, is_nan(b)), a, is_nan(a)); }

        """;

    /// <summary>
    /// A reduction: <paramref name="Accumulate"/> folds each element <c>v</c> into <c>acc</c> (starting at
    /// <paramref name="Initial"/>), then <paramref name="Finish"/> turns <c>acc</c> and the element count
    /// <c>count</c> into the result. With <paramref name="SubtractsLargest"/> the kernel first finds the
    /// largest element, <c>largest</c>, for both expressions to use.
    /// </summary>
    private sealed record Reduction(float Initial, string Accumulate, string Finish, bool SubtractsLargest = false);

    private static readonly (string Name, Reduction Reduction)[] Reductions =
    [
        ("reduceL1", new(0, "acc + abs(v)", "acc")),
        ("reduceL2", new(0, "acc + v * v", "sqrt(acc)")),
        ("reduceLogSum", new(0, "acc + v", "log(acc)")),
        // As on the CPU, a set whose largest element is −∞ (recognised by its bits) gives −∞.
        ("reduceLogSumExp", new(0, "acc + exp(v - largest)", "select(largest + log(acc), largest, bitcast<u32>(largest) == 0xff800000u)", SubtractsLargest: true)),
        ("reduceMax", new(float.NegativeInfinity, "max_nan(acc, v)", "acc")),
        ("reduceMean", new(0, "acc + v", "acc / f32(count)")),
        ("reduceMin", new(float.PositiveInfinity, "min_nan(acc, v)", "acc")),
        ("reduceProduct", new(1, "acc * v", "acc")),
        ("reduceSum", new(0, "acc + v", "acc")),
        ("reduceSumSquare", new(0, "acc + v * v", "acc")),
    ];

    public static IEnumerable<KeyValuePair<string, GpuOperator>> Operators()
    {
        foreach (var (name, reduction) in Reductions)
        {
            yield return new(name, GpuOperator.Single(WebGpuOperators.Floats, (op, b) => Reduce(op, b, reduction)));
        }
    }

    /// <summary>Parameters: the <see cref="ReducedAxes"/> words of the input split by the axes, then [initial].</summary>
    private static GpuKernel Reduce(MLOperator op, KernelBuilder b, Reduction reduction)
    {
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        var parameters = ReducedAxes.Parameters(input.Shape, op.AttributesAs<ReduceAttributes>().Axes, [KernelBuilder.Bits(reduction.Initial)]);
        var (x, y) = KernelBuilder.Workgroups(output.ElementCount, 256);
        return b.Kernel(op.Name, Wgsl(reduction), parameters, [input, output], x, y);
    }

    // The set is never empty (no dimension is 0), and reduced index 0 is at the base.
    private const string LargestLoop = "var largest = x[base]; for (var j = 1u; j < count; j++) { largest = max_nan(largest, x[base + reduced_offset(j)]); }";

    private static string Wgsl(Reduction reduction) => WgslKernels.Header + ReducedAxes.Wgsl + NanPropagatingMinMax + $$"""
        @group(0) @binding(1) var<storage, read> x: array<f32>;
        @group(0) @binding(2) var<storage, read_write> y: array<f32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let o = invocation(g, n);
            if (o >= p[0]) { return; }
            let count = p[1];
            let base = kept_offset(o);
            {{(reduction.SubtractsLargest ? LargestLoop : "")}}
            var acc = bitcast<f32>(p[36]);
            for (var j = 0u; j < count; j++) {
                let v = x[base + reduced_offset(j)];
                acc = {{reduction.Accumulate}};
            }
            y[o] = {{reduction.Finish}};
        }
        """;
}
