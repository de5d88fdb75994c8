using System.Globalization;
using System.Text;

namespace WebNN.Cuda.Kernels;

/// <summary>
/// How an element-wise kernel addresses one of its tensors at each point of the iteration shape:
/// <c>Offset + Σ coordinate[d] · Strides[d]</c> (a stride of 0 broadcasts, a permuted one transposes). With
/// <see cref="PadBegin"/> the tensor sits at that position inside the iteration shape and reads 0 outside itself.
/// </summary>
internal sealed record StridedAccess(CudaValue Value, long Offset, long[] Strides)
{
    /// <summary>Where the tensor begins along each axis of the iteration shape (zero padding around it), or null.</summary>
    public int[]? PadBegin { get; init; }

    /// <summary>The value read as it is laid out, element for element.</summary>
    public static StridedAccess Contiguous(CudaValue value) => new(value, 0, [.. Shapes.Strides(value.Shape).Select(s => (long)s)]);

    /// <summary>The value broadcast to <paramref name="shape"/> (its dimensions aligned to the right, stride 0 where it has 1).</summary>
    public static StridedAccess Broadcast(CudaValue value, int[] shape)
    {
        var strides = Shapes.Strides(value.Shape);
        int skipped = shape.Length - value.Shape.Length;
        return new(value, 0, [.. shape.Select((_, d) => d < skipped || value.Shape[d - skipped] == 1 ? 0L : strides[d - skipped])]);
    }

    /// <summary>A value of one element per index along <paramref name="axis"/> of <paramref name="shape"/> (a bias per channel, say), read at every point of it.</summary>
    public static StridedAccess AlongAxis(CudaValue value, int[] shape, int axis) => new(value, 0, [.. shape.Select((_, d) => d == axis ? 1L : 0L)]);

    /// <summary>The value read so that iteration axis d walks its axis <c>permutation[d]</c> (transpose).</summary>
    public static StridedAccess Permuted(CudaValue value, int[] permutation)
    {
        var strides = Shapes.Strides(value.Shape);
        return new(value, 0, [.. permutation.Select(p => (long)strides[p])]);
    }

    /// <summary>The value placed at <paramref name="begin"/> inside <paramref name="shape"/>, zero around it.</summary>
    public static StridedAccess Padded(CudaValue value, int[] begin) => Contiguous(value) with { PadBegin = begin };
}

/// <summary>
/// Generates element-wise CUDA C kernels: one thread per point of an iteration shape, each reading its inputs
/// (<c>x0</c>, <c>x1</c>, ...) through <see cref="StridedAccess"/>es, computing <c>y</c> and storing it. Shapes,
/// strides and parameters are constants in the source, since a graph's kernels are compiled for its shapes.
/// </summary>
internal static class ElementwiseKernels
{
    /// <summary>Adds the kernel to the graph's program and a launch of it to the graph's steps.</summary>
    public static void Add(CudaGraph.CudaGraphBuilder b, int[] shape, StridedAccess output, StridedAccess[] inputs, string body)
    {
        string name = b.Program.Add(kernel => Source(kernel, shape, output, inputs, body));
        b.Step(new KernelLaunch(b.Program, name, Shapes.ElementCount(shape), [.. inputs.Select(i => i.Value), output.Value]));
    }

