namespace WebGpu;

/// <summary>What a buffer may be used for (WebGPU's GPUBufferUsage flags).</summary>
[Flags]
public enum GPUBufferUsage : ulong
{
    /// <summary>No usage.</summary>
    None = 0,
    /// <summary>Can be mapped for reading (only with <see cref="CopyDst"/>).</summary>
    MapRead = 1 << 0,
    /// <summary>Can be mapped for writing (only with <see cref="CopySrc"/>).</summary>
    MapWrite = 1 << 1,
    /// <summary>Can be the source of copies.</summary>
    CopySrc = 1 << 2,
    /// <summary>Can be the destination of copies and queue writes.</summary>
    CopyDst = 1 << 3,
    /// <summary>Index buffer.</summary>
    Index = 1 << 4,
    /// <summary>Vertex buffer.</summary>
    Vertex = 1 << 5,
    /// <summary>Uniform buffer.</summary>
    Uniform = 1 << 6,
    /// <summary>Storage buffer.</summary>
    Storage = 1 << 7,
    /// <summary>Indirect dispatch arguments.</summary>
    Indirect = 1 << 8,
    /// <summary>Destination of query set resolves.</summary>
    QueryResolve = 1 << 9,
}

/// <summary>How a buffer is mapped (WebGPU's GPUMapMode).</summary>
[Flags]
public enum GPUMapMode : ulong
{
    /// <summary>For reading.</summary>
    Read = 1,
    /// <summary>For writing.</summary>
    Write = 2,
}

/// <summary>Which shader stages see a binding (WebGPU's GPUShaderStage).</summary>
[Flags]
public enum GPUShaderStage : ulong
{
    /// <summary>Vertex.</summary>
    Vertex = 1,
    /// <summary>Fragment.</summary>
    Fragment = 2,
    /// <summary>Compute.</summary>
    Compute = 4,
}

/// <summary>How a shader accesses a buffer binding (WebGPU's GPUBufferBindingType).</summary>
public enum GPUBufferBindingType
{
    /// <summary>A uniform buffer.</summary>
    Uniform = 2,
    /// <summary>A read-write storage buffer.</summary>
    Storage = 3,
    /// <summary>A read-only storage buffer.</summary>
    ReadOnlyStorage = 4,
}

/// <summary>Options of <see cref="GPUDevice.CreateBuffer"/>.</summary>
public sealed class GPUBufferDescriptor
{
    /// <summary>A label for errors.</summary>
    public string Label { get; init; } = "";

    /// <summary>The size in bytes (a multiple of 4 when mapped at creation).</summary>
    public required ulong Size { get; init; }

    /// <summary>The allowed usages.</summary>
    public required GPUBufferUsage Usage { get; init; }

    /// <summary>Create the buffer already mapped for writing.</summary>
    public bool MappedAtCreation { get; init; }
}

/// <summary>Options of <see cref="GPUDevice.CreateShaderModule"/>.</summary>
public sealed class GPUShaderModuleDescriptor
{
    /// <summary>A label for errors.</summary>
    public string Label { get; init; } = "";

    /// <summary>The WGSL source.</summary>
    public required string Code { get; init; }
}

/// <summary>The compute stage of a pipeline (WebGPU's GPUProgrammableStage).</summary>
public sealed class GPUProgrammableStage
{
    /// <summary>The shader module.</summary>
    public required GPUShaderModule Module { get; init; }

    /// <summary>The entry point; null uses the module's only compute entry point.</summary>
    public string? EntryPoint { get; init; }

    /// <summary>Values of the shader's override constants, by name.</summary>
    public IReadOnlyDictionary<string, double> Constants { get; init; } = new Dictionary<string, double>();
}

/// <summary>Options of <see cref="GPUDevice.CreateComputePipeline"/>.</summary>
public sealed class GPUComputePipelineDescriptor
{
    /// <summary>A label for errors.</summary>
    public string Label { get; init; } = "";

    /// <summary>The layout; null derives it from the shader ("auto").</summary>
    public GPUPipelineLayout? Layout { get; init; }

    /// <summary>The compute stage.</summary>
    public required GPUProgrammableStage Compute { get; init; }
}

