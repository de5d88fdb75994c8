using System.Runtime.CompilerServices;
using WebGpu;
using WebNN.Backends;
using WebNN.Graph;

namespace WebNN.WebGpu;

/// <summary>Where a value of a compiled graph lives: a graph input or output (bound at dispatch) or a buffer of the graph (an operand's or a lowering's scratch space).</summary>
internal sealed class GpuValue(MLOperandDataType dataType, int[] shape)
{
    public GpuValue(MLOperand operand) : this(operand.DataType, operand.Dimensions)
    {
    }

    /// <summary>The value's data type; inside a graph every element is held in a 32-bit word (see <see cref="HeldDataTypes"/>).</summary>
    public MLOperandDataType DataType { get; } = dataType;

    /// <summary>The input or output name when the value is bound to the caller's tensor at dispatch.</summary>
    public string? BoundName { get; init; }

    /// <summary>The graph's own buffer (constants, intermediates and scratch space).</summary>
    public GPUBuffer? Buffer { get; init; }

    public int[] Shape { get; } = shape;

    public int ElementCount => (int)Shapes.ElementCount(Shape);
}

/// <summary>One compute dispatch of a compiled graph: a pipeline, its uniform parameters and the values it binds, in binding order after the parameters.</summary>
internal sealed class GpuKernel(GPUComputePipeline pipeline, GPUBuffer parameters, GpuValue[] bindings, uint workgroupsX, uint workgroupsY = 1)
{
    private readonly Dictionary<string, GPUBindGroup> _bindGroups = new(StringComparer.Ordinal);

    public void Encode(GPUComputePassEncoder pass, GPUDevice device, Func<GpuValue, GPUBuffer> resolve)
    {
        var buffers = bindings.Select(resolve).ToArray();
        string key = string.Join(",", buffers.Select(b => RuntimeHelpers.GetHashCode(b)));
        if (!_bindGroups.TryGetValue(key, out var group))
        {
            using var layout = pipeline.GetBindGroupLayout(0);
            var entries = new List<GPUBindGroupEntry> { new() { Binding = 0, Buffer = parameters } };
            entries.AddRange(buffers.Select((buffer, i) => new GPUBindGroupEntry { Binding = (uint)(i + 1), Buffer = buffer }));
            group = device.CreateBindGroup(new GPUBindGroupDescriptor { Layout = layout, Entries = entries });
            _bindGroups[key] = group;
        }
        pass.SetPipeline(pipeline);
        pass.SetBindGroup(0, group);
        pass.DispatchWorkgroups(workgroupsX, workgroupsY);
    }

    public void Dispose()
    {
        foreach (var group in _bindGroups.Values)
        {
            group.Dispose();
        }
        parameters.Dispose();
    }
}

/// <summary>
/// A graph compiled for a WebGPU device: every pipeline, parameter buffer, constant and intermediate
/// buffer exists after compilation, so a dispatch only records one compute pass and submits it.
/// </summary>
internal sealed class WebGpuGraph : IBackendGraph
{
    private readonly List<GpuKernel> _kernels;
    private readonly List<GPUBuffer> _buffers;
    private readonly List<OutputCopy> _outputCopies;
    private readonly WebGpuContext _context;

    private WebGpuGraph(WebGpuContext context, List<GpuKernel> kernels, List<GPUBuffer> buffers, List<OutputCopy> outputCopies)
    {
        _context = context;
        _kernels = kernels;
        _buffers = buffers;
        _outputCopies = outputCopies;
    }

    /// <summary>An operand bound to a second output name: its bytes are copied into that tensor after the pass.</summary>
    private sealed record OutputCopy(GpuValue Source, string OutputName, ulong ByteCount);

    public static WebGpuGraph Compile(WebGpuContext context, GraphDescription graph)
    {
        var values = new Dictionary<MLOperand, GpuValue>(ReferenceEqualityComparer.Instance);
        var buffers = new List<GPUBuffer>();
        var builder = new KernelBuilder(context, values, buffers);
        var kernels = new List<GpuKernel>();
        var narrowings = new List<GpuKernel>();
        var outputCopies = new List<OutputCopy>();

        foreach (var (name, input) in graph.Inputs)
        {
            var bound = new GpuValue(input) { BoundName = name };
            if (HeldDataTypes.IsWidened(input.DataType))
            {
                values[input] = builder.Buffer(input.DataType, input.Dimensions, $"webnn input {name} held in words");
                kernels.Add(HeldDataTypes.WidenKernel(builder, bound, values[input]));
            }
            else
            {
                values[input] = bound;
            }
        }
        foreach (var (name, output) in graph.Outputs)
        {
            var bound = new GpuValue(output) { BoundName = name };
            if (HeldDataTypes.IsWidened(output.DataType))
            {
                var held = values.GetValueOrDefault(output) ?? builder.Buffer(output.DataType, output.Dimensions, $"webnn output {name} held in words");
                values.TryAdd(output, held);
                narrowings.Add(HeldDataTypes.NarrowKernel(builder, held, bound));
            }
            else if (!values.TryAdd(output, bound))
            {
                outputCopies.Add(new OutputCopy(values[output], name, (ulong)(output.ElementCount * output.DataType.ByteSize())));
            }
        }
        foreach (var constant in graph.Constants)
        {
            byte[] bytes = constant.ConstantData ?? ReadConstantTensor(context, constant);
            if (HeldDataTypes.IsWidened(constant.DataType))
            {
                bytes = HeldDataTypes.Widen(bytes, constant.DataType);
            }
            var tensor = context.CreateTensor(bytes.Length, "webnn constant");
            context.Write(tensor, bytes);
            buffers.Add(tensor.Buffer);
            values[constant] = new GpuValue(constant) { Buffer = tensor.Buffer };
        }
        foreach (var op in graph.Operators)
        {
            foreach (var output in op.Outputs)
            {
                if (!values.ContainsKey(output))
                {
                    values[output] = builder.Buffer(output.DataType, output.Dimensions, $"webnn {op.Name}");
                }
            }
            kernels.AddRange(WebGpuOperators.Lower(op, builder));
        }
        kernels.AddRange(narrowings);
        return new WebGpuGraph(context, kernels, buffers, outputCopies);
    }

