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
        var f = filter.Shape;
        var fs = Shapes.Strides(f);
        // Strides of (input channel, output channel in group, row, column), and the kernel size.
        var (filterStrides, kh, kw) = a.FilterLayout switch
        {
            MLConvTranspose2dFilterOperandLayout.Iohw => ((fs[0], fs[1], fs[2], fs[3]), f[2], f[3]),
            MLConvTranspose2dFilterOperandLayout.Hwoi => ((fs[3], fs[2], fs[0], fs[1]), f[0], f[1]),
            _ => ((fs[3], fs[0], fs[1], fs[2]), f[1], f[2]),
        };
        var parameters = ConvolutionWords.Make(input, output, nchw, filterStrides, kh, kw, a.Groups, a.Padding, a.Strides, a.Dilations, bias is not null);
        // Without a bias the filter stands in at the bias binding (never read).
        return b.Kernel("convTranspose2d", Wgsl, parameters, [input, filter, bias ?? filter, output], output.ElementCount);
    }

    /// <summary>
    /// One output element per invocation, summing the input pixels whose scattered filter taps land on it:
    /// input row iy contributes through tap ky when iy·strideH − padTop + ky·dilationH = oy (columns alike).
    /// Parameters: [N, OH, OW, OC, IC/groups, OC/groups, KH, KW, H, W, padT, padL, strideH, strideW, dilationH,
    /// dilationW, hasBias, alpha, beta (unused), inStride(n,c,h,w)[4], filterStride(i,o,h,w)[4], outStride(n,c,h,w)[4]]
    /// (<see cref="ConvolutionWords"/>).
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
            let wOutput = (o % ocg) * p[24];
            var acc = 0.0;
            for (var ky = 0u; ky < p[6]; ky++) {
                let iy = source(oy, ky, p[10], p[12], p[14], p[8]);
                if (iy < 0) { continue; }
                for (var kx = 0u; kx < p[7]; kx++) {
                    let ix = source(ox, kx, p[11], p[13], p[15], p[9]);
                    if (ix < 0) { continue; }
                    let xBase = b * p[19] + u32(iy) * p[21] + u32(ix) * p[22];
                    let wBase = wOutput + ky * p[25] + kx * p[26];
                    for (var ci = firstChannel; ci < firstChannel + icg; ci++) {
                        acc += x[xBase + ci * p[20]] * w[wBase + ci * p[23]];
                    }
                }
            }
            if (p[16] != 0u) { acc += bias[o]; }
            y[b * p[27] + o * p[28] + oy * p[29] + ox * p[30]] = acc;
        }
        """;
}
