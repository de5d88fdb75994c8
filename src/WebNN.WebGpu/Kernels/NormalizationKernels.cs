using WebNN.Graph;

namespace WebNN.WebGpu.Kernels;

/// <summary>
/// batchNormalization, instanceNormalization and layerNormalization: scale·(x − mean)/√(variance + ε) + bias.
/// An absent scale or bias is flagged in the parameters, and the input stands in at its binding (never read).
/// </summary>
internal static class NormalizationKernels
{
    public static IEnumerable<KeyValuePair<string, GpuOperator>> Operators() =>
    [
        new("batchNormalization", GpuOperator.Single(WebGpuOperators.Floats, BatchNormalization)),
        new("instanceNormalization", GpuOperator.Single(WebGpuOperators.Floats, InstanceNormalization)),
        new("layerNormalization", GpuOperator.Single(WebGpuOperators.Floats, LayerNormalization)),
    ];

    /// <summary>One invocation per element. Parameters: [count, features (the size along the axis), inner (elements per feature index), hasScale, hasBias, ε].</summary>
    private static GpuKernel BatchNormalization(MLOperator op, KernelBuilder b)
    {
        var a = op.AttributesAs<BatchNormalizationAttributes>();
        var (input, scale, bias, output) = Values(op, b);
        var mean = b.Value(op.Input("mean")!);
        var variance = b.Value(op.Input("variance")!);
        int inner = (int)Shapes.ElementCount(input.Shape.AsSpan(a.Axis + 1));
        uint[] parameters = [(uint)output.ElementCount, (uint)input.Shape[a.Axis], (uint)inner, Flag(scale), Flag(bias), KernelBuilder.Bits((float)a.Epsilon)];
        return b.Kernel("batchNormalization", BatchNormalizationWgsl, parameters, [input, mean, variance, scale ?? input, bias ?? input, output], output.ElementCount);
    }

    /// <summary>Normalizes each batch and channel over the spatial axes; scale and bias are per channel, the last kept axis.</summary>
    private static GpuKernel InstanceNormalization(MLOperator op, KernelBuilder b)
    {
        var a = op.AttributesAs<InstanceNormalizationAttributes>();
        bool nchw = a.Layout == MLInputOperandLayout.Nchw;
        var input = b.Value(op.Input("input")!);
        return Normalize(op, b, nchw ? [2, 3] : [1, 2], a.Epsilon, channels: nchw ? input.Shape[1] : input.Shape[3]);
    }

    /// <summary>Normalizes over the axes; scale and bias are indexed by the position within the normalized axes.</summary>
    private static GpuKernel LayerNormalization(MLOperator op, KernelBuilder b)
    {
        var a = op.AttributesAs<LayerNormalizationAttributes>();
        return Normalize(op, b, a.Axes, a.Epsilon, channels: 0);
    }

    /// <summary>
    /// One invocation per index of the kept axes, over the normalized axes. Parameters: the <see cref="ReducedAxes"/>
    /// words of the input split by the normalized axes, then [hasScale, hasBias, ε, channels], where channels 0 indexes
    /// scale and bias by the position within the normalized axes, otherwise by the kept index modulo channels.
    /// </summary>
    private static GpuKernel Normalize(MLOperator op, KernelBuilder b, int[] axes, double epsilon, int channels)
    {
        var (input, scale, bias, output) = Values(op, b);
        var parameters = ReducedAxes.Parameters(input.Shape, axes, [Flag(scale), Flag(bias), KernelBuilder.Bits((float)epsilon), (uint)channels]);
        return b.Kernel(op.Name, NormalizeWgsl, parameters, [input, scale ?? input, bias ?? input, output], parameters[0]);
    }

    private static (GpuValue Input, GpuValue? Scale, GpuValue? Bias, GpuValue Output) Values(MLOperator op, KernelBuilder b) => (
        b.Value(op.Input("input")!),
        op.Input("scale") is { } scale ? b.Value(scale) : null,
        op.Input("bias") is { } bias ? b.Value(bias) : null,
        b.Value(op.Outputs[0]));

    private static uint Flag(GpuValue? optional) => optional is null ? 0u : 1u;

    private const string BatchNormalizationWgsl = WgslKernels.Header + """
        @group(0) @binding(1) var<storage, read> x: array<f32>;
        @group(0) @binding(2) var<storage, read> mean: array<f32>;
        @group(0) @binding(3) var<storage, read> variance: array<f32>;
        @group(0) @binding(4) var<storage, read> scale: array<f32>;
        @group(0) @binding(5) var<storage, read> bias: array<f32>;
        @group(0) @binding(6) var<storage, read_write> y: array<f32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let t = invocation(g, n);
            if (t >= p[0]) { return; }
            let f = (t / p[2]) % p[1];
            var multiplier = 1.0 / sqrt(variance[f] + bitcast<f32>(p[5]));
            if (p[3] != 0u) { multiplier = scale[f] * multiplier; }
            var shift = 0.0;
            if (p[4] != 0u) { shift = bias[f]; }
            y[t] = (x[t] - mean[f]) * multiplier + shift;
        }
        """;

    private const string NormalizeWgsl = WgslKernels.Header + ReducedAxes.Wgsl + """
        @group(0) @binding(1) var<storage, read> x: array<f32>;
        @group(0) @binding(2) var<storage, read> scale: array<f32>;
        @group(0) @binding(3) var<storage, read> bias: array<f32>;
        @group(0) @binding(4) var<storage, read_write> y: array<f32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let o = invocation(g, n);
            if (o >= p[0]) { return; }
            let count = p[1];
            let base = kept_offset(o);
            var sum = 0.0;
            for (var j = 0u; j < count; j++) { sum += x[base + reduced_offset(j)]; }
            let mean = sum / f32(count);
            var squares = 0.0;
            for (var j = 0u; j < count; j++) { let d = x[base + reduced_offset(j)] - mean; squares += d * d; }
            let inverse = 1.0 / sqrt(squares / f32(count) + bitcast<f32>(p[38]));
            let channels = p[39];
            for (var j = 0u; j < count; j++) {
                let k = select(j, o % max(channels, 1u), channels != 0u);
                var v = (x[base + reduced_offset(j)] - mean) * inverse;
                if (p[36] != 0u) { v = v * scale[k]; }
                if (p[37] != 0u) { v = v + bias[k]; }
                y[base + reduced_offset(j)] = v;
            }
        }
        """;
}
