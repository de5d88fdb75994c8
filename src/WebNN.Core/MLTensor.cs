using WebNN.Backends;

namespace WebNN;

/// <summary>
/// Memory that graphs read and write, owned by one <see cref="MLContext"/> (spec: <c>MLTensor</c>).
/// Create with <see cref="MLContext.CreateTensorAsync"/>; release with <see cref="Destroy"/> or <see cref="Dispose"/>.
/// </summary>
public sealed class MLTensor : IDisposable
{
    private readonly MLTensorDescriptor _descriptor;
    private int _destroyed;

    internal MLTensor(MLContext context, MLTensorDescriptor descriptor, bool constant, IBackendTensor backend)
    {
        Context = context;
        _descriptor = descriptor;
        Constant = constant;
        Backend = backend;
    }

    /// <summary>The element type.</summary>
    public MLOperandDataType DataType => _descriptor.DataType;

    /// <summary>The dimensions (a copy).</summary>
    public int[] Shape => (int[])_descriptor.Shape.Clone();

    /// <summary>Whether the tensor can be read back.</summary>
    public bool Readable => _descriptor.Readable;

    /// <summary>Whether the tensor can be written.</summary>
    public bool Writable => _descriptor.Writable;

    /// <summary>Whether this is a constant tensor (made by <see cref="MLContext.CreateConstantTensorAsync(MLOperandDescriptor, ReadOnlyMemory{byte})"/>).</summary>
    public bool Constant { get; }

    /// <summary>Whether <see cref="Destroy"/> has run (or the context was destroyed).</summary>
    public bool IsDestroyed => Volatile.Read(ref _destroyed) != 0;

    internal MLContext Context { get; }

    internal MLTensorDescriptor Descriptor => _descriptor;

    internal IBackendTensor Backend { get; }

    /// <summary>Releases the tensor's memory; later use throws. Safe to call more than once.</summary>
    public void Destroy()
    {
        if (Interlocked.Exchange(ref _destroyed, 1) == 0)
        {
            Context.Release(this);
        }
    }

    /// <summary>Same as <see cref="Destroy"/>.</summary>
    public void Dispose() => Destroy();

    /// <inheritdoc/>
    public override string ToString() => $"MLTensor {_descriptor}{(Constant ? " constant" : "")}";
}
