using WebNN.Graph;

namespace WebNN.WebGpu.Kernels;

/// <summary>
/// argMin, argMax and cumulativeSum: operations along one axis of a tensor seen as [outer, axis, inner], one
/// invocation per line along the axis, as the CPU computes them (WebNN.Cpu.Kernels.AxisKernels).
/// </summary>
internal static class AxisKernels
{
    public static IEnumerable<KeyValuePair<string, GpuOperator>> Operators()
    {
        yield return new("argMin", ArgMinMax(max: false));
        yield return new("argMax", ArgMinMax(max: true));
        yield return new("cumulativeSum", GpuOperator.Single(WebGpuOperators.FloatsAndIntegers, CumulativeSum));
    }

    private static GpuOperator ArgMinMax(bool max) => GpuOperator.Single(HeldDataTypes.All, (op, b) => ArgMinMax(op, b, max)) with
    {
        ArgumentDataTypes = new Dictionary<string, MLOperandDataType[]> { ["output"] = [MLOperandDataType.Int32, MLOperandDataType.Int64] },
    };

    /// <summary>The words [lines (outer × inner), axis size, inner] of the input split at <paramref name="axis"/>.</summary>
    private static uint[] Lines(int[] shape, int axis)
    {
        uint inner = (uint)Shapes.ElementCount(shape.AsSpan(axis + 1));
        return [(uint)Shapes.ElementCount(shape.AsSpan(0, axis)) * inner, (uint)shape[axis], inner];
    }

    /// <summary>Parameters: the <see cref="Lines"/> words, then [words per index: 1 for int32, 2 for int64].</summary>
    private static GpuKernel ArgMinMax(MLOperator op, KernelBuilder b, bool max)
    {
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        uint[] parameters = [.. Lines(input.Shape, op.AttributesAs<ArgMinMaxAttributes>().Axis), output.DataType == MLOperandDataType.Int64 ? 2u : 1u];
        return b.Kernel(op.Name, ArgMinMaxWgsl(HeldDataTypes.Scalar(input.DataType), input.DataType.IsFloatingPoint(), max ? ">" : "<"), parameters, [input, output], parameters[0]);
    }

    /// <summary>
    /// The index of the first extreme along the axis: a later element replaces the best only when strictly
    /// better (<paramref name="better"/>), and the first NaN wins and ends the search (NaN is the extreme, as reduceMax
    /// and reduceMin propagate it). int64 indices are written as two words, low first (high 0: indices are not negative).
    /// </summary>
    private static string ArgMinMaxWgsl(string scalar, bool floats, string better) => WgslKernels.Header + $$"""
        @group(0) @binding(1) var<storage, read> x: array<u32>;
        @group(0) @binding(2) var<storage, read_write> y: array<u32>;

        fn element(k: u32) -> {{scalar}} { return bitcast<{{scalar}}>(x[k]); }

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let t = invocation(g, n);
            if (t >= p[0]) { return; }
            let size = p[1];
            let inner = p[2];
            let start = (t / inner) * size * inner + t % inner;
            var best = element(start);
            var bestIndex = 0u;
            for (var k = 1u; k < size{{(floats ? " && !is_nan(best)" : "")}}; k++) {
                let v = element(start + k * inner);
                if ({{(floats ? "is_nan(v) || " : "")}}v {{better}} best) {
                    best = v;
                    bestIndex = k;
                }
            }
            let words = p[3];
            y[t * words] = bestIndex;
            if (words == 2u) { y[t * words + 1u] = 0u; }
        }
        """;

    /// <summary>Parameters: the <see cref="Lines"/> words, then [exclusive, reversed].</summary>
    private static GpuKernel CumulativeSum(MLOperator op, KernelBuilder b)
    {
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        var attributes = op.AttributesAs<CumulativeSumAttributes>();
        uint[] parameters = [.. Lines(input.Shape, attributes.Axis), attributes.Exclusive ? 1u : 0u, attributes.Reversed ? 1u : 0u];
        return b.Kernel(op.Name, CumulativeSumWgsl(HeldDataTypes.Scalar(input.DataType)), parameters, [input, output], parameters[0]);
    }

    /// <summary>
    /// Running sums along the axis in the element's type (integers wrap), from the first element or (reversed)
    /// from the last, each including its own element or (exclusive) only those before it.
    /// </summary>
    private static string CumulativeSumWgsl(string scalar) => WgslKernels.Header + $$"""
        @group(0) @binding(1) var<storage, read> x: array<u32>;
        @group(0) @binding(2) var<storage, read_write> y: array<u32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let t = invocation(g, n);
            if (t >= p[0]) { return; }
            let size = p[1];
            let inner = p[2];
            let exclusive = p[3] != 0u;
            let reversed = p[4] != 0u;
            let start = (t / inner) * size * inner + t % inner;
            var sum: {{scalar}} = 0;
            for (var k = 0u; k < size; k++) {
                let position = start + select(k, size - 1u - k, reversed) * inner;
                let v = bitcast<{{scalar}}>(x[position]);
                if (exclusive) {
                    y[position] = bitcast<u32>(sum);
                    sum += v;
                } else {
                    sum += v;
                    y[position] = bitcast<u32>(sum);
                }
            }
        }
        """;
}
