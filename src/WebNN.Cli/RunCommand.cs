using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using WebGpu;
using WebNN.Onnx;
using WebNN.WebGpu;

namespace WebNN.Cli;

/// <summary>
/// <c>webnn run MODEL.onnx</c>: imports an ONNX model, builds it on a CPU or GPU context, runs it on given .npy inputs
/// (or seeded random ones), and prints each output's shape and checksum with the load, build, first-run and
/// steady-state times; with <c>--compare-ort</c> also ONNX Runtime's outputs and times on the same inputs.
/// </summary>
internal static class RunCommand
{
    private const int RandomSeed = 1;

    public static Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException("give the model file first: webnn run MODEL.onnx [options].");
        }
        var options = new CommandLine(args[1..], ["--device", "--input", "--iterations", "--dim", "--threads"], ["--compare-ort"]);
        return RunModelAsync(args[0], options, options.Has("--compare-ort"));
    }

    /// <summary>Runs the model at <paramref name="path"/> with the options of <c>webnn run</c>; <c>webnn bench resnet18</c> comes here too.</summary>
    public static async Task<int> RunModelAsync(string path, CommandLine options, bool compareOrt)
    {
        int iterations = options.Int("--iterations", 20, 1);
        int threads = options.Int("--threads", Environment.ProcessorCount, 1);
        string device = options.Value("--device") ?? "cpu";
        if (device is not ("cpu" or "gpu" or "cuda"))
        {
            throw new UsageException($"--device must be cpu, gpu (WebGPU) or cuda, not '{device}'.");
        }
        bool gpu = device == "gpu";
        var freeDimensions = options.Values("--dim").ToDictionary(d => Split(d, "--dim").Name, d => ParseDimension(d));
        var inputFiles = options.Values("--input").ToDictionary(i => Split(i, "--input").Name, i => Split(i, "--input").Value);
        // Read once by the CPU backend's kernels: set before the first context exists.
        Environment.SetEnvironmentVariable("WEBNN_CPU_THREADS", threads.ToString(CultureInfo.InvariantCulture));

        var stopwatch = Stopwatch.StartNew();
        var model = OnnxModel.Load(path);
        double loadMs = stopwatch.Elapsed.TotalMilliseconds;
        if (inputFiles.Keys.FirstOrDefault(name => model.Inputs.All(i => i.Name != name)) is { } unknown)
        {
            throw new UsageException($"the model has no input '{unknown}'; its inputs are {string.Join(", ", model.Inputs.Select(i => i.Name))}.");
        }
        Console.WriteLine($"{Path.GetFileName(path)}: opset {model.OpsetVersion}, {model.Producer}; inputs {string.Join("; ", model.Inputs)}; outputs {string.Join("; ", model.Outputs)}");

        // --device gpu takes the first WebGPU adapter, a software one (lavapipe) too: the user asked for that backend.
        using var adapter = gpu ? await GPU.RequestAdapterAsync() ?? throw new UsageException("no WebGPU adapter. " + GpuAdvice.HowToGetAnAdapter) : null;
        using var gpuDevice = adapter is null ? null : await adapter.RequestDeviceAsync();
        using var context = gpuDevice is not null ? await ML.CreateContextAsync(gpuDevice)
            : await ML.CreateContextAsync(device == "cuda" ? new MLContextOptions { Backend = "cuda" } : new MLContextOptions { Accelerated = false });
        Console.WriteLine($"WebNN context: {context.BackendName} — {context.DeviceDescription}{(device == "cpu" ? $"; {threads} thread(s)" : "")}");
        stopwatch.Restart();
        using var graph = await model.BuildAsync(context, freeDimensions);
        double buildMs = stopwatch.Elapsed.TotalMilliseconds;

        var inputValues = new Dictionary<string, (MLOperandDataType DataType, int[] Shape, byte[] Data)>();
        var random = new Random(RandomSeed);
        foreach (var (name, descriptor) in graph.InputDescriptors)
        {
            if (inputFiles.TryGetValue(name, out string? file))
            {
                var array = NpyFile.Read(file);
                if (array.DataType != descriptor.DataType || !array.Shape.SequenceEqual(descriptor.Shape))
                {
                    throw new UsageException($"'{file}' holds {array.DataType.SpecName()}[{string.Join(", ", array.Shape)}]; input '{name}' is {descriptor}.");
                }
                inputValues[name] = array;
            }
            else
            {
                Console.WriteLine($"input '{name}' {descriptor}: seeded random values (seed {RandomSeed}; floats in [-1, 1), integers in [0, 10)), since no --input names it");
                inputValues[name] = (descriptor.DataType, descriptor.Shape, RandomBytes(random, descriptor));
            }
        }

        var inputs = new Dictionary<string, MLTensor>();
        foreach (var (name, descriptor) in graph.InputDescriptors)
        {
            inputs[name] = await context.CreateTensorAsync(new MLTensorDescriptor(descriptor.DataType, descriptor.Shape, writable: true));
            context.WriteTensor(inputs[name], inputValues[name].Data);
        }
        var outputs = new Dictionary<string, MLTensor>();
        foreach (var (name, descriptor) in graph.OutputDescriptors)
        {
            outputs[name] = await context.CreateTensorAsync(new MLTensorDescriptor(descriptor.DataType, descriptor.Shape, readable: true));
        }
        var results = new Dictionary<string, byte[]>();
        void Run()
        {
            context.Dispatch(graph, inputs, outputs);
            foreach (var (name, tensor) in outputs)
            {
                results[name] = context.ReadTensorAsync(tensor).GetAwaiter().GetResult();
            }
        }
        stopwatch.Restart();
        Run();
        double firstMs = stopwatch.Elapsed.TotalMilliseconds;
        Timing.WarmUp(Run);
        using var ort = compareOrt ? StartOrt(path, graph, inputValues, threads) : null;
        double steadyMs, ortMs = 0;
        if (ort is null)
        {
            steadyMs = Timing.Median(iterations, Run);
        }
        else
        {
            // Timed turn about, so that a shared machine's drift reaches both alike.
            Timing.WarmUp(ort.Run);
            var (oursTimes, ortTimes) = Timing.Alternating(iterations, Run, ort.Run);
            steadyMs = Timing.Median(oursTimes);
            ortMs = Timing.Median(ortTimes);
        }

        foreach (var (name, descriptor) in graph.OutputDescriptors)
        {
            double[] values = ToDoubles(results[name], descriptor.DataType);
            Console.WriteLine($"output '{name}' {descriptor}: sum {values.Sum():G9}, sum of |x| {values.Sum(Math.Abs):G9}, first values [{string.Join(", ", values.Take(5).Select(v => v.ToString("G6", CultureInfo.InvariantCulture)))}]");
        }
        Console.WriteLine($"load {loadMs:F1} ms, build {buildMs:F1} ms, first run {firstMs:F1} ms, steady state {steadyMs:F2} ms (median of {iterations} runs after warm-up, each with its output read-back{(ort is null ? "" : "; taken turn about with ONNX Runtime's in blocks of 5")})");

        int status = 0;
        if (ort is not null)
        {
            status = CompareWithOrt(ort, results, threads, steadyMs, ortMs);
        }
        foreach (var tensor in inputs.Values.Concat(outputs.Values)) tensor.Destroy();
        return status;
    }

    /// <summary>
    /// ONNX Runtime's CPU execution provider on the same model and inputs with the same thread count, run once; null (and
    /// a line that says so) when the model's inputs or outputs are not all float32.
    /// </summary>
    private static OrtSession? StartOrt(string path, MLGraph graph, Dictionary<string, (MLOperandDataType DataType, int[] Shape, byte[] Data)> inputValues, int threads)
    {
        if (graph.InputDescriptors.Values.Concat(graph.OutputDescriptors.Values).Any(d => d.DataType != MLOperandDataType.Float32))
        {
            Console.WriteLine("--compare-ort: skipped; it compares float32 inputs and outputs only.");
            return null;
        }
        var ortInputs = inputValues.ToDictionary(p => p.Key, p => (MemoryMarshal.Cast<byte, float>(p.Value.Data).ToArray(), p.Value.Shape));
        var stopwatch = Stopwatch.StartNew();
        var ort = new OrtSession(File.ReadAllBytes(path), threads, ortInputs, graph.OutputDescriptors.ToDictionary(p => p.Key, p => p.Value.Shape));
        double sessionMs = stopwatch.Elapsed.TotalMilliseconds;
        stopwatch.Restart();
        ort.Run();
        Console.WriteLine($"ONNX Runtime {OrtSession.Version} CPU, {threads} thread(s): session {sessionMs:F1} ms, first run {stopwatch.Elapsed.TotalMilliseconds:F1} ms");
        return ort;
    }

    /// <summary>ONNX Runtime's steady-state time beside ours, and how far its outputs are from ours.</summary>
    private static int CompareWithOrt(OrtSession ort, Dictionary<string, byte[]> results, int threads, double oursMs, double ortMs)
    {
        Console.WriteLine($"ONNX Runtime {OrtSession.Version} CPU, {threads} thread(s): steady state {ortMs:F2} ms; ours/ORT {oursMs / ortMs:F2}x (timings on a shared machine are noisy)");
        int status = 0;
        foreach (var (name, theirs) in ort.Outputs)
        {
            var ours = MemoryMarshal.Cast<byte, float>(results[name]);
            double scale = 0, worst = 0;
            for (int i = 0; i < theirs.Length; i++)
            {
                scale = Math.Max(scale, Math.Abs(theirs[i]));
                worst = Math.Max(worst, Math.Abs(ours[i] - theirs[i]));
            }
            // Same tolerance as bench cpu: more than 1e-3 of the output's scale apart is a wrong result.
            bool agrees = worst <= 1e-3 * scale;
            Console.WriteLine($"output '{name}': max |ours − ORT| {worst:E2}, max |ORT| {scale:G4}, relative {worst / Math.Max(scale, 1e-30):E2}{(agrees ? "" : " — ERROR: more than 1e-3 of the scale")}");
            status |= agrees ? 0 : 1;
        }
        return status;
    }

    private static (string Name, string Value) Split(string text, string option)
    {
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == text.Length - 1)
        {
            throw new UsageException($"{option} takes name=value, not '{text}'.");
        }
        return (text[..equals], text[(equals + 1)..]);
    }

    private static int ParseDimension(string text)
    {
        var (name, value) = Split(text, "--dim");
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int size) && size > 0
            ? size
            : throw new UsageException($"--dim {name} must be a positive integer, not '{value}'.");
    }

    private static byte[] RandomBytes(Random random, MLOperandDescriptor descriptor)
    {
        var bytes = new byte[descriptor.ByteLength];
        long count = descriptor.ElementCount;
        for (int i = 0; i < count; i++)
        {
            var element = bytes.AsSpan(i * descriptor.DataType.ByteSize());
            switch (descriptor.DataType)
            {
                case MLOperandDataType.Float32: MemoryMarshal.Write(element, random.NextSingle() * 2 - 1); break;
                case MLOperandDataType.Float16: MemoryMarshal.Write(element, (Half)(random.NextSingle() * 2 - 1)); break;
                default: ((MLNumber)random.Next(10)).WriteAs(descriptor.DataType, element); break;
            }
        }
        return bytes;
    }

    private static double[] ToDoubles(byte[] bytes, MLOperandDataType dataType) => dataType switch
    {
        MLOperandDataType.Float32 => [.. MemoryMarshal.Cast<byte, float>(bytes).ToArray().Select(v => (double)v)],
        MLOperandDataType.Float16 => [.. MemoryMarshal.Cast<byte, Half>(bytes).ToArray().Select(v => (double)v)],
        MLOperandDataType.Int32 => [.. MemoryMarshal.Cast<byte, int>(bytes).ToArray().Select(v => (double)v)],
        MLOperandDataType.Uint32 => [.. MemoryMarshal.Cast<byte, uint>(bytes).ToArray().Select(v => (double)v)],
        MLOperandDataType.Int64 => [.. MemoryMarshal.Cast<byte, long>(bytes).ToArray().Select(v => (double)v)],
        MLOperandDataType.Uint64 => [.. MemoryMarshal.Cast<byte, ulong>(bytes).ToArray().Select(v => (double)v)],
        MLOperandDataType.Int8 => [.. MemoryMarshal.Cast<byte, sbyte>(bytes).ToArray().Select(v => (double)v)],
        _ => [.. bytes.Select(v => (double)v)],
    };
}
