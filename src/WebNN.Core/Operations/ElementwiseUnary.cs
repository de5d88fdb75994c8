using WebNN.Validation;

namespace WebNN;

public sealed partial class MLGraphBuilder
{
    /// <summary>|x| element-wise (spec: <c>abs</c>).</summary>
    public MLOperand Abs(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("abs", input, options);

    /// <summary>The smallest integer ≥ x, element-wise (spec: <c>ceil</c>).</summary>
    public MLOperand Ceil(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("ceil", input, options);

    /// <summary>cos(x) element-wise (spec: <c>cos</c>).</summary>
    public MLOperand Cos(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("cos", input, options);

    /// <summary>The error function, element-wise (spec: <c>erf</c>).</summary>
    public MLOperand Erf(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("erf", input, options);

    /// <summary>e^x element-wise (spec: <c>exp</c>).</summary>
    public MLOperand Exp(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("exp", input, options);

    /// <summary>The largest integer ≤ x, element-wise (spec: <c>floor</c>).</summary>
    public MLOperand Floor(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("floor", input, options);

    /// <summary>x, copied (spec: <c>identity</c>).</summary>
    public MLOperand Identity(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("identity", input, options);

    /// <summary>ln(x) element-wise (spec: <c>log</c>).</summary>
    public MLOperand Log(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("log", input, options);

    /// <summary>-x element-wise (spec: <c>neg</c>).</summary>
    public MLOperand Neg(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("neg", input, options);

    /// <summary>1/x element-wise (spec: <c>reciprocal</c>).</summary>
    public MLOperand Reciprocal(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("reciprocal", input, options);

    /// <summary>x rounded to the nearest integer, ties to even (spec: <c>roundEven</c>).</summary>
    public MLOperand RoundEven(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("roundEven", input, options);

    /// <summary>sin(x) element-wise (spec: <c>sin</c>).</summary>
    public MLOperand Sin(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("sin", input, options);

    /// <summary>-1, 0 or 1 by the sign of x (spec: <c>sign</c>).</summary>
    public MLOperand Sign(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("sign", input, options);

    /// <summary>√x element-wise (spec: <c>sqrt</c>).</summary>
    public MLOperand Sqrt(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("sqrt", input, options);

    /// <summary>tan(x) element-wise (spec: <c>tan</c>).</summary>
    public MLOperand Tan(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("tan", input, options);

    /// <summary>Spec "create an element-wise unary operation": the output copies the input's type and shape.</summary>
    private MLOperand ElementwiseUnary(string op, MLOperand input, MLOperatorOptions? options, object? attributes = null)
    {
        string where = BeginOperator(op, options);
        var inputs = ValidateInputs(where, op, ("input", Required(input, nameof(input))));
        return AddOperator(op, options, inputs, attributes, input.DataType, input.Dimensions);
    }
}
