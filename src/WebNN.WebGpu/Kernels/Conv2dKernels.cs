using System.Text;

namespace WebNN.WebGpu;

/// <summary>
/// conv2d with groups = 1 as an implicit GEMM, the way TF.js's Conv2D_impl and ONNX Runtime's WebGPU EP build it:
/// the output is the matrix [N·OH·OW, OC] = im2col(x) [N·OH·OW, K] × filter [K, OC] with K = KH·KW·IC ordered
/// (ky, kx, ci), ci fastest, so that NHWC input and HWIO/IHWO filters load contiguously. A workgroup of 16×16
/// invocations computes a 64×64 output tile, each invocation 4 pixels × 4 channels in registers; each step of 16
/// along K stages a 64×16 slice of im2col(x) (zero in the padding) and a 16×64 slice of the filter in workgroup
/// memory, one vec4 per invocation each. The bias and activation are applied as the tile is stored. Any layout
/// reads through the element strides of the direct kernel's parameters (<see cref="WgslKernels.Conv2d"/>); vec4
/// memory access is used where the channel axis is innermost and its length divides by 4.
/// </summary>
internal static class Conv2dKernels
{
    private const int Tile = 64;

    // Words of the parameters (WgslKernels.Conv2d's layout) that decide the variant.
    private const int OutputChannels = 3, InputChannels = 4, InputChannelStride = 20, FilterOutputStride = 23, OutputChannelStride = 28;

    /// <summary>The implicit-GEMM kernel over <paramref name="bindings"/> [input, filter, bias, output] with <paramref name="parameters"/> in WgslKernels.Conv2d's layout.</summary>
    public static GpuKernel ImplicitGemm(KernelBuilder builder, uint[] parameters, GpuValue[] bindings, string activation)
    {
        uint ic = parameters[InputChannels], oc = parameters[OutputChannels];
        bool vectorInput = parameters[InputChannelStride] == 1 && ic % 4 == 0;
        bool vectorFilter = parameters[FilterOutputStride] == 1 && oc % 4 == 0;
        bool vectorOutput = parameters[OutputChannelStride] == 1 && oc % 4 == 0;
        long pixels = (long)parameters[0] * parameters[1] * parameters[2];
        long tiles = (pixels + Tile - 1) / Tile * ((oc + Tile - 1) / Tile);
        return builder.Kernel("conv2d (implicit gemm)", ImplicitGemmWgsl(activation, vectorInput, vectorFilter, vectorOutput), parameters, bindings, tiles * KernelBuilder.WorkgroupSize);
    }

