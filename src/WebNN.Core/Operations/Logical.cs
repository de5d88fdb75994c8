using WebNN.Validation;

namespace WebNN;

public sealed partial class MLGraphBuilder
{
    /// <summary>1 where a == b, else 0, as uint8 (spec: <c>equal</c>).</summary>
    public MLOperand Equal(MLOperand a, MLOperand b, MLOperatorOptions? options = null) => ElementwiseLogical("equal", a, Required(b, nameof(b)), options);

    /// <summary>1 where a != b, else 0 (spec: <c>notEqual</c>).</summary>
    public MLOperand NotEqual(MLOperand a, MLOperand b, MLOperatorOptions? options = null) => ElementwiseLogical("notEqual", a, Required(b, nameof(b)), options);

    /// <summary>1 where a &gt; b, else 0 (spec: <c>greater</c>).</summary>
    public MLOperand Greater(MLOperand a, MLOperand b, MLOperatorOptions? options = null) => ElementwiseLogical("greater", a, Required(b, nameof(b)), options);

    /// <summary>1 where a ≥ b, else 0 (spec: <c>greaterOrEqual</c>).</summary>
    public MLOperand GreaterOrEqual(MLOperand a, MLOperand b, MLOperatorOptions? options = null) => ElementwiseLogical("greaterOrEqual", a, Required(b, nameof(b)), options);

    /// <summary>1 where a &lt; b, else 0 (spec: <c>lesser</c>).</summary>
    public MLOperand Lesser(MLOperand a, MLOperand b, MLOperatorOptions? options = null) => ElementwiseLogical("lesser", a, Required(b, nameof(b)), options);

    /// <summary>1 where a ≤ b, else 0 (spec: <c>lesserOrEqual</c>).</summary>
    public MLOperand LesserOrEqual(MLOperand a, MLOperand b, MLOperatorOptions? options = null) => ElementwiseLogical("lesserOrEqual", a, Required(b, nameof(b)), options);

    /// <summary>1 where a is 0, else 0; a is uint8 (spec: <c>logicalNot</c>).</summary>
    public MLOperand LogicalNot(MLOperand a, MLOperatorOptions? options = null) => ElementwiseLogical("logicalNot", a, null, options);

    /// <summary>1 where both are non-zero (spec: <c>logicalAnd</c>).</summary>
    public MLOperand LogicalAnd(MLOperand a, MLOperand b, MLOperatorOptions? options = null) => ElementwiseLogical("logicalAnd", a, Required(b, nameof(b)), options);

    /// <summary>1 where either is non-zero (spec: <c>logicalOr</c>).</summary>
    public MLOperand LogicalOr(MLOperand a, MLOperand b, MLOperatorOptions? options = null) => ElementwiseLogical("logicalOr", a, Required(b, nameof(b)), options);

    /// <summary>1 where exactly one is non-zero (spec: <c>logicalXor</c>).</summary>
    public MLOperand LogicalXor(MLOperand a, MLOperand b, MLOperatorOptions? options = null) => ElementwiseLogical("logicalXor", a, Required(b, nameof(b)), options);

    /// <summary>1 where the input is NaN (spec: <c>isNaN</c>).</summary>
    public MLOperand IsNaN(MLOperand input, MLOperatorOptions? options = null) => ElementwiseLogical("isNaN", input, null, options);

    /// <summary>1 where the input is ±∞ (spec: <c>isInfinite</c>).</summary>
    public MLOperand IsInfinite(MLOperand input, MLOperatorOptions? options = null) => ElementwiseLogical("isInfinite", input, null, options);

    /// <summary>Spec "create an element-wise logical operation": uint8 output, broadcast when there are two operands.</summary>
    private MLOperand ElementwiseLogical(string op, MLOperand a, MLOperand? b, MLOperatorOptions? options)
    {
        string where = BeginOperator(op, options);
        var inputs = ValidateInputs(where, op, ("a", Required(a, nameof(a))), ("b", b));
        var outputShape = a.Dimensions;
        if (b is not null)
        {
            outputShape = Broadcasting.Bidirectional(a.Dimensions, b.Dimensions)
                ?? throw Errors.Type(where, $"shapes {Shapes.Format(a.Dimensions)} and {Shapes.Format(b.Dimensions)} are not bidirectionally broadcastable.");
        }
        return AddOperator(op, options, inputs, null, MLOperandDataType.Uint8, outputShape);
    }
}
