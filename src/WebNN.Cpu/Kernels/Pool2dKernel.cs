namespace WebNN.Cpu.Kernels;

/// <summary>The 2-D poolings.</summary>
internal enum PoolKind { Average, L2, Max }

/// <summary>The geometry of a pooling in NHWC terms.</summary>
internal readonly record struct Pool2dGeometry(
    int Batches, int InputHeight, int InputWidth, int Channels, int OutputHeight, int OutputWidth,
    int WindowHeight, int WindowWidth, int PadTop, int PadLeft, int StrideHeight, int StrideWidth, int DilationHeight, int DilationWidth);

/// <summary>
/// 2-D pooling over NHWC float32 data, vectorized across channels. Windows are clipped to the input:
/// padding contributes nothing, and averages divide by the number of input elements in the window.
/// </summary>
internal static class Pool2dKernel
{
    public static void Run(PoolKind kind, ReadOnlySpan<float> input, Span<float> output, Pool2dGeometry g)
    {
        unsafe
        {
            fixed (float* inputPointer = input, outputPointer = output)
            {
                var pointers = ((nint)inputPointer, (nint)outputPointer);
                Parallelism.For(g.Batches * g.OutputHeight, (long)g.OutputWidth * g.Channels * g.WindowHeight * g.WindowWidth, (start, end) =>
                {
                    var accumulator = new float[g.Channels];
                    for (int row = start; row < end; row++)
                    {
                        int n = row / g.OutputHeight, oh = row % g.OutputHeight;
                        for (int ow = 0; ow < g.OutputWidth; ow++)
                        {
                            Window(kind, (float*)pointers.Item1, g, n, oh, ow, accumulator);
                            accumulator.CopyTo(new Span<float>((float*)pointers.Item2 + (((long)n * g.OutputHeight + oh) * g.OutputWidth + ow) * g.Channels, g.Channels));
                        }
                    }
                });
            }
        }
    }

    private static unsafe void Window(PoolKind kind, float* input, in Pool2dGeometry g, int n, int oh, int ow, Span<float> accumulator)
    {
        accumulator.Fill(kind == PoolKind.Max ? float.NegativeInfinity : 0);
        int counted = 0;
        for (int ky = 0; ky < g.WindowHeight; ky++)
        {
            int ih = oh * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
            if ((uint)ih >= (uint)g.InputHeight)
            {
                continue;
            }
            for (int kx = 0; kx < g.WindowWidth; kx++)
            {
                int iw = ow * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                if ((uint)iw >= (uint)g.InputWidth)
                {
                    continue;
                }
                var pixel = new ReadOnlySpan<float>(input + (((long)n * g.InputHeight + ih) * g.InputWidth + iw) * g.Channels, g.Channels);
                counted++;
                switch (kind)
                {
                    case PoolKind.Max: System.Numerics.Tensors.TensorPrimitives.Max(accumulator, pixel, accumulator); break;
                    case PoolKind.Average: System.Numerics.Tensors.TensorPrimitives.Add(accumulator, pixel, accumulator); break;
                    default: System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(pixel, pixel, accumulator, accumulator); break;
                }
            }
        }
        if (kind == PoolKind.Average)
        {
            System.Numerics.Tensors.TensorPrimitives.Divide(accumulator, Math.Max(counted, 1), accumulator);
        }
        else if (kind == PoolKind.L2)
        {
            System.Numerics.Tensors.TensorPrimitives.Sqrt(accumulator, accumulator);
        }
    }
}
