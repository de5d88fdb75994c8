using WebNN.Backends;

namespace WebNN;

/// <summary>A compiled graph, run with <see cref="MLContext.Dispatch"/> (spec: <c>MLGraph</c>).</summary>
public sealed class MLGraph : IDisposable
{
    private int _destroyed;

    internal MLGraph(
        MLContext context,
        IBackendGraph backend,
        Dictionary<string, MLOperandDescriptor> inputDescriptors,
        Dictionary<string, MLOperandDescriptor> outputDescriptors)
    {
        Context = context;
        Backend = backend;
        Inputs = inputDescriptors;
        Outputs = outputDescriptors;
    }

    /// <summary>The graph's inputs by name (an extension of the spec: the spec keeps these internal).</summary>
    public IReadOnlyDictionary<string, MLOperandDescriptor> InputDescriptors => Inputs;

    /// <summary>The graph's outputs by name (an extension of the spec).</summary>
    public IReadOnlyDictionary<string, MLOperandDescriptor> OutputDescriptors => Outputs;

    /// <summary>The inputs as their own type, enumerated without allocating.</summary>
    internal Dictionary<string, MLOperandDescriptor> Inputs { get; }

    /// <summary>The outputs as their own type.</summary>
    internal Dictionary<string, MLOperandDescriptor> Outputs { get; }

    /// <summary>Whether <see cref="Destroy"/> has run.</summary>
    public bool IsDestroyed => Volatile.Read(ref _destroyed) != 0;

    internal MLContext Context { get; }

    internal IBackendGraph Backend { get; }

    /// <summary>Releases the compiled graph; later dispatches throw. Safe to call more than once.</summary>
    public void Destroy()
    {
        if (Interlocked.Exchange(ref _destroyed, 1) == 0)
        {
            Context.Release(this);
        }
    }

    /// <summary>Same as <see cref="Destroy"/>.</summary>
    public void Dispose() => Destroy();
}
