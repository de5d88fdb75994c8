using WebNN.Graph;

namespace WebNN.WebGpu.Kernels;

/// <summary>
/// resample2d on float32, float16 (held as f32), int8 and uint8 (held in words), on any two axes. Where each output
/// coordinate samples comes from <see cref="Resample2dAttributes.Samples"/>, the tables the CPU uses, so nearest-neighbor
/// picks the same elements; linear interpolates in f32 with the weights rounded to f32 in the CPU's order of operations, and
/// rounds integers half to even, as the CPU does.
/// </summary>
internal static class Resample2dKernels
{
    public static IEnumerable<KeyValuePair<string, GpuOperator>> Operators()
    {
        yield return new("resample2d", GpuOperator.Single([.. WebGpuOperators.Floats, MLOperandDataType.Int8, MLOperandDataType.Uint8], Resample2d));
    }

    /// <summary>
    /// Parameters: [count, linear, axis0, axis1, outputShape[4], inputStrides[4], then per output coordinate of axis0
    /// and then of axis1 its (low, high, weight bits)].
    /// </summary>
    private static GpuKernel Resample2d(MLOperator op, KernelBuilder b)
    {
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        var attributes = op.AttributesAs<Resample2dAttributes>();
        var axes = attributes.Axes;
        var inputStrides = Shapes.Strides(input.Shape);
        var parameters = new List<uint>
        {
            (uint)output.ElementCount, attributes.Mode == MLInterpolationMode.Linear ? 1u : 0u, (uint)axes[0], (uint)axes[1],
        };
        parameters.AddRange(output.Shape.Select(size => (uint)size));
        parameters.AddRange(inputStrides.Select(stride => (uint)stride));
        for (int i = 0; i < 2; i++)
        {
            foreach (var sample in attributes.Samples(i, input.Shape[axes[i]], output.Shape[axes[i]]))
            {
                parameters.AddRange([(uint)sample.Low, (uint)sample.High, KernelBuilder.Bits((float)sample.Weight)]);
            }
        }
        var scalar = HeldDataTypes.Scalar(input.DataType);
        return b.Kernel(op.Name, Wgsl(scalar, scalar == "f32" ? "v" : $"{scalar}(round(v))"), parameters.ToArray(), [input, output], output.ElementCount);
    }

    /// <summary>Elements read as <paramref name="scalar"/> and interpolated in f32; <paramref name="narrow"/> turns the f32 <c>v</c> back into a <paramref name="scalar"/>.</summary>
    private static string Wgsl(string scalar, string narrow) => WgslKernels.Header + $$"""
        @group(0) @binding(1) var<storage, read> x: array<u32>;
        @group(0) @binding(2) var<storage, read_write> y: array<u32>;

        fn element(k: u32) -> f32 { return f32(bitcast<{{scalar}}>(x[k])); }

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let i = invocation(g, n);
            if (i >= p[0]) { return; }
            var rest = i;
            var start = 0u;
            var first = 0u;
            var second = 0u;
            for (var d = 3; d >= 0; d--) {
                let k = u32(d);
                let coordinate = rest % p[4u + k];
                rest = rest / p[4u + k];
                if (k == p[2]) { first = coordinate; } else if (k == p[3]) { second = coordinate; } else { start += coordinate * p[8u + k]; }
            }
            let a = 12u + 3u * first;
            let b = 12u + 3u * (p[4u + p[2]] + second);
            let firstStride = p[8u + p[2]];
            let secondStride = p[8u + p[3]];
            let low = start + p[a] * firstStride;
            let high = start + p[a + 1u] * firstStride;
            let left = p[b] * secondStride;
            if (p[1] == 0u) {
                y[i] = x[low + left];
                return;
            }
            let right = p[b + 1u] * secondStride;
            let weight = bitcast<f32>(p[b + 2u]);
            let lowRow = element(low + left) * (1.0 - weight) + element(low + right) * weight;
            let highRow = element(high + left) * (1.0 - weight) + element(high + right) * weight;
            let firstWeight = bitcast<f32>(p[a + 2u]);
            let v = lowRow * (1.0 - firstWeight) + highRow * firstWeight;
            y[i] = bitcast<u32>({{narrow}});
        }
        """;
}
