using System.Runtime.InteropServices;
using WebNN.Validation;
using OnnxType = WebNN.Onnx.TensorProto.Types.DataType;

namespace WebNN.Onnx;

/// <summary>
/// A tensor whose values are known while the graph is built: an initializer, a <c>Constant</c> node's value, or the
/// result of folding shape arithmetic (<c>Shape → Gather → Unsqueeze → Concat → Reshape</c>). Values are kept as
/// little-endian bytes of the WebNN data type; ONNX bool is uint8, as WebNN's logical operators give.
/// </summary>
internal sealed class ConstantTensor
{
    public ConstantTensor(MLOperandDataType dataType, int[] shape, byte[] bytes)
    {
        if (bytes.Length != Shapes.ElementCount(shape) * dataType.ByteSize())
        {
            throw new ArgumentException($"{bytes.Length} bytes do not hold {dataType.SpecName()}{Shapes.Format(shape)}.", nameof(bytes));
        }
        DataType = dataType;
        Shape = shape;
        Bytes = bytes;
    }

    public MLOperandDataType DataType { get; }

    public int[] Shape { get; }

    public byte[] Bytes { get; }

    public int ElementCount => Bytes.Length / DataType.ByteSize();

    public MLOperandDescriptor Descriptor => new(DataType, Shape);

    public static ConstantTensor FromInt64s(long[] values, params int[] shape) =>
        new(MLOperandDataType.Int64, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    /// <summary>The WebNN data type of an ONNX element type, or null for the ones WebNN lacks (double, bfloat16, strings, ...).</summary>
    public static MLOperandDataType? WebNNType(OnnxType type) => type switch
    {
        OnnxType.Float => MLOperandDataType.Float32,
        OnnxType.Float16 => MLOperandDataType.Float16,
        OnnxType.Int32 => MLOperandDataType.Int32,
        OnnxType.Uint32 => MLOperandDataType.Uint32,
        OnnxType.Int64 => MLOperandDataType.Int64,
        OnnxType.Uint64 => MLOperandDataType.Uint64,
        OnnxType.Int8 => MLOperandDataType.Int8,
        OnnxType.Uint8 or OnnxType.Bool => MLOperandDataType.Uint8,
        _ => null,
    };

    /// <summary>Reads a TensorProto's values from <c>raw_data</c> or the typed field its element type uses (external data is embedded at load, see <see cref="ExternalData"/>).</summary>
    /// <exception cref="OnnxFormatException">The data does not match the dimensions.</exception>
    /// <exception cref="OnnxUnsupportedException">The element type has no WebNN counterpart.</exception>
    public static ConstantTensor FromProto(TensorProto tensor, string nodeName, string operatorType)
    {
        string what = $"tensor '{tensor.Name}'";
        var onnxType = (OnnxType)tensor.DataType;
        var dataType = WebNNType(onnxType)
            ?? throw new OnnxUnsupportedException(nodeName, operatorType, $"{what} has element type {onnxType}, which WebNN has no data type for.");
        var shape = new int[tensor.Dims.Count];
        for (int i = 0; i < shape.Length; i++)
        {
            long dim = tensor.Dims[i];
            if (dim < 0 || dim > int.MaxValue)
            {
                throw new OnnxFormatException($"{what} has dimension {i} ({dim}), which is negative or too large.");
            }
            shape[i] = (int)dim;
        }
        long count = Shapes.ElementCount(shape);
        int size = dataType.ByteSize();
        byte[] bytes;
        if (tensor.HasRawData)
        {
            bytes = tensor.RawData.ToByteArray();
        }
        else
        {
            // Checked before allocating, so that a corrupt dimension cannot ask for gigabytes.
            CheckCount(onnxType switch
            {
                OnnxType.Float => tensor.FloatData.Count,
                OnnxType.Int64 => tensor.Int64Data.Count,
                OnnxType.Uint32 or OnnxType.Uint64 => tensor.Uint64Data.Count,
                _ => tensor.Int32Data.Count,
            }, count, what);
            bytes = new byte[count * size];
            var span = bytes.AsSpan();
            for (int i = 0; i < count; i++)
            {
                switch (onnxType)
                {
                    case OnnxType.Float:
                        MemoryMarshal.Write(span[(i * size)..], tensor.FloatData[i]);
                        break;
                    case OnnxType.Int64:
                        MemoryMarshal.Write(span[(i * size)..], tensor.Int64Data[i]);
                        break;
                    case OnnxType.Uint32:
                    case OnnxType.Uint64:
                        WriteInteger(dataType, span, i, unchecked((long)tensor.Uint64Data[i]));
                        break;
                    case OnnxType.Float16:
                        // int32_data holds float16 as its 16 bits.
                        MemoryMarshal.Write(span[(i * size)..], unchecked((ushort)tensor.Int32Data[i]));
                        break;
                    default:
                        // int32_data holds int32, int8, uint8 and bool.
                        WriteInteger(dataType, span, i, tensor.Int32Data[i]);
                        break;
                }
            }
            return new ConstantTensor(dataType, shape, bytes);
        }
        if (bytes.Length != count * size)
        {
            throw new OnnxFormatException($"{what} has {bytes.Length} bytes of raw data; {dataType.SpecName()}{Shapes.Format(shape)} needs {count * size}.");
        }
        return new ConstantTensor(dataType, shape, bytes);
    }

    private static void CheckCount(int actual, long expected, string what)
    {
        if (actual != expected)
        {
            throw new OnnxFormatException($"{what} holds {actual} values; its dimensions need {expected}.");
        }
    }

    /// <summary>The values as 64-bit integers; a floating-point tensor's are truncated.</summary>
    public long[] ToInt64s()
    {
        var values = new long[ElementCount];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = DataType.IsFloatingPoint() ? (long)ReadDouble(i) : ReadInteger(i);
        }
        return values;
    }

