using System.Diagnostics;
using WebNN.Cuda;

namespace WebNN.Cli;

/// <summary>
/// <c>webnn bench cuda</c>: the reference experiment (webnn issue #6) on the cuda backend: conv2d of x [1,S,S,C]
/// NHWC (0.01) with w [3,3,C,C] HWIO (0.01), same padding, + bias [C] (0.1), then relu, as one graph (the optimizer
/// fuses it into one cuDNN call). Per dispatch: GPU time between CUDA events on the context's stream (what
/// bench/pytorch_conv2d.py measures of PyTorch), and wall time until the stream is idle. float32 without TF32 (the
/// default), then with TF32 allowed (<see cref="MLContextOptions.AllowTf32"/>).
/// </summary>
internal static class CudaBenchmark
{
    public static async Task<int> RunAsync(CommandLine options)
    {
        int size = options.Int("--size", 100, 3);
        int iterations = options.Int("--iterations", 200, 1);
        foreach (bool tf32 in new[] { false, true })
        {
            using var context = await ML.CreateContextAsync(new MLContextOptions { Backend = "cuda", AllowTf32 = tf32 });
            var builder = new MLGraphBuilder(context);
            var x = builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Float32, 1, size, size, size));
            var filter = builder.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, 3, 3, size, size), Enumerable.Repeat(0.01f, 9 * size * size).ToArray());
            var bias = builder.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, size), Enumerable.Repeat(0.1f, size).ToArray());
            var conv = builder.Conv2d(x, filter, new MLConv2dOptions
            {
                Padding = [1, 1, 1, 1], InputLayout = MLInputOperandLayout.Nhwc, FilterLayout = MLConv2dFilterOperandLayout.Hwio,
            });
            using var graph = await builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = builder.Relu(builder.Add(conv, bias)) });
            var descriptor = new MLTensorDescriptor(MLOperandDataType.Float32, [1, size, size, size], readable: true, writable: true);
            using var input = await context.CreateTensorAsync(descriptor);
            using var output = await context.CreateTensorAsync(descriptor);
            context.WriteTensor<float>(input, Enumerable.Repeat(0.01f, size * size * size).ToArray());
            var inputs = new Dictionary<string, MLTensor> { ["x"] = input };
            var outputs = new Dictionary<string, MLTensor> { ["y"] = output };
            for (int i = 0; i < 20; i++)
            {
                context.Dispatch(graph, inputs, outputs);
            }
            await context.ReadTensorAsync(output);
            var gpu = new double[iterations];
            var wall = new double[iterations];
            for (int i = 0; i < iterations; i++)
            {
                long start = Stopwatch.GetTimestamp();
                gpu[i] = context.MeasureGpuMilliseconds(() => context.Dispatch(graph, inputs, outputs));
                wall[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            double gpuMedian = Timing.Median(gpu), wallMedian = Timing.Median(wall);
            var y = await context.ReadTensorAsync<float>(output);
            float centre = y[((size / 2 * size) + size / 2) * size];
            Console.WriteLine($"WebNN cuda conv2d+bias+relu fp32{(tf32 ? " (TF32)" : "")} [1,{size},{size},{size}] NHWC: GPU median {gpuMedian:F3} ms, min {gpu[0]:F3} ms; " +
                $"wall (dispatch to idle stream) median {wallMedian:F3} ms (centre value {centre:F4}) on {context.DeviceDescription}");
        }
        return 0;
    }
}
