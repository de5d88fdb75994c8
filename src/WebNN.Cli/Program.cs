namespace WebNN.Cli;

/// <summary>The <c>webnn</c> command: one sub-command per verb.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        string verb = args.Length > 0 ? args[0] : "help";
        string[] rest = args.Length > 0 ? args[1..] : [];
        try
        {
            switch (verb)
            {
                case "devices":
                    return await DevicesCommand.RunAsync(rest);
                case "demo":
                    return await DemoCommand.RunAsync(rest);
                case "gpu-info":
                    return await GpuInfoCommand.RunAsync(rest);
                case "bench":
                    return await BenchCommand.RunAsync(rest);
                case "ops":
                    return await OpsCommand.RunAsync(rest);
                case "run":
                    return await RunCommand.RunAsync(rest);
                case "help":
                case "--help":
                case "-h":
                    PrintUsage();
                    return 0;
                default:
                    Console.Error.WriteLine($"webnn: unknown command '{verb}'.");
                    PrintUsage();
                    return 2;
            }
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"webnn {verb}: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is WebNN.Onnx.OnnxFormatException or WebNN.Onnx.OnnxUnsupportedException or FileNotFoundException)
        {
            Console.Error.WriteLine($"webnn {verb}: {e.Message}");
            return 1;
        }
    }

    private static void PrintUsage()
    {
        Console.WriteLine("""
            usage: webnn <command> [options]
            commands:
              devices     which contexts can be created, on which device, and which one each preference picks
              demo        conv2d [1,100,100,100] NHWC × [3,3,100,100] HWIO, same padding, + bias + relu: time and checksum
                          options: --iterations N (default 20), --power default|high-performance|low-power, --cpu
              gpu-info    every WebGPU adapter with its info, features and limits
              bench interop   the reference experiment timed four ways on a WebGPU device (WGSL only; WebNN →
                          CPU → WebGPU; WebNN → shared buffer → WebGPU; fused WebNN graph)
                          options: --iterations N (default 20), --size S (default 100), --json FILE,
                          --device high-performance|low-power|fallback (the WebGPU adapter) or cpu (a CPU WebNN context),
                          --backend cuda (adds rows 2c, 3c, 4c and 4c-tf32: the cuda backend's cuDNN conv2d → CPU → WebGPU,
                          → pinned host memory wrapped as a GPUBuffer → WebGPU, and fused, float32 and TF32, CUDA-event GPU time)
              bench cpu   our CPU backend against ONNX Runtime's CPU execution provider on the same operations (conv2d,
                          depthwise, 1×1, matmul, gemm), timed turn about in blocks of 5: median and minimum ms,
                          GFLOP/s and ours/ORT (of the medians) per case
                          options: --threads N (default: every core, both backends), --iterations N (default 20), --json FILE,
                          --case TEXT (only the cases whose name contains it)
              bench resnet18  ResNet18 (from the Microsoft.ML.DnnImageFeaturizer.ResNet18 package) on our backend and on
                          ONNX Runtime's CPU execution provider, same seeded input and thread count: times and agreement
                          options: as for run (--device, --threads, --iterations)
              run MODEL.onnx  imports an ONNX model, builds and runs it: output shapes and checksums, load/build/first-run/
                          steady-state times. options: --device cpu|gpu|cuda (default cpu; gpu is WebGPU), --input name=file.npy (float32 or int64;
                          without it seeded random values), --dim name=value (a free dimension), --iterations N (default 20),
                          --threads N (CPU, default every core), --compare-ort (ONNX Runtime on the same inputs)
              ops         every spec operation and the data types each backend runs it on (--markdown for a table)
              help        this text
            """);
    }
}

/// <summary>A command-line mistake: printed without a stack trace, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
