using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using WebNN.Backends;
using WebNN.Graph;
using WebNN.Validation;

namespace WebNN;

/// <summary>
/// A device on which graphs are built and run, with its own timeline of work (spec: <c>MLContext</c>).
/// Its methods may be called from any thread; work on the timeline runs in the order it was queued.
/// </summary>
public sealed class MLContext : IDisposable
{
    private readonly IBackendContext _backend;
    private readonly Lock _timeline = new();
    private readonly TaskCompletionSource<MLContextLostInfo> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<MLTensor> _tensors = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<MLGraph> _graphs = new(ReferenceEqualityComparer.Instance);
    private readonly Lazy<MLOpSupportLimits> _limits;
    // Reused by every dispatch, under the timeline's lock, so that a dispatch allocates nothing.
    private readonly HashSet<MLTensor> _dispatchTensors = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, IBackendTensor> _dispatchInputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IBackendTensor> _dispatchOutputs = new(StringComparer.Ordinal);

    internal MLContext(IBackendContext backend, string backendName, MLContextOptions options)
    {
        _backend = backend;
        BackendName = backendName;
        PowerPreference = options.PowerPreference;
        _limits = new Lazy<MLOpSupportLimits>(backend.OpSupportLimits);
    }

    /// <summary>Whether the context runs on an accelerator (spec: <c>accelerated</c>).</summary>
    public bool Accelerated => _backend.Accelerated;

    /// <summary>Completes when the context is lost or destroyed (spec: <c>lost</c>).</summary>
    public Task<MLContextLostInfo> Lost => _lost.Task;

    /// <summary>The backend running this context ("cpu", ...): an extension of the spec.</summary>
    public string BackendName { get; }

    /// <summary>The device the context runs on, in words: an extension of the spec.</summary>
    public string DeviceDescription => _backend.DeviceDescription;

    /// <summary>The power preference the context was created with.</summary>
    public MLPowerPreference PowerPreference { get; }

    internal bool IsLost => _lost.Task.IsCompleted;

    internal IBackendContext Backend => _backend;

    /// <summary>What this context's backend supports (spec: <c>opSupportLimits()</c>).</summary>
    public MLOpSupportLimits OpSupportLimits() => _limits.Value;

    /// <summary>Creates a zero-filled tensor (spec: <c>createTensor</c>).</summary>
    /// <exception cref="ObjectDisposedException">The context is lost or destroyed.</exception>
    /// <exception cref="ArgumentException">The descriptor is invalid.</exception>
    public Task<MLTensor> CreateTensorAsync(MLTensorDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        try
        {
            ThrowIfLost("createTensor");
            CheckDimensions("createTensor", descriptor);
            return Task.FromResult(Track(new MLTensor(this, Freeze(descriptor), constant: false, CreateBackendTensor(descriptor))));
        }
        catch (Exception e)
        {
            return Task.FromException<MLTensor>(e);
        }
    }

