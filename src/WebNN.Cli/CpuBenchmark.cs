using System.Text.Json;
using Google.Protobuf;
using WebNN.Onnx;

namespace WebNN.Cli;

/// <summary>
/// <c>webnn bench cpu</c>: the same operations on our CPU backend and on ONNX Runtime's CPU execution provider (MLAS),
/// side by side in one process with the same thread count. Each backend gets its own preferred layout — ours NHWC
/// with HWIO filters, ONNX Runtime NCHW with OIHW weights — and the same seeded values; the results are compared.
/// Weights (conv filters and biases, gemm's B and C) are constants in both; matmul's two operands are inputs.
/// </summary>
internal static class CpuBenchmark
{
    /// <summary>One row: median milliseconds per run of each, GFLOP/s from the multiply-adds (2 FLOPs each), and how far apart the results are.</summary>
    public sealed record Row(string Case, double GigaFlop, double OursMs, double OrtMs, double OursMinimumMs, double OrtMinimumMs,
        double OursGflops, double OrtGflops, double Ratio, double MaxRelativeDifference);

    public static async Task<int> RunAsync(CommandLine options)
    {
        int threads = options.Int("--threads", Environment.ProcessorCount, 1);
        int iterations = options.Int("--iterations", 20, 1);
        // Read once by the CPU backend's kernels: set before the first context exists.
        Environment.SetEnvironmentVariable("WEBNN_CPU_THREADS", threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var context = await ML.CreateContextAsync(new MLContextOptions { Accelerated = false });
        Console.WriteLine($"WebNN context: {context.BackendName} — {context.DeviceDescription}");
        Console.WriteLine($"ONNX Runtime {OrtSession.Version} CPU execution provider; {threads} thread(s) each; median of {iterations} runs each after warm-up, the two taken turn about in blocks of 5");
        Console.WriteLine();
        Console.WriteLine($"{"case",-50} {"ours ms",9} {"ORT ms",9} {"ours min",9} {"ORT min",9} {"ours GF/s",10} {"ORT GF/s",10} {"ours/ORT",9}");

        var rows = new List<Row>();
        string filter = options.Value("--case") ?? "";
        foreach (var benchCase in Cases().Where(c => $"{c.Name} [n={c.Batch}]".Contains(filter, StringComparison.OrdinalIgnoreCase)))
        {
            var row = Measure(context, benchCase, threads, iterations);
            rows.Add(row);
            Console.WriteLine($"{row.Case,-50} {row.OursMs,9:F2} {row.OrtMs,9:F2} {row.OursMinimumMs,9:F2} {row.OrtMinimumMs,9:F2} {row.OursGflops,10:F1} {row.OrtGflops,10:F1} {row.Ratio,8:F2}x");
        }
        double geometricMean = Math.Exp(rows.Average(r => Math.Log(r.Ratio)));
        Console.WriteLine($"{"geometric mean",-50} {"",9} {"",9} {"",9} {"",9} {"",10} {"",10} {geometricMean,8:F2}x");

        if (options.Value("--json") is { } path)
        {
            var report = new { context = context.DeviceDescription, onnxRuntime = OrtSession.Version, threads, iterations, rows, geometricMean };
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"wrote {path}");
        }
        // Both sum the same products in different orders; more than 1e-3 of the output's scale apart is a wrong result.
        var wrong = rows.Where(r => r.MaxRelativeDifference > 1e-3).ToList();
        foreach (var row in wrong)
        {
            Console.WriteLine($"ERROR: {row.Case}: the results differ by {row.MaxRelativeDifference:E1} of their scale.");
        }
        return wrong.Count == 0 ? 0 : 1;
    }

