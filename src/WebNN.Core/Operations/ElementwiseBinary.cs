using WebNN.Validation;

namespace WebNN;

public sealed partial class MLGraphBuilder
{
    /// <summary>a + b, element-wise with bidirectional broadcasting (spec: <c>add</c>).</summary>
    public MLOperand Add(MLOperand a, MLOperand b, MLOperatorOptions? options = null) => ElementwiseBinary("add", a, b, options);

    /// <summary>a - b, element-wise with broadcasting (spec: <c>sub</c>).</summary>
    public MLOperand Sub(MLOperand a, MLOperand b, MLOperatorOptions? options = null) => ElementwiseBinary("sub", a, b, options);

    /// <summary>a * b, element-wise with broadcasting (spec: <c>mul</c>).</summary>
    public MLOperand Mul(MLOperand a, MLOperand b, MLOperatorOptions? options = null) => ElementwiseBinary("mul", a, b, options);

    /// <summary>a / b, element-wise with broadcasting (spec: <c>div</c>).</summary>
    public MLOperand Div(MLOperand a, MLOperand b, MLOperatorOptions? options = null) => ElementwiseBinary("div", a, b, options);

    /// <summary>The larger of a and b, element-wise with broadcasting (spec: <c>max</c>).</summary>
    public MLOperand Max(MLOperand a, MLOperand b, MLOperatorOptions? options = null) => ElementwiseBinary("max", a, b, options);

    /// <summary>The smaller of a and b, element-wise with broadcasting (spec: <c>min</c>).</summary>
    public MLOperand Min(MLOperand a, MLOperand b, MLOperatorOptions? options = null) => ElementwiseBinary("min", a, b, options);

    /// <summary>a raised to b, element-wise with broadcasting (spec: <c>pow</c>).</summary>
    public MLOperand Pow(MLOperand a, MLOperand b, MLOperatorOptions? options = null) => ElementwiseBinary("pow", a, b, options);

    /// <summary>Spec "create an element-wise binary operation".</summary>
    private MLOperand ElementwiseBinary(string op, MLOperand a, MLOperand b, MLOperatorOptions? options)
    {
        string where = BeginOperator(op, options);
        var inputs = ValidateInputs(where, op, ("a", Required(a, nameof(a))), ("b", Required(b, nameof(b))));
        var outputShape = Broadcasting.Bidirectional(a.Dimensions, b.Dimensions)
            ?? throw Errors.Type(where, $"shapes {Shapes.Format(a.Dimensions)} and {Shapes.Format(b.Dimensions)} are not bidirectionally broadcastable.");
        return AddOperator(op, options, inputs, null, a.DataType, outputShape);
    }
}