    /// <summary>Creates a constant tensor holding a copy of <paramref name="inputData"/> (spec: <c>createConstantTensor</c>).</summary>
    public Task<MLTensor> CreateConstantTensorAsync(MLOperandDescriptor descriptor, ReadOnlySpan<byte> inputData)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        try
        {
            ThrowIfLost("createConstantTensor");
            CheckDimensions("createConstantTensor", descriptor);
            CheckBuffer("createConstantTensor", descriptor, inputData.Length);
            var frozen = new MLTensorDescriptor(descriptor.DataType, (int[])descriptor.Shape.Clone());
            var backendTensor = CreateBackendTensor(frozen);
            lock (_timeline)
            {
                _backend.Write(backendTensor, inputData);
            }
            return Task.FromResult(Track(new MLTensor(this, frozen, constant: true, backendTensor)));
        }
        catch (Exception e)
        {
            return Task.FromException<MLTensor>(e);
        }
    }

    /// <inheritdoc cref="CreateConstantTensorAsync(MLOperandDescriptor, ReadOnlySpan{byte})"/>
    public Task<MLTensor> CreateConstantTensorAsync(MLOperandDescriptor descriptor, ReadOnlyMemory<byte> inputData) =>
        CreateConstantTensorAsync(descriptor, inputData.Span);

    /// <summary>Creates a constant tensor from typed values; <typeparamref name="T"/> must match the descriptor's data type.</summary>
    public Task<MLTensor> CreateConstantTensorAsync<T>(MLOperandDescriptor descriptor, ReadOnlySpan<T> inputData) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        try
        {
            CheckElementType("createConstantTensor", descriptor, typeof(T), MLOperandDataTypes.Of<T>());
        }
        catch (Exception e)
        {
            return Task.FromException<MLTensor>(e);
        }
        return CreateConstantTensorAsync(descriptor, MemoryMarshal.AsBytes(inputData));
    }

    /// <summary>Reads a copy of the tensor's bytes after the work queued before (spec: <c>readTensor(tensor)</c>).</summary>
    public async Task<byte[]> ReadTensorAsync(MLTensor tensor)
    {
        ValidateReadable(tensor);
        var bytes = new byte[tensor.Descriptor.ByteLength];
        await ReadCheckedAsync(tensor, bytes).ConfigureAwait(false);
        return bytes;
    }

    /// <summary>Reads the tensor as an array of <typeparamref name="T"/>, which must match its data type.</summary>
    public async Task<T[]> ReadTensorAsync<T>(MLTensor tensor) where T : unmanaged
    {
        ValidateReadable(tensor);
        CheckElementType("readTensor", tensor.Descriptor, typeof(T), MLOperandDataTypes.Of<T>());
        var values = new T[tensor.Descriptor.ElementCount];
        await ReadCheckedAsync(tensor, new ArrayByteMemory<T>(values).Memory).ConfigureAwait(false);
        return values;
    }

    /// <summary>Reads the tensor into <paramref name="outputData"/>, whose length must equal the tensor's byte length (spec: <c>readTensor(tensor, outputData)</c>).</summary>
    public Task ReadTensorAsync(MLTensor tensor, Memory<byte> outputData)
    {
        try
        {
            ValidateReadable(tensor);
            CheckBuffer("readTensor", tensor.Descriptor, outputData.Length);
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }
        return ReadCheckedAsync(tensor, outputData);
    }

    /// <summary>Replaces the tensor's contents with a copy of <paramref name="inputData"/> (spec: <c>writeTensor</c>).</summary>
    /// <exception cref="ArgumentException">The tensor is not writable, belongs elsewhere, is destroyed, or the length differs.</exception>
    public void WriteTensor(MLTensor tensor, ReadOnlySpan<byte> inputData)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ValidateOwnTensor("writeTensor", tensor);
        if (!tensor.Writable)
        {
            throw Errors.Type("writeTensor", "the tensor was not created writable (MLTensorDescriptor.Writable = true).");
        }
        CheckBuffer("writeTensor", tensor.Descriptor, inputData.Length);
        lock (_timeline)
        {
            ThrowIfLost("writeTensor");
            _backend.Write(tensor.Backend, inputData);
        }
    }

    /// <summary>Writes typed values; <typeparamref name="T"/> must match the tensor's data type.</summary>
    public void WriteTensor<T>(MLTensor tensor, ReadOnlySpan<T> inputData) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(tensor);
        CheckElementType("writeTensor", tensor.Descriptor, typeof(T), MLOperandDataTypes.Of<T>());
        WriteTensor(tensor, MemoryMarshal.AsBytes(inputData));
    }

    /// <summary>
    /// Queues a run of <paramref name="graph"/> reading <paramref name="inputs"/> and writing
    /// <paramref name="outputs"/> (spec: <c>dispatch</c>). Read the outputs with <see cref="ReadTensorAsync(MLTensor)"/>.
    /// </summary>
    public void Dispatch(MLGraph graph, IReadOnlyDictionary<string, MLTensor> inputs, IReadOnlyDictionary<string, MLTensor> outputs)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (!ReferenceEquals(graph.Context, this))
        {
            throw Errors.Type("dispatch", "the graph was built for another context.");
        }
        if (graph.IsDestroyed)
        {
            throw Errors.InvalidState("dispatch", "the graph has been destroyed.");
        }
        lock (_timeline)
        {
            ThrowIfLost("dispatch");
            try
            {
                BindTensors("inputs", inputs, graph.Inputs, _dispatchInputs);
                BindTensors("outputs", outputs, graph.Outputs, _dispatchOutputs);
                _backend.Dispatch(graph.Backend, _dispatchInputs, _dispatchOutputs);
            }
            finally
            {
                _dispatchTensors.Clear();
                _dispatchInputs.Clear();
                _dispatchOutputs.Clear();
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="graph"/> once on arrays: creates the tensors, writes the inputs, dispatches
    /// and reads every output as an array of its element type (float[], Half[], int[], ...).
    /// A convenience built on <see cref="Dispatch"/>; for repeated runs keep tensors and dispatch.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, Array>> ComputeAsync(MLGraph graph, IReadOnlyDictionary<string, Array> inputs)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(inputs);
        var created = new List<MLTensor>();
        try
        {
            var inputTensors = new Dictionary<string, MLTensor>();
            foreach (var (name, array) in inputs)
            {
                if (!graph.InputDescriptors.TryGetValue(name, out var descriptor))
                {
                    throw Errors.Type("compute", $"the graph has no input '{name}'; its inputs are {string.Join(", ", graph.InputDescriptors.Keys)}.");
                }
                var tensor = await CreateTensorAsync(new MLTensorDescriptor(descriptor.DataType, descriptor.Shape, writable: true)).ConfigureAwait(false);
                created.Add(tensor);
                WriteTensor(tensor, ArrayBytes("compute", name, descriptor, array));
                inputTensors[name] = tensor;
            }
            var outputTensors = new Dictionary<string, MLTensor>();
            foreach (var (name, descriptor) in graph.OutputDescriptors)
            {
                var tensor = await CreateTensorAsync(new MLTensorDescriptor(descriptor.DataType, descriptor.Shape, readable: true)).ConfigureAwait(false);
                created.Add(tensor);
                outputTensors[name] = tensor;
            }
            Dispatch(graph, inputTensors, outputTensors);
            var results = new Dictionary<string, Array>();
            foreach (var (name, tensor) in outputTensors)
            {
                var array = NewArray(tensor.DataType, checked((int)tensor.Descriptor.ElementCount));
                await ReadCheckedAsync(tensor, ArrayMemory(array)).ConfigureAwait(false);
                results[name] = array;
            }
            return results;
        }
        finally
        {
            foreach (var tensor in created)
            {
                tensor.Destroy();
            }
        }
    }

    /// <summary>Destroys the context: its graphs and tensors are released and <see cref="Lost"/> completes (spec: <c>destroy</c>).</summary>
    public void Destroy()
    {
        MLTensor[] tensors;
        MLGraph[] graphs;
        lock (_timeline)
        {
            if (!_lost.TrySetResult(new MLContextLostInfo("The context was destroyed.")))
            {
                return;
            }
            tensors = [.. _tensors];
            graphs = [.. _graphs];
        }
        foreach (var tensor in tensors)
        {
            tensor.Destroy();
        }
        foreach (var graph in graphs)
        {
            graph.Destroy();
        }
        _backend.Dispose();
    }

    /// <summary>Same as <see cref="Destroy"/>.</summary>
    public void Dispose() => Destroy();

    internal void ThrowIfLost(string where)
    {
        if (IsLost)
        {
            throw new ObjectDisposedException(nameof(MLContext), $"{where}: the context is lost: {_lost.Task.Result.Message}");
        }
    }

    internal MLGraph AddGraph(IBackendGraph backendGraph, GraphDescription description)
    {
        var graph = new MLGraph(
            this,
            backendGraph,
            description.Inputs.ToDictionary(p => p.Key, p => p.Value.Descriptor),
            description.Outputs.ToDictionary(p => p.Key, p => p.Value.Descriptor));
        lock (_timeline)
        {
            if (IsLost)
            {
                backendGraph.Dispose();
                ThrowIfLost("build");
            }
            _graphs.Add(graph);
        }
        return graph;
    }

    internal IBackendGraph Compile(GraphDescription description)
    {
        lock (_timeline)
        {
            ThrowIfLost("build");
            return _backend.Compile(description);
        }
    }

    internal void Release(MLTensor tensor)
    {
        lock (_timeline)
        {
            _tensors.Remove(tensor);
            tensor.Backend.Dispose();
        }
    }

    internal void Release(MLGraph graph)
    {
        lock (_timeline)
        {
            _graphs.Remove(graph);
            graph.Backend.Dispose();
        }
    }

    /// <summary>Spec "check dimensions": every dimension a valid dimension, and a supported byte length.</summary>
    internal void CheckDimensions(string where, MLOperandDescriptor descriptor)
    {
        if (!Enum.IsDefined(descriptor.DataType))
        {
            throw Errors.Type(where, $"data type ({(int)descriptor.DataType}) is not an MLOperandDataType.");
        }
        ArgumentNullException.ThrowIfNull(descriptor.Shape);
        for (int i = 0; i < descriptor.Shape.Length; i++)
        {
            if (descriptor.Shape[i] <= 0)
            {
                throw Errors.Type(where, $"shape {Shapes.Format(descriptor.Shape)}: dimension {i} ({descriptor.Shape[i]}) must be greater than zero.");
            }
        }
        long maxBytes = OpSupportLimits().MaxTensorByteLength;
        long elements = 1;
        foreach (int dimension in descriptor.Shape)
        {
            elements *= dimension;
            if (elements * descriptor.DataType.ByteSize() > maxBytes)
            {
                throw Errors.Type(where, $"shape {Shapes.Format(descriptor.Shape)} of {descriptor.DataType.SpecName()} exceeds the context's maximum tensor byte length ({maxBytes}).");
            }
        }
    }

    private IBackendTensor CreateBackendTensor(MLOperandDescriptor descriptor)
    {
        lock (_timeline)
        {
            ThrowIfLost("createTensor");
            return _backend.CreateTensor(descriptor);
        }
    }

    /// <summary>
    /// A tensor over storage a backend made outside <see cref="CreateTensorAsync"/> (a user's GPU buffer, for
    /// example), checked like any new tensor and owned by this context from now on.
    /// </summary>
    internal MLTensor Adopt(string where, MLTensorDescriptor descriptor, Func<IBackendTensor> create)
    {
        ThrowIfLost(where);
        CheckDimensions(where, descriptor);
        return Track(new MLTensor(this, Freeze(descriptor), constant: false, create()));
    }

    private MLTensor Track(MLTensor tensor)
    {
        lock (_timeline)
        {
            if (IsLost)
            {
                tensor.Backend.Dispose();
                ThrowIfLost("createTensor");
            }
            _tensors.Add(tensor);
        }
        return tensor;
    }

    private static MLTensorDescriptor Freeze(MLTensorDescriptor descriptor) =>
        new(descriptor.DataType, (int[])descriptor.Shape.Clone(), descriptor.Readable, descriptor.Writable);

    private void ValidateReadable(MLTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ValidateOwnTensor("readTensor", tensor);
        if (!tensor.Readable)
        {
            throw Errors.Type("readTensor", "the tensor was not created readable (MLTensorDescriptor.Readable = true).");
        }
    }

    private void ValidateOwnTensor(string where, MLTensor tensor, string? name = null)
    {
        if (!ReferenceEquals(tensor.Context, this))
        {
            throw Errors.Type(where, $"{Which(name)} belongs to another context.");
        }
        if (tensor.IsDestroyed)
        {
            throw Errors.Type(where, $"{Which(name)} has been destroyed.");
        }

        static string Which(string? name) => name is null ? "the tensor" : $"tensor '{name}'";
    }

    private Task ReadCheckedAsync(MLTensor tensor, Memory<byte> destination)
    {
        lock (_timeline)
        {
            ThrowIfLost("readTensor");
            return _backend.ReadAsync(tensor.Backend, destination);
        }
    }

    /// <summary>
    /// Checks one tensor per descriptor — its own, alive, not a constant, of the descriptor's type and shape, not
    /// passed twice in this dispatch — and puts its backend tensor in <paramref name="bound"/>.
    /// </summary>
    private void BindTensors(string which, IReadOnlyDictionary<string, MLTensor> tensors, Dictionary<string, MLOperandDescriptor> descriptors,
        Dictionary<string, IBackendTensor> bound)
    {
        foreach (var (name, descriptor) in descriptors)
        {
            if (!tensors.TryGetValue(name, out var tensor))
            {
                ThrowUnknownOrMissing(which, tensors, descriptors);
            }
            ArgumentNullException.ThrowIfNull(tensor, name);
            if (!_dispatchTensors.Add(tensor))
            {
                throw Errors.Type("dispatch", $"tensor '{name}' is passed more than once; each input and output needs its own tensor.");
            }
            ValidateOwnTensor("dispatch", tensor, name);
            if (tensor.Constant)
            {
                throw Errors.Type("dispatch", $"{which}: tensor '{name}' is a constant tensor; constants are graph constants, not inputs or outputs.");
            }
            if (!tensor.Descriptor.HasSameTypeAndShape(descriptor))
            {
                throw Errors.Type("dispatch", $"{which}: tensor '{name}' is {tensor.Descriptor}, the graph expects {descriptor}.");
            }
            bound[name] = tensor.Backend;
        }
        if (tensors.Count != descriptors.Count)
        {
            ThrowUnknownOrMissing(which, tensors, descriptors);
        }
    }

    [DoesNotReturn]
    private static void ThrowUnknownOrMissing(string which, IReadOnlyDictionary<string, MLTensor> tensors, Dictionary<string, MLOperandDescriptor> descriptors)
    {
        if (tensors.Keys.FirstOrDefault(name => !descriptors.ContainsKey(name)) is { } unknown)
        {
            throw Errors.Type("dispatch", $"{which}: the graph has no {which[..^1]} '{unknown}'; it has {string.Join(", ", descriptors.Keys)}.");
        }
        var missing = descriptors.Keys.Where(k => !tensors.ContainsKey(k));
        throw Errors.Type("dispatch", $"{which}: missing {string.Join(", ", missing.Select(k => $"'{k}'"))}; every graph {which[..^1]} needs a tensor.");
    }

    private static void CheckBuffer(string where, MLOperandDescriptor descriptor, long byteLength)
    {
        if (byteLength != descriptor.ByteLength)
        {
            throw Errors.Type(where, $"the buffer's byte length ({byteLength}) must equal the byte length of {descriptor} ({descriptor.ByteLength}).");
        }
    }

    private static void CheckElementType(string where, MLOperandDescriptor descriptor, Type elementType, MLOperandDataType dataType)
    {
        if (dataType != descriptor.DataType)
        {
            throw Errors.Type(where, $"elements of {elementType.Name} do not match data type {descriptor.DataType.SpecName()}.");
        }
    }

    private static ReadOnlySpan<byte> ArrayBytes(string where, string name, MLOperandDescriptor descriptor, Array array)
    {
        var expected = ElementType(descriptor.DataType);
        if (array.GetType().GetElementType() != expected || array.Rank != 1)
        {
            throw Errors.Type(where, $"input '{name}' is {array.GetType().Name}; the graph expects {expected.Name}[] ({descriptor}).");
        }
        return MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(array), checked(array.Length * descriptor.DataType.ByteSize()));
    }

    private static Memory<byte> ArrayMemory(Array array) => array switch
    {
        float[] a => new ArrayByteMemory<float>(a).Memory,
        Half[] a => new ArrayByteMemory<Half>(a).Memory,
        int[] a => new ArrayByteMemory<int>(a).Memory,
        uint[] a => new ArrayByteMemory<uint>(a).Memory,
        long[] a => new ArrayByteMemory<long>(a).Memory,
        ulong[] a => new ArrayByteMemory<ulong>(a).Memory,
        sbyte[] a => new ArrayByteMemory<sbyte>(a).Memory,
        byte[] a => a,
        _ => throw new ArgumentException($"{array.GetType().Name} is not an array of a WebNN element type."),
    };

    /// <summary>The .NET element type of <paramref name="dataType"/>.</summary>
    internal static Type ElementType(MLOperandDataType dataType) => dataType switch
    {
        MLOperandDataType.Float32 => typeof(float),
        MLOperandDataType.Float16 => typeof(Half),
        MLOperandDataType.Int32 => typeof(int),
        MLOperandDataType.Uint32 => typeof(uint),
        MLOperandDataType.Int64 => typeof(long),
        MLOperandDataType.Uint64 => typeof(ulong),
        MLOperandDataType.Int8 => typeof(sbyte),
        MLOperandDataType.Uint8 => typeof(byte),
        _ => throw new ArgumentOutOfRangeException(nameof(dataType)),
    };

    private static Array NewArray(MLOperandDataType dataType, int length) => Array.CreateInstance(ElementType(dataType), length);
}
