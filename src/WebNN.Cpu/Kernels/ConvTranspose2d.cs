using System.Numerics.Tensors;

namespace WebNN.Cpu.Kernels;

/// <summary>Filter layouts of convTranspose2d (spec: MLConvTranspose2dFilterOperandLayout).</summary>
internal enum ConvTranspose2dFilterLayout
{
    /// <summary>[inputChannels, outputChannels/groups, height, width].</summary>
    Iohw,
    /// <summary>[height, width, outputChannels/groups, inputChannels].</summary>
    Hwoi,
    /// <summary>[outputChannels/groups, height, width, inputChannels].</summary>
    Ohwi,
}

/// <summary>
/// 2-D transposed convolution (spec: convTranspose2d), as GEMM + col2im in NHWC: for each chunk of input pixels and
/// each group, columns[pixel, (ky,kx,o)] = input[pixel, ci] · filter[ci, (ky,kx,o)], then every column is added
/// into the output pixel (iy·strideH − padTop + ky·dilH, ix·strideW − padLeft + kx·dilW) when that lies inside.
/// </summary>
internal static class ConvTranspose2d
{
    /// <summary>output = convTranspose2d(input, filter) + bias.</summary>
    /// <param name="input">4-D input in <paramref name="layout"/>.</param>
    /// <param name="inputShape">[N,C,H,W] or [N,H,W,C].</param>
    /// <param name="layout">Layout of input and output.</param>
    /// <param name="filter">4-D filter in <paramref name="filterLayout"/>.</param>
    /// <param name="filterShape">Its dimensions (I = input channels, O = output channels / groups).</param>
    /// <param name="filterLayout">Iohw, Hwoi or Ohwi.</param>
    /// <param name="bias">Empty, or one value per output channel.</param>
    /// <param name="output">4-D output in <paramref name="layout"/>; its shape already holds outputSizes/outputPadding.</param>
    /// <param name="outputShape">[N,OC,OH,OW] or [N,OH,OW,OC].</param>
    /// <param name="padding">[beginH, endH, beginW, endW] (only the beginnings matter here; ends are in the output shape).</param>
    /// <param name="strides">[strideH, strideW].</param>
    /// <param name="dilations">[dilationH, dilationW].</param>
    /// <param name="groups">Number of groups.</param>
    public static void Compute(
        ReadOnlySpan<float> input, ReadOnlySpan<int> inputShape, MLInputOperandLayout layout,
        ReadOnlySpan<float> filter, ReadOnlySpan<int> filterShape, ConvTranspose2dFilterLayout filterLayout,
        ReadOnlySpan<float> bias, Span<float> output, ReadOnlySpan<int> outputShape,
        ReadOnlySpan<int> padding, ReadOnlySpan<int> strides, ReadOnlySpan<int> dilations, int groups)
    {
        bool nchw = layout == MLInputOperandLayout.Nchw;
        int n = inputShape[0];
        int c = nchw ? inputShape[1] : inputShape[3], h = nchw ? inputShape[2] : inputShape[1], w = nchw ? inputShape[3] : inputShape[2];
        int oc = nchw ? outputShape[1] : outputShape[3], oh = nchw ? outputShape[2] : outputShape[1], ow = nchw ? outputShape[3] : outputShape[2];
        var (cog, kh, kw) = filterLayout switch
        {
            ConvTranspose2dFilterLayout.Iohw => (filterShape[1], filterShape[2], filterShape[3]),
            ConvTranspose2dFilterLayout.Hwoi => (filterShape[2], filterShape[0], filterShape[1]),
            _ => (filterShape[0], filterShape[1], filterShape[2]),
        };
        int cig = c / groups;
        int kCols = kh * kw * cog;
        int sh = strides[0], sw = strides[1], dh = dilations[0], dw = dilations[1], pt = padding[0], pl = padding[2];

        // Wg[g][ci][ky][kx][o]
        float[] wBuf = KernelScratch.Floats.Rent(c * kCols);
        float[]? xBuf = null, yBuf = null, colBuf = null;
        try
        {
            Span<float> wt = wBuf.AsSpan(0, c * kCols);
            for (int ci = 0; ci < c; ci++)
                for (int ky = 0; ky < kh; ky++)
                    for (int kx = 0; kx < kw; kx++)
                        for (int o = 0; o < cog; o++)
                        {
                            int src = filterLayout switch
                            {
                                ConvTranspose2dFilterLayout.Iohw => ((ci * cog + o) * kh + ky) * kw + kx,
                                ConvTranspose2dFilterLayout.Hwoi => ((ky * kw + kx) * cog + o) * c + ci,
                                _ => ((o * kh + ky) * kw + kx) * c + ci,
                            };
                            wt[ci * kCols + (ky * kw + kx) * cog + o] = filter[src];
                        }

            ReadOnlySpan<float> x = input;
            if (nchw)
            {
                xBuf = KernelScratch.Floats.Rent(input.Length);
                ConvLayout.NchwToNhwc(input, xBuf, n, c, h * w);
                x = xBuf.AsSpan(0, input.Length);
            }
            Span<float> y = output;
            if (nchw)
            {
                yBuf = KernelScratch.Floats.Rent(output.Length);
                y = yBuf.AsSpan(0, output.Length);
            }

            // Initialize with the bias.
            int outPix = n * oh * ow;
            if (bias.IsEmpty) y.Clear();
            else for (int pix = 0; pix < outPix; pix++) bias.CopyTo(y.Slice(pix * oc, oc));

            int inPix = n * h * w;
            int chunk = Math.Clamp((1 << 20) / Math.Max(1, kCols), 6, Math.Max(6, inPix));
            colBuf = KernelScratch.Floats.Rent(Math.Min(chunk, inPix) * kCols);
            for (int r0 = 0; r0 < inPix; r0 += chunk)
            {
                int rows = Math.Min(chunk, inPix - r0);
                for (int g = 0; g < groups; g++)
                {
                    Span<float> col = colBuf.AsSpan(0, rows * kCols);
                    Gemm.Multiply(rows, kCols, cig, x.Slice(r0 * c + g * cig), c, false,
                        wt.Slice(g * cig * kCols, cig * kCols), kCols, false, col, kCols);
                    for (int r = 0; r < rows; r++)
                    {
                        int idx = r0 + r, b = idx / (h * w), rem = idx - b * h * w, iy = rem / w, ix = rem - iy * w;
                        for (int ky = 0; ky < kh; ky++)
                        {
                            int oy = iy * sh - pt + ky * dh;
                            if ((uint)oy >= (uint)oh) continue;
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int ox = ix * sw - pl + kx * dw;
                                if ((uint)ox >= (uint)ow) continue;
                                Span<float> dst = y.Slice(((b * oh + oy) * ow + ox) * oc + g * cog, cog);
                                TensorPrimitives.Add(dst, col.Slice(r * kCols + (ky * kw + kx) * cog, cog), dst);
                            }
                        }
                    }
                }
            }

            if (nchw) ConvLayout.NhwcToNchw(y, output, n, oh * ow, oc);
        }
        finally
        {
            KernelScratch.Floats.Return(wBuf);
            if (xBuf != null) KernelScratch.Floats.Return(xBuf);
            if (yBuf != null) KernelScratch.Floats.Return(yBuf);
            if (colBuf != null) KernelScratch.Floats.Return(colBuf);
        }
    }
}