    /// <summary>
    /// The WGSL. <paramref name="vectorInput"/>: x is read as vec4 along channels (channel stride 1, IC % 4 = 0);
    /// <paramref name="vectorFilter"/>: w as vec4 along output channels (stride 1, OC % 4 = 0); <paramref name="vectorOutput"/>:
    /// y written as vec4 along channels (stride 1, OC % 4 = 0).
    /// </summary>
    public static string ImplicitGemmWgsl(string activation, bool vectorInput, bool vectorFilter, bool vectorOutput)
    {
        var multiplyAdds = new StringBuilder();
        for (int kk = 0; kk < 4; kk++)
        {
            multiplyAdds.Append($"            let b{kk} = tileB[(k4 * 4u + {kk}u) * 16u + tx];\n");
            for (int row = 0; row < 4; row++)
            {
                multiplyAdds.Append($"            acc{row} += a{row}[{kk}] * b{kk};\n");
            }
        }
        string loadInput = vectorInput ? """
            // Four consecutive channels of one tap (IC % 4 = 0, so they never straddle taps), or zero in the padding and past K.
            fn loadA(base: u32, iy0: i32, ix0: i32, k: u32) -> vec4<f32> {
                let ci = k % p[4];
                let tap = k / p[4];
                let iy = iy0 + i32(tap / p[7] * p[14]);
                let ix = ix0 + i32(tap % p[7] * p[15]);
                if (tap >= p[6] * p[7] || iy < 0 || iy >= i32(p[8]) || ix < 0 || ix >= i32(p[9])) { return vec4<f32>(0.0); }
                return x[(base + u32(iy) * p[21] + u32(ix) * p[22] + ci) / 4u];
            }
            """ : """
            // One element of im2col(x): zero in the padding and past K.
            fn inputAt(base: u32, iy0: i32, ix0: i32, k: u32) -> f32 {
                let ci = k % p[4];
                let tap = k / p[4];
                let iy = iy0 + i32(tap / p[7] * p[14]);
                let ix = ix0 + i32(tap % p[7] * p[15]);
                if (tap >= p[6] * p[7] || iy < 0 || iy >= i32(p[8]) || ix < 0 || ix >= i32(p[9])) { return 0.0; }
                return x[base + u32(iy) * p[21] + u32(ix) * p[22] + ci * p[20]];
            }

            fn loadA(base: u32, iy0: i32, ix0: i32, k: u32) -> vec4<f32> {
                return vec4<f32>(inputAt(base, iy0, ix0, k), inputAt(base, iy0, ix0, k + 1u), inputAt(base, iy0, ix0, k + 2u), inputAt(base, iy0, ix0, k + 3u));
            }
            """;
        string loadFilter = vectorFilter ? """
                if (o >= p[3]) { return vec4<f32>(0.0); }
                return w[(offset + o) / 4u];
            """ : """
                var v = vec4<f32>(0.0);
                for (var j = 0u; j < 4u; j++) {
                    if (o + j < p[3]) { v[j] = w[offset + (o + j) * p[23]]; }
                }
                return v;
            """;
        string store = vectorOutput ? """
                if (n < p[3]) {
                    y[(offset + n) / 4u] = vec4<f32>(activate(v.x, alpha, beta), activate(v.y, alpha, beta), activate(v.z, alpha, beta), activate(v.w, alpha, beta));
                }
            """ : """
                for (var j = 0u; j < 4u; j++) {
                    if (n + j < p[3]) { y[offset + (n + j) * p[28]] = activate(v[j], alpha, beta); }
                }
            """;
        string Element(bool vector) => vector ? "vec4<f32>" : "f32";
        return $$"""
            @group(0) @binding(0) var<storage, read> p: array<u32>;
            @group(0) @binding(1) var<storage, read> x: array<{{Element(vectorInput)}}>;
            @group(0) @binding(2) var<storage, read> w: array<{{Element(vectorFilter)}}>;
            @group(0) @binding(3) var<storage, read> bias: array<f32>;
            @group(0) @binding(4) var<storage, read_write> y: array<{{Element(vectorOutput)}}>;

            // tileA[m * 4 + k / 4]: im2col(x) at pixel m0 + m, reduction indices k0 + k .. k0 + k + 3.
            var<workgroup> tileA: array<vec4<f32>, 256>;
            // tileB[k * 16 + n / 4]: the filter at reduction index k0 + k, output channels n0 + n .. n0 + n + 3.
            var<workgroup> tileB: array<vec4<f32>, 256>;

            fn activate(v: f32, alpha: f32, beta: f32) -> f32 { return {{activation}}; }

            {{loadInput}}

            // The filter at reduction index k for output channels o .. o + 3: zero past K and past OC.
            fn loadB(k: u32, o: u32) -> vec4<f32> {
                let ci = k % p[4];
                let tap = k / p[4];
                if (tap >= p[6] * p[7]) { return vec4<f32>(0.0); }
                let offset = ci * p[24] + tap / p[7] * p[25] + tap % p[7] * p[26];
            {{loadFilter}}
            }

            // Stores the activated sums of output pixel m, channels n .. n + 3.
            fn store(m: u32, n: u32, v: vec4<f32>, alpha: f32, beta: f32) {
                if (m >= p[0] * p[1] * p[2]) { return; }
                let ox = m % p[2];
                let oy = m / p[2] % p[1];
                let offset = m / (p[2] * p[1]) * p[27] + oy * p[29] + ox * p[30];
            {{store}}
            }

            @compute @workgroup_size(256)
            fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) t: u32) {
                let pixels = p[0] * p[1] * p[2];
                let depth = p[6] * p[7] * p[4];
                let tilesN = (p[3] + 63u) / 64u;
                let tile = group.x + group.y * groups.x;
                if (tile >= tilesN * ((pixels + 63u) / 64u)) { return; }
                let m0 = tile / tilesN * 64u;
                let n0 = tile % tilesN * 64u;

                // What this invocation stages: 4 reduction indices of one pixel's im2col row, and 4 channels of one filter row.
                let am = m0 + t / 4u;
                let ak = t % 4u * 4u;
                let ox = am % p[2];
                let oy = am / p[2] % p[1];
                let base = am / (p[2] * p[1]) * p[19];
                let iy0 = i32(oy * p[12]) - i32(p[10]);
                let ix0 = i32(ox * p[13]) - i32(p[11]);
                let bk = t / 16u;
                let bn = n0 + t % 16u * 4u;

                // What it computes: pixels m0 + ty * 4 .. + 3 (acc0..acc3), channels n0 + tx * 4 .. + 3 (the vec4 lanes).
                let tx = t % 16u;
                let ty = t / 16u;
                var acc0 = vec4<f32>(0.0);
                var acc1 = vec4<f32>(0.0);
                var acc2 = vec4<f32>(0.0);
                var acc3 = vec4<f32>(0.0);
                for (var k0 = 0u; k0 < depth; k0 += 16u) {
                    var a = vec4<f32>(0.0);
                    if (am < pixels) { a = loadA(base, iy0, ix0, k0 + ak); }
                    tileA[t] = a;
                    tileB[t] = loadB(k0 + bk, bn);
                    workgroupBarrier();
                    for (var k4 = 0u; k4 < 4u; k4++) {
                        let a0 = tileA[ty * 16u + k4];
                        let a1 = tileA[ty * 16u + 4u + k4];
                        let a2 = tileA[ty * 16u + 8u + k4];
                        let a3 = tileA[ty * 16u + 12u + k4];
            {{multiplyAdds}}
                    }
                    workgroupBarrier();
                }

                let alpha = bitcast<f32>(p[17]);
                let beta = bitcast<f32>(p[18]);
                let n = n0 + tx * 4u;
                var shift = vec4<f32>(0.0);
                if (p[16] != 0u) {
                    for (var j = 0u; j < 4u; j++) {
                        if (n + j < p[3]) { shift[j] = bias[n + j]; }
                    }
                }
                store(m0 + ty * 4u, n, acc0 + shift, alpha, beta);
                store(m0 + ty * 4u + 1u, n, acc1 + shift, alpha, beta);
                store(m0 + ty * 4u + 2u, n, acc2 + shift, alpha, beta);
                store(m0 + ty * 4u + 3u, n, acc3 + shift, alpha, beta);
            }
            """;
    }
}