/// <summary>A buffer binding's layout (WebGPU's GPUBufferBindingLayout).</summary>
public sealed class GPUBufferBindingLayout
{
    /// <summary>How the shader accesses the buffer; default uniform.</summary>
    public GPUBufferBindingType Type { get; init; } = GPUBufferBindingType.Uniform;

    /// <summary>Whether the binding takes a dynamic offset.</summary>
    public bool HasDynamicOffset { get; init; }

    /// <summary>The smallest size a bound range may have; 0 checks at draw/dispatch time.</summary>
    public ulong MinBindingSize { get; init; }
}

/// <summary>One binding of a bind group layout (WebGPU's GPUBindGroupLayoutEntry; buffers only: this library is for compute).</summary>
public sealed class GPUBindGroupLayoutEntry
{
    /// <summary>The binding number (@binding in WGSL).</summary>
    public required uint Binding { get; init; }

    /// <summary>The stages that see it.</summary>
    public GPUShaderStage Visibility { get; init; } = GPUShaderStage.Compute;

    /// <summary>The buffer binding's layout.</summary>
    public required GPUBufferBindingLayout Buffer { get; init; }
}

/// <summary>Options of <see cref="GPUDevice.CreateBindGroupLayout"/>.</summary>
public sealed class GPUBindGroupLayoutDescriptor
{
    /// <summary>A label for errors.</summary>
    public string Label { get; init; } = "";

    /// <summary>The bindings.</summary>
    public required IReadOnlyList<GPUBindGroupLayoutEntry> Entries { get; init; }
}

/// <summary>Options of <see cref="GPUDevice.CreatePipelineLayout"/>.</summary>
public sealed class GPUPipelineLayoutDescriptor
{
    /// <summary>A label for errors.</summary>
    public string Label { get; init; } = "";

    /// <summary>The bind group layouts, by group index.</summary>
    public required IReadOnlyList<GPUBindGroupLayout> BindGroupLayouts { get; init; }
}

/// <summary>One binding of a bind group: a buffer range (WebGPU's GPUBindGroupEntry with a GPUBufferBinding).</summary>
public sealed class GPUBindGroupEntry
{
    /// <summary>The binding number.</summary>
    public required uint Binding { get; init; }

    /// <summary>The buffer.</summary>
    public required GPUBuffer Buffer { get; init; }

    /// <summary>The offset in bytes.</summary>
    public ulong Offset { get; init; }

    /// <summary>The size in bytes; null binds to the end of the buffer.</summary>
    public ulong? Size { get; init; }
}

/// <summary>Options of <see cref="GPUDevice.CreateBindGroup"/>.</summary>
public sealed class GPUBindGroupDescriptor
{
    /// <summary>A label for errors.</summary>
    public string Label { get; init; } = "";

    /// <summary>The layout the group follows.</summary>
    public required GPUBindGroupLayout Layout { get; init; }

    /// <summary>The bindings.</summary>
    public required IReadOnlyList<GPUBindGroupEntry> Entries { get; init; }
}

/// <summary>The kind of query (WebGPU's GPUQueryType).</summary>
public enum GPUQueryType
{
    /// <summary>Occlusion.</summary>
    Occlusion = 1,
    /// <summary>GPU timestamps, in nanoseconds.</summary>
    Timestamp = 2,
}

/// <summary>Options of <see cref="GPUDevice.CreateQuerySet"/>.</summary>
public sealed class GPUQuerySetDescriptor
{
    /// <summary>A label for errors.</summary>
    public string Label { get; init; } = "";

    /// <summary>The kind of query.</summary>
    public required GPUQueryType Type { get; init; }

    /// <summary>How many queries.</summary>
    public required uint Count { get; init; }
}

/// <summary>Timestamps a compute pass writes (WebGPU's GPUComputePassTimestampWrites).</summary>
public sealed class GPUComputePassTimestampWrites
{
    /// <summary>The timestamp query set.</summary>
    public required GPUQuerySet QuerySet { get; init; }

    /// <summary>The query written at the start of the pass, or null.</summary>
    public uint? BeginningOfPassWriteIndex { get; init; }

    /// <summary>The query written at the end of the pass, or null.</summary>
    public uint? EndOfPassWriteIndex { get; init; }
}
