using WebNN.Graph;

namespace WebNN.WebGpu.Kernels;

/// <summary>gemm: alpha · op(A) · op(B) + beta · C, with C (when given) broadcast to the output.</summary>
internal static class GemmKernels
{
    public static IEnumerable<KeyValuePair<string, GpuOperator>> Operators()
    {
        yield return new("gemm", GpuOperator.Single(WebGpuOperators.Floats, Gemm));
    }

    private static GpuKernel Gemm(MLOperator op, KernelBuilder b)
    {
        var attributes = op.AttributesAs<GemmAttributes>();
        var a = b.Value(op.Input("a")!);
        var bValue = b.Value(op.Input("b")!);
        var c = op.Input("c") is { } cOperand ? b.Value(cOperand) : null;
        var output = b.Value(op.Outputs[0]);
        int m = output.Shape[0], n = output.Shape[1];
        int k = attributes.ATranspose ? a.Shape[0] : a.Shape[1];
        var cStrides = new uint[2];
        if (c is not null)
        {
            WebGpuOperators.WriteBroadcastStrides(c.Shape, output.Shape, cStrides);
        }
        uint[] parameters =
        [
            (uint)m, (uint)n, (uint)k, attributes.ATranspose ? 1u : 0u, attributes.BTranspose ? 1u : 0u,
            KernelBuilder.Bits((float)attributes.Alpha), KernelBuilder.Bits((float)attributes.Beta), c is null ? 0u : 1u, cStrides[0], cStrides[1],
        ];
        // Without C, A stands in at C's binding (never read).
        return b.Kernel("gemm", Wgsl, parameters, [a, bValue, c ?? a, output], output.ElementCount);
    }

    /// <summary>
    /// One output element per invocation. Parameters: [M, N, K, aTranspose, bTranspose, alpha, beta, hasC,
    /// cRowStride, cColumnStride] (C's strides 0 along broadcast dimensions).
    /// </summary>
    private const string Wgsl = WgslKernels.Header + """
        @group(0) @binding(1) var<storage, read> a: array<f32>;
        @group(0) @binding(2) var<storage, read> b: array<f32>;
        @group(0) @binding(3) var<storage, read> c: array<f32>;
        @group(0) @binding(4) var<storage, read_write> y: array<f32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let t = invocation(g, n);
            let m = p[0]; let cols = p[1]; let k = p[2];
            if (t >= m * cols) { return; }
            let i = t % cols;
            let row = t / cols;
            // op(A)[row, q] and op(B)[q, i] as offsets: a base and a step along q.
            let aBase = select(row * k, row, p[3] != 0u);
            let aStep = select(1u, m, p[3] != 0u);
            let bBase = select(i, i * k, p[4] != 0u);
            let bStep = select(cols, 1u, p[4] != 0u);
            var acc = 0.0;
            for (var q = 0u; q < k; q++) {
                acc += a[aBase + q * aStep] * b[bBase + q * bStep];
            }
            var result = bitcast<f32>(p[5]) * acc;
            if (p[7] != 0u) { result += bitcast<f32>(p[6]) * c[row * p[8] + i * p[9]]; }
            y[t] = result;
        }
        """;
}
