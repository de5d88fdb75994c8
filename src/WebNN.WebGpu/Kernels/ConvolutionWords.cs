namespace WebNN.WebGpu.Kernels;

/// <summary>
/// The parameter words that conv2d's and convTranspose2d's kernels share, any layout read through strides:
/// [N, OH, OW, OC, IC/groups, OC/groups, KH, KW, H, W, padTop, padLeft, strideH, strideW, dilationH, dilationW,
/// hasBias, alpha, beta, inStride(n,c,h,w)[4], filterStride[4], outStride(n,c,h,w)[4]]; the filter strides are in
/// the order the kernel names them (conv2d: o, i, h, w; convTranspose2d: i, o, h, w).
/// </summary>
internal static class ConvolutionWords
{
    public static uint[] Make(
        GpuValue input, GpuValue output, bool nchw, (int, int, int, int) filterStrides, int kernelHeight, int kernelWidth,
        int groups, int[] padding, int[] strides, int[] dilations, bool hasBias, float alpha = 0, float beta = 0)
    {
        var (n, c, h, w) = nchw ? (input.Shape[0], input.Shape[1], input.Shape[2], input.Shape[3]) : (input.Shape[0], input.Shape[3], input.Shape[1], input.Shape[2]);
        var (oc, oh, ow) = nchw ? (output.Shape[1], output.Shape[2], output.Shape[3]) : (output.Shape[3], output.Shape[1], output.Shape[2]);
        var inStrides = WebGpuOperators.ImageStrides(input.Shape, nchw);
        var outStrides = WebGpuOperators.ImageStrides(output.Shape, nchw);
        return
        [
            (uint)n, (uint)oh, (uint)ow, (uint)oc, (uint)(c / groups), (uint)(oc / groups), (uint)kernelHeight, (uint)kernelWidth, (uint)h, (uint)w,
            (uint)padding[0], (uint)padding[2], (uint)strides[0], (uint)strides[1], (uint)dilations[0], (uint)dilations[1],
            hasBias ? 1u : 0u, KernelBuilder.Bits(alpha), KernelBuilder.Bits(beta),
            (uint)inStrides.N, (uint)inStrides.C, (uint)inStrides.H, (uint)inStrides.W,
            (uint)filterStrides.Item1, (uint)filterStrides.Item2, (uint)filterStrides.Item3, (uint)filterStrides.Item4,
            (uint)outStrides.N, (uint)outStrides.C, (uint)outStrides.H, (uint)outStrides.W,
        ];
    }
}
