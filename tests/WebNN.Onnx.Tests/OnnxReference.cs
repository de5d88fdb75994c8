using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using WebGpu;
using WebNN.WebGpu;

namespace WebNN.Onnx.Tests;

/// <summary>
/// Runs one ONNX model on our importer (a CPU or WebGPU context) and on ONNX Runtime's CPU execution provider with the same seeded
/// inputs, and reports how far apart the outputs are relative to ONNX Runtime's output scale.
/// </summary>
internal static class OnnxReference
{
    /// <summary>The CPU context the tests build on.</summary>
    public static readonly Lazy<Task<MLContext>> CpuContext = new(() => ML.CreateContextAsync(new MLContextOptions { Accelerated = false }));

    /// <summary>A context on the first WebGPU adapter (lavapipe in CI), kept for the process like the device under it.</summary>
    public static readonly Lazy<Task<MLContext>> WebGpuContext = new(async () =>
    {
        var adapter = await GPU.RequestAdapterAsync()
            ?? throw new InvalidOperationException("No WebGPU adapter: install lavapipe with `sudo bash .ci/install-vulkan.sh`.");
        return await ML.CreateContextAsync(await adapter.RequestDeviceAsync());
    });

    /// <summary>The context of a backend by name: "cpu" or "webgpu".</summary>
    public static Task<MLContext> Context(string backend) => backend switch
    {
        "cpu" => CpuContext.Value,
        "webgpu" => WebGpuContext.Value,
        _ => throw new ArgumentException($"unknown backend '{backend}'", nameof(backend)),
    };

    /// <summary>One output compared: the relative difference max|ours − ORT| / max|ORT| (absolute when ORT's scale is below 1).</summary>
    public sealed record Comparison(string Output, int[] Shape, double MaxAbsDifference, double Scale)
    {
        public double Relative => MaxAbsDifference / Math.Max(Scale, 1);
    }

    public static Task<Comparison[]> CompareAsync(byte[] model, string backend = "cpu", int seed = 1) =>
        CompareAsync(OnnxModel.Load(new MemoryStream(model)), options => new InferenceSession(model, options), backend, seed);

    /// <summary>The model file at <paramref name="path"/> (with any external weights beside it), loaded by both from the path.</summary>
    public static Task<Comparison[]> CompareFileAsync(string path, string backend = "cpu", int seed = 1) =>
        CompareAsync(OnnxModel.Load(path), options => new InferenceSession(path, options), backend, seed);

    private static async Task<Comparison[]> CompareAsync(OnnxModel onnx, Func<SessionOptions, InferenceSession> createSession, string backend, int seed)
    {
        var inputs = new Dictionary<string, (float[] Values, int[] Shape)>();
        var random = new Random(seed);
        foreach (var input in onnx.Inputs)
        {
            int[] shape = [.. input.Shape!.Select(d => (int)d.Value!.Value)];
            var values = new float[shape.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < values.Length; i++) values[i] = random.NextSingle() * 2 - 1;
            inputs[input.Name] = (values, shape);
        }
        var context = await Context(backend);
        using var graph = await onnx.BuildAsync(context);
        var ours = await context.ComputeAsync(graph, inputs.ToDictionary(p => p.Key, p => (Array)p.Value.Values));
        var theirs = RunOrt(createSession, inputs);
        var comparisons = new List<Comparison>();
        foreach (var output in onnx.Outputs)
        {
            var (expected, expectedShape) = theirs[output.Name];
            Assert.Equal(expectedShape, graph.OutputDescriptors[output.Name].Shape);
            double[] actual = AsDoubles(ours[output.Name]);
            Assert.Equal(expected.Length, actual.Length);
            double worst = 0, scale = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                scale = Math.Max(scale, Math.Abs(expected[i]));
                // A NaN on one side only is a difference; on both sides (log of a negative) an agreement.
                double difference = double.IsNaN(actual[i]) && double.IsNaN(expected[i]) ? 0 : Math.Abs(actual[i] - expected[i]);
                worst = Math.Max(worst, double.IsNaN(difference) ? double.PositiveInfinity : difference);
            }
            comparisons.Add(new Comparison(output.Name, expectedShape, worst, scale));
        }
        return [.. comparisons];
    }

    public static async Task AssertMatchesAsync(ModelProto model, string backend, double tolerance = 1e-5)
    {
        foreach (var comparison in await CompareAsync(model.ToByteArray(), backend))
        {
            Assert.True(comparison.Relative <= tolerance, $"output '{comparison.Output}' differs from ONNX Runtime by {comparison.MaxAbsDifference:E2} at scale {comparison.Scale:G3}.");
        }
    }

    private static Dictionary<string, (double[] Values, int[] Shape)> RunOrt(Func<SessionOptions, InferenceSession> createSession, Dictionary<string, (float[] Values, int[] Shape)> inputs)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = createSession(options);
        var values = inputs.Select(p => NamedOnnxValue.CreateFromTensor(p.Key, new DenseTensor<float>(p.Value.Values, p.Value.Shape))).ToList();
        using var results = session.Run(values);
        return results.ToDictionary(r => r.Name, r => r.Value switch
        {
            Tensor<float> t => (t.Select(v => (double)v).ToArray(), t.Dimensions.ToArray()),
            Tensor<long> t => (t.Select(v => (double)v).ToArray(), t.Dimensions.ToArray()),
            Tensor<bool> t => (t.Select(v => v ? 1.0 : 0.0).ToArray(), t.Dimensions.ToArray()),
            var other => throw new NotSupportedException($"ONNX Runtime output of {other.GetType()}"),
        });
    }

    private static double[] AsDoubles(Array values) => values switch
    {
        float[] floats => [.. floats.Select(v => (double)v)],
        long[] longs => [.. longs.Select(v => (double)v)],
        int[] ints => [.. ints.Select(v => (double)v)],
        byte[] bytes => [.. bytes.Select(v => (double)v)],
        _ => throw new NotSupportedException($"output of {values.GetType()}"),
    };
}