    /// <summary>The cases: the issue's seed convolution, the common convolution shapes at batch 1 and 8, a small deep image, and two matrix products.</summary>
    private static IEnumerable<BenchCase> Cases()
    {
        foreach (int batch in (int[])[1, 8])
        {
            yield return new ConvCase(batch, 100, 100, 100, 3, 1, "seed conv2d 3×3 100→100 +bias+relu");
            yield return new ConvCase(batch, 56, 64, 64, 3, 1, "conv2d 3×3 56² 64→64 +bias+relu");
            yield return new ConvCase(batch, 28, 256, 128, 1, 1, "conv2d 1×1 28² 256→128 +bias+relu");
            yield return new ConvCase(batch, 112, 32, 32, 3, 32, "depthwise 3×3 112² ×32 +bias+relu");
        }
        // ResNet18's last stage: too few pixels to share out by rows alone.
        yield return new ConvCase(1, 7, 512, 512, 3, 1, "conv2d 3×3 7² 512→512 +bias+relu");
        yield return new MatMulCase(1024, 1024, 1024);
        yield return new GemmCase(256, 4096, 1024);
    }

    private static Row Measure(MLContext context, BenchCase benchCase, int threads, int iterations)
    {
        var random = new Random(6);
        var ours = benchCase.BuildOurs(context, random);
        var ort = benchCase.BuildOrt(threads);
        try
        {
            // Both warmed up (our kernels reach their optimized JIT tier), then timed turn about.
            Timing.WarmUp(ours.Run);
            Timing.WarmUp(ort.Run);
            var (oursTimes, ortTimes) = Timing.Alternating(iterations, ours.Run, ort.Run);
            double oursMs = Timing.Median(oursTimes), ortMs = Timing.Median(ortTimes);
            double difference = MaxRelativeDifference(ours.Result(), benchCase.OrtResultInOurLayout(ort.Outputs["y"]));
            double gflop = benchCase.GigaFlop;
            return new Row($"{benchCase.Name} [n={benchCase.Batch}]", gflop, oursMs, ortMs, oursTimes.Min(), ortTimes.Min(),
                gflop / oursMs * 1e3, gflop / ortMs * 1e3, oursMs / ortMs, difference);
        }
        finally
        {
            ort.Dispose();
            ours.Dispose();
        }
    }