    public void Encode(GPUCommandEncoder encoder, IReadOnlyDictionary<string, IBackendTensor> inputs, IReadOnlyDictionary<string, IBackendTensor> outputs)
    {
        GPUBuffer Resolve(GpuValue value) => value.Buffer
            ?? ((WebGpuTensor)(inputs.TryGetValue(value.BoundName!, out var input) ? input : outputs[value.BoundName!])).Buffer;
        var pass = encoder.BeginComputePass("webnn graph");
        foreach (var kernel in _kernels)
        {
            kernel.Encode(pass, _context.Device, Resolve);
        }
        pass.End();
        foreach (var copy in _outputCopies)
        {
            encoder.CopyBufferToBuffer(Resolve(copy.Source), 0, ((WebGpuTensor)outputs[copy.OutputName]).Buffer, 0, copy.ByteCount);
        }
    }

    public void Dispose()
    {
        foreach (var kernel in _kernels)
        {
            kernel.Dispose();
        }
        foreach (var buffer in _buffers)
        {
            buffer.Dispose();
        }
    }

    private static byte[] ReadConstantTensor(WebGpuContext context, MLOperand constant)
    {
        var bytes = new byte[constant.ElementCount * constant.DataType.ByteSize()];
        context.ReadAsync(constant.ConstantTensor!.Backend, bytes).GetAwaiter().GetResult();
        return bytes;
    }
}

/// <summary>What a lowering needs: the values of operands, buffers of the graph's own, and a way to make a kernel from WGSL and parameters.</summary>
internal sealed class KernelBuilder(WebGpuContext context, Dictionary<MLOperand, GpuValue> values, List<GPUBuffer> graphBuffers)
{
    public GpuValue Value(MLOperand operand) => values[operand];

    /// <summary>A value in a new buffer that the graph owns and disposes with itself: an operand's, or scratch space a lowering needs between its kernels.</summary>
    public GpuValue Buffer(MLOperandDataType dataType, int[] shape, string label)
    {
        var tensor = context.CreateTensor(Shapes.ElementCount(shape) * HeldDataTypes.ByteSize(dataType), label);
        graphBuffers.Add(tensor.Buffer);
        return new GpuValue(dataType, shape) { Buffer = tensor.Buffer };
    }

    /// <summary>
    /// A kernel running <paramref name="wgsl"/> with <paramref name="parameters"/> (u32 words) at binding 0 and the values at
    /// 1, 2, ..., as <paramref name="invocations"/> invocations in workgroups of <see cref="WorkgroupSize"/>.
    /// </summary>
    public GpuKernel Kernel(string label, string wgsl, ReadOnlySpan<uint> parameters, GpuValue[] bindings, long invocations)
    {
        var pipeline = context.Pipeline(label, wgsl);
        var buffer = context.Device.CreateBuffer(new GPUBufferDescriptor
        {
            Label = $"{label} parameters",
            Size = (ulong)Math.Max(16, (parameters.Length + 3) / 4 * 16),
            Usage = GPUBufferUsage.Storage | GPUBufferUsage.CopyDst,
        });
        var words = new uint[(buffer.Size / 4)];
        parameters.CopyTo(words);
        context.Device.Queue.WriteBuffer<uint>(buffer, 0, words);
        var (x, y) = Workgroups(invocations);
        return new GpuKernel(pipeline, buffer, bindings, x, y);
    }

    /// <summary>The bits of a float, for parameter words.</summary>
    public static uint Bits(float value) => BitConverter.SingleToUInt32Bits(value);

    /// <summary>Invocations per workgroup: every kernel declares <c>@workgroup_size(256)</c>.</summary>
    public const int WorkgroupSize = 256;

    /// <summary>The workgroups that cover <paramref name="invocations"/>, split into (x, y) within the 65,535 limit per dimension.</summary>
    private static (uint X, uint Y) Workgroups(long invocations)
    {
        long groups = (invocations + WorkgroupSize - 1) / WorkgroupSize;
        uint x = (uint)Math.Min(groups, 65535);
        uint y = (uint)((groups + x - 1) / x);
        return (x, y);
    }
}
