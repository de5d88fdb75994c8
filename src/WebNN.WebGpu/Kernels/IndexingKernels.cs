using WebNN.Graph;

namespace WebNN.WebGpu.Kernels;

/// <summary>
/// reverse, tile and triangular: kernels over 32-bit words, so one serves every type held in words, as the CPU
/// computes them (WebNN.Cpu.Kernels.IndexingKernels).
/// </summary>
internal static class IndexingKernels
{
    private const int MaxRank = WebGpuOperators.MaxRank;

    public static IEnumerable<KeyValuePair<string, GpuOperator>> Operators()
    {
        yield return new("reverse", GpuOperator.Single(HeldDataTypes.All, Reverse));
        yield return new("tile", GpuOperator.Single(HeldDataTypes.All, Tile));
        yield return new("triangular", GpuOperator.Single(HeldDataTypes.All, Triangular));
    }

    /// <summary>reverse: a strided copy that starts at the last element along each reversed axis and walks it backwards (u32 offsets wrap, so negative strides add up exactly).</summary>
    private static GpuKernel Reverse(MLOperator op, KernelBuilder b)
    {
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        var axes = op.AttributesAs<ReverseAttributes>().Axes;
        var strides = Shapes.Strides(input.Shape);
        var sourceStrides = (int[])strides.Clone();
        int start = 0;
        foreach (int axis in axes)
        {
            start += (input.Shape[axis] - 1) * strides[axis];
            sourceStrides[axis] = -strides[axis];
        }
        return DataMovementKernels.StridedCopy(b, op.Name, input, start, sourceStrides, output, 0, strides, output.Shape);
    }

    /// <summary>tile: output[i] = input[i mod shape] along every axis. Parameters: [count, rank, outShape[8], inShape[8], inStrides[8]].</summary>
    private static GpuKernel Tile(MLOperator op, KernelBuilder b)
    {
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        var strides = Shapes.Strides(input.Shape);
        var parameters = new uint[2 + 3 * MaxRank];
        (parameters[0], parameters[1]) = ((uint)output.ElementCount, (uint)output.Shape.Length);
        for (int d = 0; d < output.Shape.Length; d++)
        {
            parameters[2 + d] = (uint)output.Shape[d];
            parameters[2 + MaxRank + d] = (uint)input.Shape[d];
            parameters[2 + 2 * MaxRank + d] = (uint)strides[d];
        }
        return b.Kernel(op.Name, TileWgsl, parameters, [input, output], output.ElementCount);
    }

    /// <summary>triangular: Parameters: [count, rows, columns, upper, diagonal (i32)].</summary>
    private static GpuKernel Triangular(MLOperator op, KernelBuilder b)
    {
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        var attributes = op.AttributesAs<TriangularAttributes>();
        uint[] parameters = [(uint)output.ElementCount, (uint)input.Shape[^2], (uint)input.Shape[^1], attributes.Upper ? 1u : 0u, (uint)attributes.Diagonal];
        return b.Kernel(op.Name, TriangularWgsl, parameters, [input, output], output.ElementCount);
    }

    private const string TileWgsl = WgslKernels.Header + """
        @group(0) @binding(1) var<storage, read> x: array<u32>;
        @group(0) @binding(2) var<storage, read_write> y: array<u32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let i = invocation(g, n);
            if (i >= p[0]) { return; }
            var rest = i;
            var source = 0u;
            for (var d = i32(p[1]) - 1; d >= 0; d--) {
                let k = u32(d);
                let size = p[2u + k];
                source += (rest % size) % p[10u + k] * p[18u + k];
                rest = rest / size;
            }
            y[i] = x[source];
        }
        """;

    /// <summary>
    /// Keeps, in each matrix of the last two dimensions, the elements with column − row ≥ diagonal (upper) or
    /// column − row ≤ diagonal (lower); the rest become the word 0, which is zero in every type.
    /// </summary>
    private const string TriangularWgsl = WgslKernels.Header + """
        @group(0) @binding(1) var<storage, read> x: array<u32>;
        @group(0) @binding(2) var<storage, read_write> y: array<u32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let i = invocation(g, n);
            if (i >= p[0]) { return; }
            let columns = p[2];
            let offset = i32(i % columns) - i32((i / columns) % p[1]);
            let diagonal = bitcast<i32>(p[4]);
            let kept = select(offset <= diagonal, offset >= diagonal, p[3] != 0u);
            y[i] = select(0u, x[i], kept);
        }
        """;
}
