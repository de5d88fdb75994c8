namespace WebNN.Cpu.Kernels;

/// <summary>convTranspose2d's filter layouts, as the kernel reads them.</summary>
internal enum ConvTransposeFilterLayout { Iohw, Hwoi, Ohwi }

/// <summary>
/// Transposed 2-D convolution on NHWC float32 data: every input pixel scatters its channels, through the
/// filter, into the output window it maps to (oh = ih·stride − padTop + kh·dilation). Batches run in parallel.
/// Geometry fields: input channels are the filter's input channels; output channels are all groups'.
/// </summary>
internal static class ConvTranspose2dKernel
{
    public static void Run(ReadOnlySpan<float> input, ReadOnlySpan<float> filter, ConvTransposeFilterLayout layout, ReadOnlySpan<float> bias, Span<float> output, Conv2dGeometry g)
    {
        unsafe
        {
            fixed (float* inputPointer = input, filterPointer = filter, biasPointer = bias, outputPointer = output)
            {
                var pointers = ((nint)inputPointer, (nint)filterPointer, bias.IsEmpty ? 0 : (nint)biasPointer, (nint)outputPointer);
                int filterLength = filter.Length;
                long outputPerBatch = (long)g.OutputHeight * g.OutputWidth * g.OutputChannels;
                long inputPerBatch = (long)g.InputHeight * g.InputWidth * g.InputChannels;
                Parallelism.For(g.Batches, inputPerBatch * g.OutputChannelsPerGroup * g.FilterHeight * g.FilterWidth, (start, end) =>
                {
                    for (int n = start; n < end; n++)
                    {
                        Batch(
                            new ReadOnlySpan<float>((float*)pointers.Item1 + n * inputPerBatch, (int)inputPerBatch),
                            new ReadOnlySpan<float>((float*)pointers.Item2, filterLength),
                            layout,
                            pointers.Item3 == 0 ? [] : new ReadOnlySpan<float>((float*)pointers.Item3, g.OutputChannels),
                            new Span<float>((float*)pointers.Item4 + n * outputPerBatch, (int)outputPerBatch),
                            g);
                    }
                });
            }
        }
    }

    private static void Batch(ReadOnlySpan<float> input, ReadOnlySpan<float> filter, ConvTransposeFilterLayout layout, ReadOnlySpan<float> bias, Span<float> output, in Conv2dGeometry g)
    {
        int cin = g.InputChannels, cinPerGroup = cin / g.Groups, coutPerGroup = g.OutputChannelsPerGroup, kh = g.FilterHeight, kw = g.FilterWidth;
        for (int p = 0; p < g.OutputHeight * g.OutputWidth; p++)
        {
            if (bias.IsEmpty)
            {
                output.Slice(p * g.OutputChannels, g.OutputChannels).Clear();
            }
            else
            {
                bias.CopyTo(output.Slice(p * g.OutputChannels, g.OutputChannels));
            }
        }
        for (int ih = 0; ih < g.InputHeight; ih++)
        {
            for (int iw = 0; iw < g.InputWidth; iw++)
            {
                var pixel = input.Slice((ih * g.InputWidth + iw) * cin, cin);
                for (int y = 0; y < kh; y++)
                {
                    int oh = ih * g.StrideHeight - g.PadTop + y * g.DilationHeight;
                    if ((uint)oh >= (uint)g.OutputHeight)
                    {
                        continue;
                    }
                    for (int x = 0; x < kw; x++)
                    {
                        int ow = iw * g.StrideWidth - g.PadLeft + x * g.DilationWidth;
                        if ((uint)ow >= (uint)g.OutputWidth)
                        {
                            continue;
                        }
                        var target = output.Slice((oh * g.OutputWidth + ow) * g.OutputChannels, g.OutputChannels);
                        for (int c = 0; c < cin; c++)
                        {
                            float value = pixel[c];
                            int group = c / cinPerGroup;
                            for (int o = 0; o < coutPerGroup; o++)
                            {
                                int index = layout switch
                                {
                                    ConvTransposeFilterLayout.Iohw => ((c * coutPerGroup + o) * kh + y) * kw + x,
                                    ConvTransposeFilterLayout.Hwoi => ((y * kw + x) * coutPerGroup + o) * cin + c,
                                    _ => ((o * kh + y) * kw + x) * cin + c,
                                };
                                target[group * coutPerGroup + o] += value * filter[index];
                            }
                        }
                    }
                }
            }
        }
    }
}