    /// <summary>The kernel that computes <paramref name="body"/> (statements that assign <c>y</c> from <c>x0</c>, <c>x1</c>, ...) at every point of <paramref name="shape"/>.</summary>
    public static string Source(string name, int[] shape, StridedAccess output, StridedAccess[] inputs, string body)
    {
        long count = Shapes.ElementCount(shape);
        var accesses = inputs.Append(output).ToArray();
        if (accesses.FirstOrDefault(a => a.Strides.Length != shape.Length) is { } mismatched)
        {
            throw new ArgumentException($"An access with {mismatched.Strides.Length} strides cannot walk the iteration shape {Shapes.Format(shape)}.", nameof(inputs));
        }
        // 32-bit index arithmetic where every index fits, which is most graphs: 64-bit division is several times slower.
        bool wide = count > int.MaxValue || accesses.Any(a => a.Value.ElementCount > int.MaxValue);
        string index = wide ? "long long" : "int";
        var source = new StringBuilder();
        source.Append($"extern \"C\" __global__ void {name}(");
        source.Append(string.Join(", ", inputs.Select((x, k) => $"const {CType(x.Value.DataType)}* in{k}").Append($"{CType(output.Value.DataType)}* out")));
        source.Append(")\n{\n");
        source.Append($"    const {index} i = ({index})blockIdx.x * blockDim.x + threadIdx.x;\n");
        source.Append($"    if (i >= {count}) return;\n");
        var contiguous = Shapes.Strides(shape).Select(s => (long)s).ToArray();
        bool IsLinear(StridedAccess a) => a.Offset == 0 && a.PadBegin is null && a.Value.ElementCount == count && a.Strides.AsSpan().SequenceEqual(contiguous);
        var strided = accesses.Select((a, k) => (Access: a, Name: k < inputs.Length ? $"a{k}" : "o")).Where(x => !IsLinear(x.Access)).ToList();
        if (strided.Count > 0)
        {
            source.Append($"    {index} r = i, c;\n");
            foreach (var (access, variable) in strided)
            {
                long start = access.Offset - (access.PadBegin?.Select((p, d) => p * access.Strides[d]).Sum() ?? 0);
                source.Append($"    {index} {variable} = {start};\n");
                if (access.PadBegin is not null)
                {
                    source.Append($"    bool inside_{variable} = true;\n");
                }
            }
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                if (shape[d] == 1)
                {
                    continue;
                }
                source.Append(d == 0 ? "    c = r;\n" : $"    c = r % {shape[d]}; r /= {shape[d]};\n");
                foreach (var (access, variable) in strided)
                {
                    if (access.Strides[d] != 0)
                    {
                        source.Append($"    {variable} += c * {access.Strides[d]};\n");
                    }
                    if (access.PadBegin is { } begin)
                    {
                        int size = access.Value.Shape[d];
                        source.Append($"    inside_{variable} = inside_{variable} && c >= {begin[d]} && c < {begin[d] + size};\n");
                    }
                }
            }
        }
        for (int k = 0; k < inputs.Length; k++)
        {
            var dataType = inputs[k].Value.DataType;
            string address = IsLinear(inputs[k]) ? "i" : $"a{k}";
            string read = inputs[k].PadBegin is null ? $"in{k}[{address}]" : $"(inside_a{k} ? in{k}[{address}] : ({CType(dataType)})0)";
            source.Append($"    const {ComputeType(dataType)} x{k} = {Load(dataType, read)};\n");
        }
        source.Append($"    {ComputeType(output.Value.DataType)} y;\n");
        foreach (string line in body.Split('\n'))
        {
            source.Append("    ").Append(line).Append('\n');
        }
        source.Append($"    out[{(IsLinear(output) ? "i" : "o")}] = {Store(output.Value.DataType, "y")};\n}}\n");
        return source.ToString();
    }

    /// <summary>The CUDA C type in which a data type's elements are stored (float16 as its 16 bits: kernels compute on it in float).</summary>
    public static string CType(MLOperandDataType dataType) => dataType switch
    {
        MLOperandDataType.Float32 => "float",
        MLOperandDataType.Float16 => "unsigned short",
        MLOperandDataType.Int32 => "int",
        MLOperandDataType.Uint32 => "unsigned int",
        MLOperandDataType.Int64 => "long long",
        MLOperandDataType.Uint64 => "unsigned long long",
        MLOperandDataType.Int8 => "signed char",
        MLOperandDataType.Uint8 => "unsigned char",
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), $"No generated kernel holds {dataType.SpecName()}."),
    };

    /// <summary>The CUDA C type kernels compute in for a data type: float for float16, the stored type otherwise.</summary>
    public static string ComputeType(MLOperandDataType dataType) => dataType == MLOperandDataType.Float16 ? "float" : CType(dataType);

    /// <summary>The value of the stored element <paramref name="element"/> in <see cref="ComputeType"/> (float16 widened exactly).</summary>
    public static string Load(MLOperandDataType dataType, string element) =>
        dataType == MLOperandDataType.Float16 ? $"{CudaProgram.HalfToFloat}({element})" : element;

    /// <summary>The element to store for <paramref name="value"/> (float16 rounded to nearest even, as the CPU backend rounds).</summary>
    public static string Store(MLOperandDataType dataType, string value) =>
        dataType == MLOperandDataType.Float16 ? $"{CudaProgram.FloatToHalf}({value})" : value;

    /// <summary>
    /// <paramref name="value"/> cast to <paramref name="dataType"/> as the graph's tensors would hold it, written as a constant of
    /// <see cref="ComputeType"/> (floats by their bits, float16 widened exactly).
    /// </summary>
    public static string Literal(MLOperandDataType dataType, MLNumber value)
    {
        Span<byte> bytes = stackalloc byte[8];
        value.WriteAs(dataType, bytes);
        return dataType switch
        {
            MLOperandDataType.Float32 => FloatLiteral(BitConverter.ToSingle(bytes)),
            MLOperandDataType.Float16 => FloatLiteral((double)BitConverter.ToHalf(bytes)),
            MLOperandDataType.Int32 => $"({CType(dataType)}){BitConverter.ToInt32(bytes)}LL",
            MLOperandDataType.Uint32 => $"({CType(dataType)}){BitConverter.ToUInt32(bytes)}ULL",
            MLOperandDataType.Int64 => $"({CType(dataType)}){BitConverter.ToUInt64(bytes)}ULL",
            MLOperandDataType.Uint64 => $"({CType(dataType)}){BitConverter.ToUInt64(bytes)}ULL",
            MLOperandDataType.Int8 => $"({CType(dataType)}){(sbyte)bytes[0]}",
            _ => $"({CType(dataType)}){bytes[0]}",
        };
    }

    /// <summary>A float32 constant written by its bits, so that the kernel computes with exactly the value the graph holds.</summary>
    public static string FloatLiteral(double value) =>
        $"__int_as_float(0x{BitConverter.SingleToInt32Bits((float)value).ToString("x8", CultureInfo.InvariantCulture)})";
}
