using WebNN.Graph;

namespace WebNN.WebGpu.Kernels;

/// <summary>
/// The ten reductions, one invocation per output element, accumulating in float32 (float32 and float16) or in the
/// integer type (int32 and uint32, wrapping on overflow as the CPU does) for the six the spec allows on integers.
/// </summary>
internal static class ReductionKernels
{
    /// <summary>
    /// max and min that return NaN when either operand is NaN, as the CPU backend does (WGSL leaves max and
    /// min of NaN to the implementation).
    /// </summary>
    public const string NanPropagatingMinMax = """
        fn max_nan(a: f32, b: f32) -> f32 { return select(select(max(a, b), b, is_nan(b)), a, is_nan(a)); }

        fn min_nan(a: f32, b: f32) -> f32 { return select(select(min(a, b), b, is_nan(b)), a, is_nan(a)); }

        """;

    /// <summary>
    /// A reduction: <paramref name="Accumulate"/> folds each element <c>v</c> into <c>acc</c> (starting at
    /// <paramref name="Initial"/>), then <paramref name="Finish"/> turns <c>acc</c> and the element count
    /// <c>count</c> into the result. With <paramref name="SubtractsLargest"/> the kernel first finds the
    /// largest element, <c>largest</c>, for both expressions to use. <paramref name="IntegerAccumulate"/> folds
    /// integers (whose result is <c>acc</c>); null where the spec allows floats only. <paramref name="Initial"/> is cast to
    /// the type with saturation, so ±∞ starts integer maxima and minima at the type's minimum and maximum.
    /// </summary>
    private sealed record Reduction(double Initial, string Accumulate, string Finish, bool SubtractsLargest = false, string? IntegerAccumulate = null);

    private static readonly (string Name, Reduction Reduction)[] Reductions =
    [
        ("reduceL1", new(0, "acc + abs(v)", "acc", IntegerAccumulate: "acc + abs(v)")),
        ("reduceL2", new(0, "acc + v * v", "sqrt(acc)")),
        ("reduceLogSum", new(0, "acc + v", "log(acc)")),
        // As on the CPU, a set whose largest element is −∞ (recognised by its bits) gives −∞.
        ("reduceLogSumExp", new(0, "acc + exp(v - largest)", "select(largest + log(acc), largest, bitcast<u32>(largest) == 0xff800000u)", SubtractsLargest: true)),
        ("reduceMax", new(double.NegativeInfinity, "max_nan(acc, v)", "acc", IntegerAccumulate: "max(acc, v)")),
        ("reduceMean", new(0, "acc + v", "acc / f32(count)")),
        ("reduceMin", new(double.PositiveInfinity, "min_nan(acc, v)", "acc", IntegerAccumulate: "min(acc, v)")),
        ("reduceProduct", new(1, "acc * v", "acc", IntegerAccumulate: "acc * v")),
        ("reduceSum", new(0, "acc + v", "acc", IntegerAccumulate: "acc + v")),
        ("reduceSumSquare", new(0, "acc + v * v", "acc", IntegerAccumulate: "acc + v * v")),
    ];

    public static IEnumerable<KeyValuePair<string, GpuOperator>> Operators()
    {
        foreach (var (name, reduction) in Reductions)
        {
            yield return new(name, GpuOperator.Single(reduction.IntegerAccumulate is null ? WebGpuOperators.Floats : WebGpuOperators.FloatsAndWrappedIntegers,
                (op, b) => Reduce(op, b, reduction)));
        }
    }

    /// <summary>Parameters: the <see cref="ReducedAxes"/> words of the input split by the axes, then [initial].</summary>
    private static GpuKernel Reduce(MLOperator op, KernelBuilder b, Reduction reduction)
    {
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        var parameters = ReducedAxes.Parameters(input.Shape, op.AttributesAs<ReduceAttributes>().Axes, [HeldDataTypes.Word(reduction.Initial, input.DataType)]);
        var wgsl = input.DataType.IsFloatingPoint()
            ? Wgsl("f32", reduction.Accumulate, reduction.Finish, reduction.SubtractsLargest)
            : Wgsl(HeldDataTypes.Scalar(input.DataType), reduction.IntegerAccumulate!, WgslKernels.Wrapped("acc", input.DataType), subtractsLargest: false);
        return b.Kernel(op.Name, wgsl, parameters, [input, output], output.ElementCount);
    }

    // The set is never empty (no dimension is 0), and reduced index 0 is at the base.
    private const string LargestLoop = "var largest = element(base); for (var j = 1u; j < count; j++) { largest = max_nan(largest, element(base + reduced_offset(j))); }";

    private static string Wgsl(string scalar, string accumulate, string finish, bool subtractsLargest) => WgslKernels.Header + ReducedAxes.Wgsl + NanPropagatingMinMax + $$"""
        @group(0) @binding(1) var<storage, read> x: array<u32>;
        @group(0) @binding(2) var<storage, read_write> y: array<u32>;

        fn element(k: u32) -> {{scalar}} { return bitcast<{{scalar}}>(x[k]); }

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let o = invocation(g, n);
            if (o >= p[0]) { return; }
            let count = p[1];
            let base = kept_offset(o);
            {{(subtractsLargest ? LargestLoop : "")}}
            var acc = bitcast<{{scalar}}>(p[36]);
            for (var j = 0u; j < count; j++) {
                let v = element(base + reduced_offset(j));
                acc = {{accumulate}};
            }
            y[o] = bitcast<u32>({{finish}});
        }
        """;
}
