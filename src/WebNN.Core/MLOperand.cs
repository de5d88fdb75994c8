using WebNN.Graph;

namespace WebNN;

/// <summary>
/// A value in a graph under construction: a graph input, a constant, or the output of an operation
/// (spec: <c>MLOperand</c>). Operands belong to the <see cref="MLGraphBuilder"/> that made them.
/// </summary>
public sealed class MLOperand
{
    private readonly int[] _shape;

    internal MLOperand(MLGraphBuilder builder, MLOperandDataType dataType, int[] shape)
    {
        Builder = builder;
        DataType = dataType;
        _shape = shape;
        Id = builder.NextOperandId();
    }

    /// <summary>The element type.</summary>
    public MLOperandDataType DataType { get; }

    /// <summary>The dimensions (a copy); empty for a scalar.</summary>
    public int[] Shape => (int[])_shape.Clone();

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The dimensions, not copied: never mutate.</summary>
    internal int[] Dimensions => _shape;

    internal MLGraphBuilder Builder { get; }

    /// <summary>A number unique within the builder, in creation order.</summary>
    internal int Id { get; }

    /// <summary>The input's name, for graph inputs.</summary>
    internal string? InputName { get; init; }

    /// <summary>The constant's bytes, for constants made from a buffer or a number.</summary>
    internal byte[]? ConstantData { get; init; }

    /// <summary>The constant's tensor, for constants made from a constant <see cref="MLTensor"/>.</summary>
    internal MLTensor? ConstantTensor { get; init; }

    /// <summary>The operator that computes this operand; null for inputs and constants.</summary>
    internal MLOperator? Operator { get; set; }

    internal bool IsInput => InputName is not null;

    internal bool IsConstant => ConstantData is not null || ConstantTensor is not null;

    internal long ElementCount => Shapes.ElementCount(_shape);

    internal MLOperandDescriptor Descriptor => new(DataType, (int[])_shape.Clone());

    /// <inheritdoc/>
    public override string ToString() => $"{DataType.SpecName()}{Shapes.Format(_shape)}";
}