    /// <summary>The values as doubles.</summary>
    public double[] ToDoubles()
    {
        var values = new double[ElementCount];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = DataType.IsFloatingPoint() ? ReadDouble(i) : ReadInteger(i);
        }
        return values;
    }

    /// <summary>The same values under another shape of as many elements.</summary>
    public ConstantTensor Reshape(int[] shape) => new(DataType, shape, Bytes);

    /// <summary>The values converted to <paramref name="dataType"/> (integers truncate toward zero, as ONNX Cast does).</summary>
    public ConstantTensor Cast(MLOperandDataType dataType)
    {
        var bytes = new byte[ElementCount * dataType.ByteSize()];
        for (int i = 0; i < ElementCount; i++)
        {
            if (dataType.IsFloatingPoint())
            {
                WriteDouble(dataType, bytes, i, DataType.IsFloatingPoint() ? ReadDouble(i) : ReadInteger(i));
            }
            else
            {
                WriteInteger(dataType, bytes, i, DataType.IsFloatingPoint() ? (long)ReadDouble(i) : ReadInteger(i));
            }
        }
        return new ConstantTensor(dataType, Shape, bytes);
    }

    /// <summary>ONNX Gather: the slices of <paramref name="axis"/> that <paramref name="indices"/> pick (negative indices count from the end).</summary>
    public ConstantTensor Gather(long[] indices, int[] indicesShape, int axis)
    {
        int outer = Product(Shape.AsSpan(0, axis)), inner = Product(Shape.AsSpan(axis + 1)) * DataType.ByteSize();
        int axisSize = Shape[axis];
        var bytes = new byte[outer * indices.Length * inner];
        for (int o = 0; o < outer; o++)
        {
            for (int j = 0; j < indices.Length; j++)
            {
                long index = indices[j] < 0 ? indices[j] + axisSize : indices[j];
                Bytes.AsSpan((int)((o * axisSize + index) * inner), inner).CopyTo(bytes.AsSpan((o * indices.Length + j) * inner));
            }
        }
        return new ConstantTensor(DataType, [.. Shape[..axis], .. indicesShape, .. Shape[(axis + 1)..]], bytes);
    }

    /// <summary>The tensors joined along <paramref name="axis"/>; they share a data type and every other dimension.</summary>
    public static ConstantTensor Concat(IReadOnlyList<ConstantTensor> parts, int axis)
    {
        var first = parts[0];
        int outer = Product(first.Shape.AsSpan(0, axis));
        var shape = (int[])first.Shape.Clone();
        shape[axis] = parts.Sum(p => p.Shape[axis]);
        var bytes = new byte[parts.Sum(p => p.Bytes.Length)];
        int offset = 0;
        for (int o = 0; o < outer; o++)
        {
            foreach (var part in parts)
            {
                int chunk = part.Bytes.Length / Math.Max(outer, 1);
                part.Bytes.AsSpan(o * chunk, chunk).CopyTo(bytes.AsSpan(offset));
                offset += chunk;
            }
        }
        return new ConstantTensor(first.DataType, shape, bytes);
    }

    /// <summary>WebNN's slice: per axis, the <paramref name="sizes"/> elements from <paramref name="starts"/>, every <paramref name="strides"/>-th of them.</summary>
    public ConstantTensor Slice(int[] starts, int[] sizes, int[] strides)
    {
        int size = DataType.ByteSize();
        int[] outputShape = [.. sizes.Select((s, d) => (s + strides[d] - 1) / strides[d])];
        var bytes = new byte[Shapes.ElementCount(outputShape) * size];
        for (int i = 0; i < bytes.Length / size; i++)
        {
            int source = 0, rest = i;
            for (int d = outputShape.Length - 1, stride = 1; d >= 0; stride *= Shape[d], d--)
            {
                source += (starts[d] + rest % outputShape[d] * strides[d]) * stride;
                rest /= outputShape[d];
            }
            Bytes.AsSpan(source * size, size).CopyTo(bytes.AsSpan(i * size));
        }
        return new ConstantTensor(DataType, outputShape, bytes);
    }

    /// <summary>Elementwise <paramref name="operation"/> of two integer tensors with bidirectional broadcasting, as int64.</summary>
    public static ConstantTensor IntegerBinary(ConstantTensor a, ConstantTensor b, int[] outputShape, Func<long, long, long> operation)
    {
        long[] x = a.ToInt64s(), y = b.ToInt64s();
        var result = new long[Shapes.ElementCount(outputShape)];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = operation(x[BroadcastIndex(i, outputShape, a.Shape)], y[BroadcastIndex(i, outputShape, b.Shape)]);
        }
        return FromInt64s(result, outputShape);
    }

    /// <summary>The index in a tensor of <paramref name="shape"/> that broadcasting maps output element <paramref name="outputIndex"/> to.</summary>
    private static int BroadcastIndex(int outputIndex, int[] outputShape, int[] shape)
    {
        int index = 0, stride = 1;
        for (int d = outputShape.Length - 1, s = shape.Length - 1; s >= 0; d--, s--)
        {
            int coordinate = outputIndex % outputShape[d];
            outputIndex /= outputShape[d];
            index += (shape[s] == 1 ? 0 : coordinate) * stride;
            stride *= shape[s];
        }
        return index;
    }

    private static int Product(ReadOnlySpan<int> dims)
    {
        int product = 1;
        foreach (int d in dims) product *= d;
        return product;
    }

    private long ReadInteger(int i)
    {
        var span = Bytes.AsSpan(i * DataType.ByteSize());
        return DataType switch
        {
            MLOperandDataType.Int64 => MemoryMarshal.Read<long>(span),
            MLOperandDataType.Uint64 => unchecked((long)MemoryMarshal.Read<ulong>(span)),
            MLOperandDataType.Int32 => MemoryMarshal.Read<int>(span),
            MLOperandDataType.Uint32 => MemoryMarshal.Read<uint>(span),
            MLOperandDataType.Int8 => (sbyte)span[0],
            MLOperandDataType.Uint8 => span[0],
            _ => throw new InvalidOperationException($"{DataType.SpecName()} is not an integer type."),
        };
    }

    private double ReadDouble(int i)
    {
        var span = Bytes.AsSpan(i * DataType.ByteSize());
        return DataType == MLOperandDataType.Float16 ? (double)MemoryMarshal.Read<Half>(span) : MemoryMarshal.Read<float>(span);
    }

    private static void WriteInteger(MLOperandDataType dataType, Span<byte> bytes, int i, long value)
    {
        var span = bytes[(i * dataType.ByteSize())..];
        switch (dataType)
        {
            case MLOperandDataType.Int64: MemoryMarshal.Write(span, value); break;
            case MLOperandDataType.Uint64: MemoryMarshal.Write(span, unchecked((ulong)value)); break;
            case MLOperandDataType.Int32: MemoryMarshal.Write(span, unchecked((int)value)); break;
            case MLOperandDataType.Uint32: MemoryMarshal.Write(span, unchecked((uint)value)); break;
            case MLOperandDataType.Int8: span[0] = unchecked((byte)(sbyte)value); break;
            case MLOperandDataType.Uint8: span[0] = unchecked((byte)value); break;
            default: throw new InvalidOperationException($"{dataType.SpecName()} is not an integer type.");
        }
    }

    private static void WriteDouble(MLOperandDataType dataType, Span<byte> bytes, int i, double value)
    {
        var span = bytes[(i * dataType.ByteSize())..];
        if (dataType == MLOperandDataType.Float16) MemoryMarshal.Write(span, (Half)value);
        else MemoryMarshal.Write(span, (float)value);
    }
}