    private static double MaxRelativeDifference(float[] ours, float[] theirs)
    {
        double scale = 0, worst = 0;
        for (int i = 0; i < ours.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(theirs[i]));
            worst = Math.Max(worst, Math.Abs(ours[i] - theirs[i]));
        }
        return worst / Math.Max(scale, 1e-30);
    }

    private static float[] RandomValues(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = random.NextSingle() * 2 - 1;
        return values;
    }

    /// <summary>One operation built twice: a WebNN graph on our context and an ONNX model for ONNX Runtime, from the same values.</summary>
    private abstract class BenchCase
    {
        protected readonly Dictionary<string, (float[] Values, int[] Shape)> OrtInputs = [];
        protected readonly List<TensorProto> OrtInitializers = [];

        public abstract string Name { get; }

        public virtual int Batch => 1;

        public abstract double GigaFlop { get; }

        public abstract OursRun BuildOurs(MLContext context, Random random);

        /// <summary>The ONNX model of the same operation on the values <see cref="BuildOurs"/> drew.</summary>
        public abstract (NodeProto[] Nodes, int[] OutputShape) OrtGraph();

        public virtual float[] OrtResultInOurLayout(float[] result) => result;

        public OrtSession BuildOrt(int threads)
        {
            var (nodes, outputShape) = OrtGraph();
            var graph = new GraphProto { Name = Name };
            graph.Node.AddRange(nodes);
            graph.Initializer.AddRange(OrtInitializers);
            foreach (var (name, (_, shape)) in OrtInputs) graph.Input.Add(ValueInfo(name, shape));
            graph.Output.Add(ValueInfo("y", outputShape));
            var model = new ModelProto
            {
                IrVersion = 8,
                ProducerName = "webnn bench cpu",
                Graph = graph,
                OpsetImport = { new OperatorSetIdProto { Domain = "", Version = 17 } },
            };
            return new OrtSession(model.ToByteArray(), threads, OrtInputs, new Dictionary<string, int[]> { ["y"] = outputShape });
        }

        protected static TensorProto Initializer(string name, float[] values, params int[] shape)
        {
            var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())) };
            tensor.Dims.AddRange(shape.Select(d => (long)d));
            return tensor;
        }

        protected static NodeProto Node(string opType, string[] inputs, string output, params AttributeProto[] attributes)
        {
            var node = new NodeProto { OpType = opType, Output = { output } };
            node.Input.AddRange(inputs);
            node.Attribute.AddRange(attributes);
            return node;
        }

        protected static AttributeProto Ints(string name, params int[] values)
        {
            var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
            attribute.Ints.AddRange(values.Select(v => (long)v));
            return attribute;
        }

        protected static AttributeProto Int(string name, int value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

        private static ValueInfoProto ValueInfo(string name, int[] shape)
        {
            var tensorShape = new TensorShapeProto();
            tensorShape.Dim.AddRange(shape.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
            return new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape } },
            };
        }
    }

    /// <summary>conv2d of [n,s,s,cin] with a k×k filter, stride 1, same padding, + bias, relu; depthwise when groups = cin.</summary>
    private sealed class ConvCase(int batch, int size, int inputChannels, int outputChannels, int kernel, int groups, string name) : BenchCase
    {
        private float[] _input = [], _filterHwio = [], _bias = [];

        public override string Name => name;

        public override int Batch => batch;

        public override double GigaFlop => 2.0 * batch * size * size * outputChannels * kernel * kernel * (inputChannels / groups) / 1e9;

        public override OursRun BuildOurs(MLContext context, Random random)
        {
            int perGroup = inputChannels / groups;
            _input = RandomValues(random, batch * size * size * inputChannels);
            _filterHwio = RandomValues(random, kernel * kernel * perGroup * outputChannels);
            _bias = RandomValues(random, outputChannels);
            var builder = new MLGraphBuilder(context);
            var x = builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Float32, batch, size, size, inputChannels));
            var w = builder.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, kernel, kernel, perGroup, outputChannels), _filterHwio);
            var b = builder.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, outputChannels), _bias);
            int pad = kernel / 2;
            var conv = builder.Conv2d(x, w, new MLConv2dOptions
            {
                Padding = [pad, pad, pad, pad], Groups = groups,
                InputLayout = MLInputOperandLayout.Nhwc, FilterLayout = MLConv2dFilterOperandLayout.Hwio,
            });
            var y = builder.Relu(builder.Add(conv, b));
            return new OursRun(context, builder, y, ("x", _input, [batch, size, size, inputChannels]));
        }

        public override (NodeProto[] Nodes, int[] OutputShape) OrtGraph()
        {
            int perGroup = inputChannels / groups;
            OrtInputs["x"] = (NhwcToNchw(_input, batch, size * size, inputChannels), [batch, inputChannels, size, size]);
            // HWIO [k,k,i,o] → OIHW [o,i,k,k].
            var oihw = new float[_filterHwio.Length];
            for (int ky = 0; ky < kernel; ky++)
                for (int kx = 0; kx < kernel; kx++)
                    for (int i = 0; i < perGroup; i++)
                        for (int o = 0; o < outputChannels; o++)
                            oihw[((o * perGroup + i) * kernel + ky) * kernel + kx] = _filterHwio[((ky * kernel + kx) * perGroup + i) * outputChannels + o];
            OrtInitializers.Add(Initializer("w", oihw, outputChannels, perGroup, kernel, kernel));
            OrtInitializers.Add(Initializer("b", _bias, outputChannels));
            int pad = kernel / 2;
            var conv = Node("Conv", ["x", "w", "b"], "conv", Ints("kernel_shape", kernel, kernel), Ints("pads", pad, pad, pad, pad), Int("group", groups));
            return ([conv, Node("Relu", ["conv"], "y")], [batch, outputChannels, size, size]);
        }

        public override float[] OrtResultInOurLayout(float[] result)
        {
            // NCHW → NHWC.
            var nhwc = new float[result.Length];
            int pixels = size * size;
            for (int n = 0; n < batch; n++)
                for (int c = 0; c < outputChannels; c++)
                    for (int p = 0; p < pixels; p++)
                        nhwc[(n * pixels + p) * outputChannels + c] = result[(n * outputChannels + c) * pixels + p];
            return nhwc;
        }

        private static float[] NhwcToNchw(float[] values, int n, int pixels, int channels)
        {
            var nchw = new float[values.Length];
            for (int b = 0; b < n; b++)
                for (int p = 0; p < pixels; p++)
                    for (int c = 0; c < channels; c++)
                        nchw[(b * channels + c) * pixels + p] = values[(b * pixels + p) * channels + c];
            return nchw;
        }
    }

    /// <summary>matmul [m×k]·[k×n], both operands inputs (nothing to pre-pack).</summary>
    private sealed class MatMulCase(int m, int k, int n) : BenchCase
    {
        private float[] _a = [], _b = [];

        public override string Name => $"matmul {m}×{k}·{k}×{n} (inputs)";

        public override double GigaFlop => 2.0 * m * n * k / 1e9;

        public override OursRun BuildOurs(MLContext context, Random random)
        {
            _a = RandomValues(random, m * k);
            _b = RandomValues(random, k * n);
            var builder = new MLGraphBuilder(context);
            var a = builder.Input("a", new MLOperandDescriptor(MLOperandDataType.Float32, m, k));
            var b = builder.Input("b", new MLOperandDescriptor(MLOperandDataType.Float32, k, n));
            return new OursRun(context, builder, builder.Matmul(a, b), ("a", _a, [m, k]), ("b", _b, [k, n]));
        }

        public override (NodeProto[] Nodes, int[] OutputShape) OrtGraph()
        {
            OrtInputs["a"] = (_a, [m, k]);
            OrtInputs["b"] = (_b, [k, n]);
            return ([Node("MatMul", ["a", "b"], "y")], [m, n]);
        }
    }

    /// <summary>gemm: A [m×k] input · B [k×n] constant + C [n] constant, like a fully connected layer (M×K×N).</summary>
    private sealed class GemmCase(int m, int k, int n) : BenchCase
    {
        private float[] _a = [], _b = [], _c = [];

        public override string Name => $"gemm {m}×{k}·{k}×{n} +C (B, C constant)";

        public override double GigaFlop => 2.0 * m * n * k / 1e9;

        public override OursRun BuildOurs(MLContext context, Random random)
        {
            _a = RandomValues(random, m * k);
            _b = RandomValues(random, k * n);
            _c = RandomValues(random, n);
            var builder = new MLGraphBuilder(context);
            var a = builder.Input("a", new MLOperandDescriptor(MLOperandDataType.Float32, m, k));
            var b = builder.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, k, n), _b);
            var c = builder.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, n), _c);
            return new OursRun(context, builder, builder.Gemm(a, b, new MLGemmOptions { C = c }), ("a", _a, [m, k]));
        }

        public override (NodeProto[] Nodes, int[] OutputShape) OrtGraph()
        {
            OrtInputs["a"] = (_a, [m, k]);
            OrtInitializers.Add(Initializer("b", _b, k, n));
            OrtInitializers.Add(Initializer("c", _c, n));
            return ([Node("Gemm", ["a", "b", "c"], "y")], [m, n]);
        }
    }

    /// <summary>A built WebNN graph with its bound tensors: <see cref="Run"/> dispatches once and waits.</summary>
    private sealed class OursRun : IDisposable
    {
        private readonly MLContext _context;
        private readonly MLGraph _graph;
        private readonly Dictionary<string, MLTensor> _inputs = [];
        private readonly Dictionary<string, MLTensor> _outputs;
        private readonly int _outputLength;

        public OursRun(MLContext context, MLGraphBuilder builder, MLOperand output, params (string Name, float[] Values, int[] Shape)[] inputs)
        {
            _context = context;
            _graph = builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = output }).Result;
            foreach (var (name, values, shape) in inputs)
            {
                var tensor = context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, shape, writable: true)).Result;
                context.WriteTensor<float>(tensor, values);
                _inputs[name] = tensor;
            }
            _outputLength = output.Shape.Aggregate(1, (a, b) => a * b);
            _outputs = new() { ["y"] = context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, output.Shape, readable: true)).Result };
        }

        public void Run() => _context.Dispatch(_graph, _inputs, _outputs);

        public float[] Result()
        {
            var result = _context.ReadTensorAsync<float>(_outputs["y"]).Result;
            return result.Length == _outputLength ? result : result[.._outputLength];
        }

        /// <summary>Frees the graph and the tensors before the next case is built.</summary>
        public void Dispose()
        {
            foreach (var tensor in _inputs.Values.Concat(_outputs.Values)) tensor.Dispose();
            _graph.Dispose();
        }
    }
}
