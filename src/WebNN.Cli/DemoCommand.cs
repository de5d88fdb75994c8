using System.Diagnostics;

namespace WebNN.Cli;

/// <summary>
/// <c>webnn demo</c>: the reference experiment's graph — conv2d of x [1,100,100,100] NHWC (0.01) with
/// w [3,3,100,100] HWIO (0.01), same padding, + bias b [100] (0.1), then relu — built, run and timed.
/// Its exact output is 0.19 inside, 0.16 on edges and 0.14 at corners, which the demo checks.
/// </summary>
internal static class DemoCommand
{
    private const int Size = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new CommandLine(args, ["--iterations", "--power"], ["--cpu"]);
        int iterations = options.Int("--iterations", 20, 1);
        using var context = await ML.CreateContextAsync(new MLContextOptions { PowerPreference = options.Power(), Accelerated = !options.Has("--cpu") });
        Console.WriteLine($"Device: {context.BackendName} — {context.DeviceDescription}");
        if (!context.Accelerated)
        {
            Console.WriteLine(GpuAdvice.NoGpuContext);
        }

        var stopwatch = Stopwatch.StartNew();
        var builder = new MLGraphBuilder(context);
        var x = builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Float32, 1, Size, Size, Size));
        var w = builder.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, 3, 3, Size, Size), Filled(3 * 3 * Size * Size, 0.01f));
        var b = builder.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, Size), Filled(Size, 0.1f));
        var conv = builder.Conv2d(x, w, new MLConv2dOptions
        {
            Padding = [1, 1, 1, 1],
            InputLayout = MLInputOperandLayout.Nhwc,
            FilterLayout = MLConv2dFilterOperandLayout.Hwio,
        });
        var y = builder.Relu(builder.Add(conv, b));
        using var graph = await builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = y });
        double buildMs = stopwatch.Elapsed.TotalMilliseconds;

        using var input = await context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [1, Size, Size, Size], writable: true));
        using var output = await context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [1, Size, Size, Size], readable: true));
        context.WriteTensor<float>(input, Filled(Size * Size * Size, 0.01f));
        var inputs = new Dictionary<string, MLTensor> { ["x"] = input };
        var outputs = new Dictionary<string, MLTensor> { ["y"] = output };

        // One warm-up, then the average of the timed iterations, each ending with a read-back as in the reference experiment.
        context.Dispatch(graph, inputs, outputs);
        float[] result = await context.ReadTensorAsync<float>(output);
        stopwatch.Restart();
        for (int i = 0; i < iterations; i++)
        {
            context.Dispatch(graph, inputs, outputs);
            result = await context.ReadTensorAsync<float>(output);
        }
        double perIterationMs = stopwatch.Elapsed.TotalMilliseconds / iterations;

        double checksum = 0;
        foreach (float value in result)
        {
            checksum += value;
        }
        double maxError = MaxErrorAgainstExpected(result);
        Console.WriteLine($"Build: {buildMs:F1} ms");
        Console.WriteLine($"conv2d + add + relu: {perIterationMs:F2} ms per iteration (average of {iterations}, each with a 4 MB read-back)");
        Console.WriteLine($"Checksum (sum of {result.Length} outputs): {checksum:F4}   (expected {ExpectedChecksum():F4})");
        Console.WriteLine($"Max abs error against the exact 0.19 / 0.16 / 0.14 pattern: {maxError:E2}");
        if (maxError > 1e-4)
        {
            Console.Error.WriteLine("webnn demo: the output does not match the expected values.");
            return 1;
        }
        return 0;
    }

    private static float[] Filled(int length, float value)
    {
        var values = new float[length];
        Array.Fill(values, value);
        return values;
    }

    /// <summary>Each output is 0.1 + 0.0001 × (100 channels) × (window taps inside the image).</summary>
    private static double Expected(int row, int column)
    {
        int rows = (row == 0 || row == Size - 1) ? 2 : 3;
        int columns = (column == 0 || column == Size - 1) ? 2 : 3;
        return 0.1 + 0.0001 * Size * rows * columns;
    }

    private static double ExpectedChecksum()
    {
        double sum = 0;
        for (int row = 0; row < Size; row++)
        {
            for (int column = 0; column < Size; column++)
            {
                sum += Expected(row, column) * Size;
            }
        }
        return sum;
    }

    private static double MaxErrorAgainstExpected(float[] result)
    {
        double maxError = 0;
        for (int row = 0; row < Size; row++)
        {
            for (int column = 0; column < Size; column++)
            {
                double expected = Expected(row, column);
                for (int channel = 0; channel < Size; channel++)
                {
                    maxError = Math.Max(maxError, Math.Abs(result[((row * Size) + column) * Size + channel] - expected));
                }
            }
        }
        return maxError;
    }
}
