using WebNN.Graph;

namespace WebNN.Backends;

/// <summary>
/// What a backend implements for one <see cref="MLContext"/>. The frontend has validated every
/// argument before any call reaches it: a backend only translates and runs.
/// </summary>
internal interface IBackendContext : IDisposable
{
    /// <summary>Whether this backend runs on an accelerator (spec: <c>MLContext.accelerated</c>).</summary>
    bool Accelerated { get; }

    /// <summary>A line that says which device the context runs on, for <c>webnn devices</c> and errors.</summary>
    string DeviceDescription { get; }

    /// <summary>What the backend can run; the frontend rejects graphs outside these limits at build.</summary>
    MLOpSupportLimits OpSupportLimits();

    /// <summary>
    /// Whether the backend's conv2d takes the internal input "summand" (a tensor of the output's shape added before the
    /// fused activation), which the optimizer then fuses residual connections into.
    /// </summary>
    bool FusesConv2dSummand => false;

    /// <summary>Allocates a zero-filled tensor.</summary>
    IBackendTensor CreateTensor(MLOperandDescriptor descriptor);

    /// <summary>Compiles a validated graph whose every operator is within <see cref="OpSupportLimits"/>.</summary>
    IBackendGraph Compile(GraphDescription graph);

    /// <summary>Runs <paramref name="graph"/> on the context's timeline (in order with reads and writes).</summary>
    void Dispatch(IBackendGraph graph, IReadOnlyDictionary<string, IBackendTensor> inputs, IReadOnlyDictionary<string, IBackendTensor> outputs);

    /// <summary>Copies the tensor's bytes into <paramref name="destination"/> after the work queued before.</summary>
    Task ReadAsync(IBackendTensor tensor, Memory<byte> destination);

    /// <summary>Replaces the tensor's bytes, ordered after the work queued before.</summary>
    void Write(IBackendTensor tensor, ReadOnlySpan<byte> source);
}

/// <summary>A backend's storage of one <see cref="MLTensor"/>.</summary>
internal interface IBackendTensor : IDisposable
{
}

/// <summary>A backend's compiled form of one <see cref="MLGraph"/>.</summary>
internal interface IBackendGraph : IDisposable
{
}

/// <summary>
/// Makes contexts of one backend. Each backend assembly has one, found by <see cref="BackendRegistry"/>.
/// </summary>
internal interface IBackendProvider
{
    /// <summary>The backend's short name ("cpu", "webgpu", ...).</summary>
    string Name { get; }

    /// <summary>Whether its contexts run on an accelerator.</summary>
    bool Accelerated { get; }

    /// <summary>
    /// Whether high-performance contexts prefer it to the other backends on a device of the same kind (a vendor-library
    /// backend, faster on its vendor's GPUs than the portable one).
    /// </summary>
    bool PreferredForHighPerformance => false;

    /// <summary>Whether it can make a context on this machine, and why not when it cannot.</summary>
    BackendAvailability Probe();

    /// <summary>Makes a context.</summary>
    Task<IBackendContext> CreateContextAsync(MLContextOptions options);
}

/// <summary>Whether a backend is usable here, with the device it would use (and its kind) or the reason it is not.</summary>
internal sealed record BackendAvailability(bool Available, string Description, MLDeviceKind Kind);
