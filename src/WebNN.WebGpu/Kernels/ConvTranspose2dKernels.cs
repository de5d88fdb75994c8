using WebNN.Graph;

namespace WebNN.WebGpu.Kernels;

/// <summary>convTranspose2d in every input and filter layout (through strides), with groups and a bias.</summary>
internal static class ConvTranspose2dKernels
{
    public static IEnumerable<KeyValuePair<string, GpuOperator>> Operators()
    {
        yield return new("convTranspose2d", GpuOperator.Single(WebGpuOperators.Floats, ConvTranspose2d));
    }

    private static GpuKernel ConvTranspose2d(MLOperator op, KernelBuilder b)
    {
        var a = op.AttributesAs<ConvTranspose2dAttributes>();
        var input = b.Value(op.Input("input")!);
        var filter = b.Value(op.Input("filter")!);
        var bias = op.Input("bias") is { } biasOperand ? b.Value(biasOperand) : null;
        var output = b.Value(op.Outputs[0]);
        bool nchw = a.InputLayout == MLInputOperandLayout.Nchw;
        var (n, c, h, w) = nchw ? (input.Shape[0], input.Shape[1], input.Shape[2], input.Shape[3]) : (input.Shape[0], input.Shape[3], input.Shape[1], input.Shape[2]);
        var (oc, oh, ow) = nchw ? (output.Shape[1], output.Shape[2], output.Shape[3]) : (output.Shape[3], output.Shape[1], output.Shape[2]);
        var inStrides = WebGpuOperators.ImageStrides(input.Shape, nchw);
        var outStrides = WebGpuOperators.ImageStrides(output.Shape, nchw);
        var f = filter.Shape;
        var fs = Shapes.Strides(f);
        // Strides of (input channel, output channel in group, row, column), and the kernel size.
        var (filterStrides, kh, kw) = a.FilterLayout switch
        {
            MLConvTranspose2dFilterOperandLayout.Iohw => ((fs[0], fs[1], fs[2], fs[3]), f[2], f[3]),
            MLConvTranspose2dFilterOperandLayout.Hwoi => ((fs[3], fs[2], fs[0], fs[1]), f[0], f[1]),
            _ => ((fs[3], fs[0], fs[1], fs[2]), f[1], f[2]),
        };
        uint[] parameters =
        [
            (uint)n, (uint)oh, (uint)ow, (uint)oc, (uint)(c / a.Groups), (uint)(oc / a.Groups), (uint)kh, (uint)kw, (uint)h, (uint)w,
            (uint)a.Padding[0], (uint)a.Padding[2], (uint)a.Strides[0], (uint)a.Strides[1], (uint)a.Dilations[0], (uint)a.Dilations[1],
            bias is null ? 0u : 1u,
            (uint)inStrides.N, (uint)inStrides.C, (uint)inStrides.H, (uint)inStrides.W,
            (uint)filterStrides.Item1, (uint)filterStrides.Item2, (uint)filterStrides.Item3, (uint)filterStrides.Item4,
            (uint)outStrides.N, (uint)outStrides.C, (uint)outStrides.H, (uint)outStrides.W,
        ];
        var (x, y) = KernelBuilder.Workgroups(output.ElementCount, 256);
        // Without a bias the filter stands in at the bias binding (never read).
        return b.Kernel("convTranspose2d", Wgsl, parameters, [input, filter, bias ?? filter, output], x, y);
    }

    /// <summary>
    /// One output element per invocation, summing the input pixels whose scattered filter taps land on it:
    /// input row iy contributes through tap ky when iy·strideH − padTop + ky·dilationH = oy (columns alike).
    /// Parameters: [N, OH, OW, OC, IC/groups, OC/groups, KH, KW, H, W, padT, padL, strideH, strideW, dilationH,
    /// dilationW, hasBias, inStride(n,c,h,w)[4], filterStride(i,o,h,w)[4], outStride(n,c,h,w)[4]].
    /// </summary>
    private const string Wgsl = WgslKernels.Header + """
        @group(0) @binding(1) var<storage, read> x: array<f32>;
        @group(0) @binding(2) var<storage, read> w: array<f32>;
        @group(0) @binding(3) var<storage, read> bias: array<f32>;
        @group(0) @binding(4) var<storage, read_write> y: array<f32>;

        // The input position whose tap `tap` lands on output position `o`, or -1 when none does.
        fn source(o: u32, tap: u32, pad: u32, stride: u32, dilation: u32, size: u32) -> i32 {
            let scaled = i32(o + pad) - i32(tap * dilation);
            if (scaled < 0 || scaled % i32(stride) != 0) { return -1; }
            let i = scaled / i32(stride);
            return select(-1, i, i < i32(size));
        }

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let t = invocation(g, n);
            let oc = p[3];
            if (t >= p[0] * p[1] * p[2] * oc) { return; }
            let o = t % oc;
            var rest = t / oc;
            let ox = rest % p[2]; rest = rest / p[2];
            let oy = rest % p[1];
            let b = rest / p[1];
            let icg = p[4];
            let ocg = p[5];
            let firstChannel = (o / ocg) * icg;
            let wOutput = (o % ocg) * p[22];
            var acc = 0.0;
            for (var ky = 0u; ky < p[6]; ky++) {
                let iy = source(oy, ky, p[10], p[12], p[14], p[8]);
                if (iy < 0) { continue; }
                for (var kx = 0u; kx < p[7]; kx++) {
                    let ix = source(ox, kx, p[11], p[13], p[15], p[9]);
                    if (ix < 0) { continue; }
                    let xBase = b * p[17] + u32(iy) * p[19] + u32(ix) * p[20];
                    let wBase = wOutput + ky * p[23] + kx * p[24];
                    for (var ci = firstChannel; ci < firstChannel + icg; ci++) {
                        acc += x[xBase + ci * p[18]] * w[wBase + ci * p[21]];
                    }
                }
            }
            if (p[16] != 0u) { acc += bias[o]; }
            y[b * p[25] + o * p[26] + oy * p[27] + ox * p[28]] = acc;
        }
        """;
}
