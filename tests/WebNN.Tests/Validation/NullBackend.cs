using WebNN.Backends;
using WebNN.Graph;

namespace WebNN.Tests.Validation;

/// <summary>
/// A backend that runs nothing and supports everything the spec allows: validation tests build
/// graphs against it with no device.
/// </summary>
internal sealed class NullBackendContext(bool fusesConv2dSummand = false) : IBackendContext
{
    public bool Accelerated => false;

    public bool FusesConv2dSummand => fusesConv2dSummand;

    public string DeviceDescription => "null (validation only)";

    public MLOpSupportLimits OpSupportLimits() => new()
    {
        PreferredInputLayout = MLInputOperandLayout.Nchw,
        MaxTensorByteLength = int.MaxValue,
        Input = new MLTensorLimits(MLOperandDataTypes.All, new MLRankRange(0, 8)),
        Constant = new MLTensorLimits(MLOperandDataTypes.All, new MLRankRange(0, 8)),
        Output = new MLTensorLimits(MLOperandDataTypes.All, new MLRankRange(0, 8)),
        Operators = WebNN.Validation.SpecTensorLimits.ByOperator.Keys.ToDictionary(
            name => name,
            name => WebNN.Validation.SpecTensorLimits.SupportLimits(name, MLOperandDataTypes.All.ToArray(), 8)),
    };

    public IBackendTensor CreateTensor(MLOperandDescriptor descriptor) => new NullTensor();

    public IBackendGraph Compile(GraphDescription graph) => new NullGraph(graph);

    public void Dispatch(IBackendGraph graph, IReadOnlyDictionary<string, IBackendTensor> inputs, IReadOnlyDictionary<string, IBackendTensor> outputs)
    {
    }

    public Task ReadAsync(IBackendTensor tensor, Memory<byte> destination) => Task.CompletedTask;

    public void Write(IBackendTensor tensor, ReadOnlySpan<byte> source)
    {
    }

    public void Dispose()
    {
    }

    /// <summary>A fresh context on the null backend.</summary>
    public static MLContext CreateContext(bool fusesConv2dSummand = false) =>
        new(new NullBackendContext(fusesConv2dSummand), "null", new MLContextOptions());

    /// <summary>Builds <paramref name="outputs"/> and returns the graph the backend received: after the optimizer's passes.</summary>
    public static async Task<GraphDescription> CompiledDescriptionAsync(MLGraphBuilder builder, Dictionary<string, MLOperand> outputs)
    {
        var graph = await builder.BuildAsync(outputs);
        return ((NullGraph)graph.Backend).Description;
    }

    /// <summary>A fresh builder on a fresh null context (one whose conv2d takes a summand, when asked).</summary>
    public static MLGraphBuilder CreateBuilder(bool fusesConv2dSummand = false) => new(CreateContext(fusesConv2dSummand));

    private sealed class NullTensor : IBackendTensor
    {
        public void Dispose()
        {
        }
    }

    /// <summary>The compiled graph keeps what the frontend handed over, for tests that inspect it.</summary>
    internal sealed class NullGraph(GraphDescription description) : IBackendGraph
    {
        public GraphDescription Description { get; } = description;

        public void Dispose()
        {
        }
    }
}
