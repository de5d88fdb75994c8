using WebNN.Backends;
using WebNN.Graph;

namespace WebNN.Cpu;

/// <summary>
/// A context on the CPU. Work runs synchronously on the calling thread inside <see cref="Dispatch"/>
/// (kernels fan out over the thread pool), so the timeline's order is the order of calls.
/// </summary>
internal sealed class CpuContext(string deviceDescription) : IBackendContext
{
    /// <summary>The largest rank the kernels accept.</summary>
    public const int MaxRank = 8;

    private static readonly Lazy<MLOpSupportLimits> Limits = new(CreateLimits);

    public bool Accelerated => false;

    public bool FusesConv2dSummand => true;

    public string DeviceDescription { get; } = deviceDescription;

    public MLOpSupportLimits OpSupportLimits() => Limits.Value;

    public IBackendTensor CreateTensor(MLOperandDescriptor descriptor) => new CpuTensor(descriptor.ByteLength);

    public IBackendGraph Compile(GraphDescription graph) => CpuGraph.Compile(graph);

    public void Dispatch(IBackendGraph graph, IReadOnlyDictionary<string, IBackendTensor> inputs, IReadOnlyDictionary<string, IBackendTensor> outputs) =>
        ((CpuGraph)graph).Run(inputs, outputs);

    public Task ReadAsync(IBackendTensor tensor, Memory<byte> destination)
    {
        ((CpuTensor)tensor).Data.Span[..destination.Length].CopyTo(destination.Span);
        return Task.CompletedTask;
    }

    public void Write(IBackendTensor tensor, ReadOnlySpan<byte> source) => source.CopyTo(((CpuTensor)tensor).Data.Span);

    public void Dispose()
    {
    }

    private static MLOpSupportLimits CreateLimits()
    {
        var any = new MLTensorLimits(MLOperandDataTypes.All, new MLRankRange(0, MaxRank));
        return new MLOpSupportLimits
        {
            PreferredInputLayout = MLInputOperandLayout.Nhwc,
            MaxTensorByteLength = Array.MaxLength,
            Input = any,
            Constant = any,
            Output = any,
            Operators = CpuOperators.Registry.ToDictionary(
                entry => entry.Key,
                entry => WebNN.Validation.SpecTensorLimits.SupportLimits(entry.Key, entry.Value.DataTypes, MaxRank)),
        };
    }
}
