namespace WebNN;

/// <summary>The data type and shape of an operand (spec: <c>MLOperandDescriptor</c>).</summary>
public class MLOperandDescriptor
{
    /// <summary>Creates an empty descriptor (a float32 scalar); set the properties.</summary>
    public MLOperandDescriptor()
    {
    }

    /// <summary>Creates a descriptor of <paramref name="dataType"/> and <paramref name="shape"/>.</summary>
    public MLOperandDescriptor(MLOperandDataType dataType, params int[] shape)
    {
        DataType = dataType;
        Shape = shape;
    }

    /// <summary>The element type.</summary>
    public MLOperandDataType DataType { get; init; }

    /// <summary>The dimensions; an empty array is a scalar. Every dimension must be greater than zero.</summary>
    public int[] Shape { get; init; } = [];

    /// <summary>The number of elements (the product of the dimensions).</summary>
    public long ElementCount => Shapes.ElementCount(Shape);

    /// <summary>The number of bytes of a tensor of this descriptor.</summary>
    public long ByteLength => ElementCount * DataType.ByteSize();

    /// <summary>True when both have the same data type and shape (spec: descriptor equality).</summary>
    public bool HasSameTypeAndShape(MLOperandDescriptor other) =>
        DataType == other.DataType && Shape.AsSpan().SequenceEqual(other.Shape);

    /// <inheritdoc/>
    public override string ToString() => $"{DataType.SpecName()}{Shapes.Format(Shape)}";
}

/// <summary>The descriptor of a tensor: an operand descriptor plus usage (spec: <c>MLTensorDescriptor</c>).</summary>
public sealed class MLTensorDescriptor : MLOperandDescriptor
{
    /// <summary>Creates an empty descriptor; set the properties.</summary>
    public MLTensorDescriptor()
    {
    }

    /// <summary>Creates a descriptor of <paramref name="dataType"/> and <paramref name="shape"/>.</summary>
    public MLTensorDescriptor(MLOperandDataType dataType, int[] shape, bool readable = false, bool writable = false)
        : base(dataType, shape)
    {
        Readable = readable;
        Writable = writable;
    }

    /// <summary>Whether <see cref="MLContext.ReadTensorAsync(MLTensor)"/> may read the tensor.</summary>
    public bool Readable { get; init; }

    /// <summary>Whether <see cref="MLContext.WriteTensor(MLTensor, ReadOnlySpan{byte})"/> may write the tensor.</summary>
    public bool Writable { get; init; }
}
