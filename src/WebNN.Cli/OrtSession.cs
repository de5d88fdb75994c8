using Microsoft.ML.OnnxRuntime;

namespace WebNN.Cli;

/// <summary>An ONNX Runtime session on the CPU execution provider with pre-bound float32 input and output memory: the benchmarks' peer.</summary>
internal sealed class OrtSession : IDisposable
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly OrtValue[] _inputValues;
    private readonly string[] _outputNames;
    private readonly OrtValue[] _outputValues;

    public OrtSession(byte[] model, int threads, IReadOnlyDictionary<string, (float[] Values, int[] Shape)> inputs, IReadOnlyDictionary<string, int[]> outputShapes)
    {
        _options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, _options);
        _inputNames = [.. inputs.Keys];
        _inputValues = [.. inputs.Values.Select(v => OrtValue.CreateTensorValueFromMemory(v.Values, v.Shape.Select(d => (long)d).ToArray()))];
        _outputNames = [.. outputShapes.Keys];
        Outputs = outputShapes.ToDictionary(p => p.Key, p => new float[p.Value.Aggregate(1, (a, b) => a * b)]);
        _outputValues = [.. outputShapes.Select(p => OrtValue.CreateTensorValueFromMemory(Outputs[p.Key], p.Value.Select(d => (long)d).ToArray()))];
    }

    /// <summary>The version of the ONNX Runtime library in use.</summary>
    public static string Version => OrtEnv.Instance().GetVersionString();

    /// <summary>Each output's values after the last <see cref="Run"/>.</summary>
    public IReadOnlyDictionary<string, float[]> Outputs { get; }

    public void Run() => _session.Run(_runOptions, _inputNames, _inputValues, _outputNames, _outputValues);

    public void Dispose()
    {
        foreach (var value in _inputValues.Concat(_outputValues)) value.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _options.Dispose();
    }
}
