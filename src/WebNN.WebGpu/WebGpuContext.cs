using WebGpu;
using WebNN.Backends;
using WebNN.Graph;

namespace WebNN.WebGpu;

/// <summary>
/// A WebNN context on a WebGPU device: tensors are GPU buffers, graphs are compute pipelines recorded onto
/// the device's queue, reads go through a mapped staging buffer. The queue orders all work, so the
/// context's timeline is the queue's.
/// </summary>
internal sealed class WebGpuContext : IWebGpuSharingContext
{
    private readonly bool _ownsDevice;
    private readonly Dictionary<string, GPUComputePipeline> _pipelines = new(StringComparer.Ordinal);

    // Mappable buffers for reads, kept for reuse: creating a 4 MB staging buffer per read costs more than the read.
    private readonly List<GPUBuffer> _staging = [];

    public WebGpuContext(GPUDevice device, bool ownsDevice)
    {
        Device = device;
        _ownsDevice = ownsDevice;
        var info = device.Adapter.Info;
        DeviceDescription = $"WebGPU: {info.Description} ({info.AdapterType}, {info.Backend}){(info.IsFallbackAdapter ? " — a software adapter" : "")}";
    }

    public GPUDevice Device { get; }

    public bool Accelerated => !Device.Adapter.Info.IsFallbackAdapter;

    public string DeviceDescription { get; }

    public MLOpSupportLimits OpSupportLimits() => WebGpuOperators.Limits(Device);

    public IBackendTensor CreateTensor(MLOperandDescriptor descriptor) => CreateTensor(descriptor.ByteLength, "tensor");

    public WebGpuTensor CreateTensor(long byteLength, string label) =>
        new(Device.CreateBuffer(new GPUBufferDescriptor
        {
            Label = label,
            Size = WebGpuTensor.PaddedSize(byteLength),
            Usage = GPUBufferUsage.Storage | GPUBufferUsage.CopySrc | GPUBufferUsage.CopyDst,
        }), byteLength);

    public IBackendGraph Compile(GraphDescription graph) => WebGpuGraph.Compile(this, graph);

    public void Dispatch(IBackendGraph graph, IReadOnlyDictionary<string, IBackendTensor> inputs, IReadOnlyDictionary<string, IBackendTensor> outputs)
    {
        foreach (var tensor in inputs.Values.Concat(outputs.Values))
        {
            Lending.ThrowIfExported((WebGpuTensor)tensor, "dispatch");
        }
        var encoder = Device.CreateCommandEncoder("webnn dispatch");
        ((WebGpuGraph)graph).Encode(encoder, inputs, outputs);
        Device.Queue.Submit(encoder.Finish());
    }

    public async Task ReadAsync(IBackendTensor tensor, Memory<byte> destination)
    {
        var source = (WebGpuTensor)tensor;
        Lending.ThrowIfExported(source, "readTensor");
        ulong size = WebGpuTensor.PaddedSize(destination.Length);
        var staging = RentStaging(size);
        try
        {
            var encoder = Device.CreateCommandEncoder("webnn read");
            encoder.CopyBufferToBuffer(source.Buffer, 0, staging, 0, size);
            Device.Queue.Submit(encoder.Finish());
            await staging.MapAsync(GPUMapMode.Read, 0, size).ConfigureAwait(false);
            // Mapped ranges are whole 4-byte words.
            staging.GetMappedRange(0, size)[..destination.Length].CopyTo(destination.Span);
            staging.Unmap();
        }
        finally
        {
            lock (_staging)
            {
                _staging.Add(staging);
            }
        }
    }

    /// <summary>A free mappable buffer of at least <paramref name="size"/> bytes (the smallest that fits), or a new one.</summary>
    private GPUBuffer RentStaging(ulong size)
    {
        lock (_staging)
        {
            var fit = _staging.Where(b => b.Size >= size).MinBy(b => b.Size);
            if (fit is not null)
            {
                _staging.Remove(fit);
                return fit;
            }
        }
        return Device.CreateBuffer(new GPUBufferDescriptor { Label = "webnn read", Size = size, Usage = GPUBufferUsage.MapRead | GPUBufferUsage.CopyDst });
    }

    public void Write(IBackendTensor tensor, ReadOnlySpan<byte> source)
    {
        var target = (WebGpuTensor)tensor;
        Lending.ThrowIfExported(target, "writeTensor");
        if (source.Length % 4 == 0)
        {
            Device.Queue.WriteBuffer(target.Buffer, 0, source);
            return;
        }
        var padded = new byte[WebGpuTensor.PaddedSize(source.Length)];
        source.CopyTo(padded);
        Device.Queue.WriteBuffer(target.Buffer, 0, padded);
    }

    /// <summary>The pipeline of a WGSL kernel, compiled once per context.</summary>
    public GPUComputePipeline Pipeline(string label, string wgsl)
    {
        lock (_pipelines)
        {
            if (!_pipelines.TryGetValue(wgsl, out var pipeline))
            {
                using var module = Device.CreateShaderModule(new GPUShaderModuleDescriptor { Label = label, Code = wgsl });
                pipeline = Device.CreateComputePipeline(new GPUComputePipelineDescriptor { Label = label, Compute = new GPUProgrammableStage { Module = module } });
                _pipelines.Add(wgsl, pipeline);
            }
            return pipeline;
        }
    }

    public void Dispose()
    {
        lock (_pipelines)
        {
            foreach (var pipeline in _pipelines.Values)
            {
                pipeline.Dispose();
            }
            _pipelines.Clear();
        }
        lock (_staging)
        {
            foreach (var buffer in _staging)
            {
                buffer.Dispose();
            }
            _staging.Clear();
        }
        if (_ownsDevice)
        {
            Device.Dispose();
        }
    }

    public ILendableTensor CreateExportableTensor(MLTensorDescriptor descriptor, GPUDevice device)
    {
        if (!ReferenceEquals(device, Device))
        {
            throw new ArgumentException("createExportableTensor: the context does not run on this GPUDevice; exporting across devices would need a copy. Create the context with ML.CreateContextAsync(device).");
        }
        return CreateTensor(descriptor.ByteLength, "tensor");
    }

    /// <summary>Nothing to do: WebNN's work and WebGPU's are ordered by the device's one queue.</summary>
    public void BeforeLending(ILendableTensor tensor)
    {
    }

    /// <summary>Nothing to do: WebNN's work and WebGPU's are ordered by the device's one queue.</summary>
    public void AfterLending(ILendableTensor tensor)
    {
    }
}
