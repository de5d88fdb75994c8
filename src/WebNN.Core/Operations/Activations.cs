using WebNN.Validation;

namespace WebNN;

/// <summary>Options of <see cref="MLGraphBuilder.Clamp"/> (spec: <c>MLClampOptions</c>).</summary>
public sealed class MLClampOptions : MLOperatorOptions
{
    /// <summary>The lower bound; none when null.</summary>
    public MLNumber? MinValue { get; init; }

    /// <summary>The upper bound; none when null.</summary>
    public MLNumber? MaxValue { get; init; }
}

/// <summary>Options of <see cref="MLGraphBuilder.Elu"/> (spec: <c>MLEluOptions</c>).</summary>
public sealed class MLEluOptions : MLOperatorOptions
{
    /// <summary>The scale of the negative part; default 1.</summary>
    public double Alpha { get; init; } = 1;
}

/// <summary>Options of <see cref="MLGraphBuilder.HardSigmoid"/> (spec: <c>MLHardSigmoidOptions</c>).</summary>
public sealed class MLHardSigmoidOptions : MLOperatorOptions
{
    /// <summary>The slope; default 0.2.</summary>
    public double Alpha { get; init; } = 0.2;

    /// <summary>The offset; default 0.5.</summary>
    public double Beta { get; init; } = 0.5;
}

/// <summary>Options of <see cref="MLGraphBuilder.LeakyRelu"/> (spec: <c>MLLeakyReluOptions</c>).</summary>
public sealed class MLLeakyReluOptions : MLOperatorOptions
{
    /// <summary>The slope of the negative part; default 0.01.</summary>
    public double Alpha { get; init; } = 0.01;
}

/// <summary>Options of <see cref="MLGraphBuilder.Linear"/> (spec: <c>MLLinearOptions</c>).</summary>
public sealed class MLLinearOptions : MLOperatorOptions
{
    /// <summary>The scale; default 1.</summary>
    public double Alpha { get; init; } = 1;

    /// <summary>The offset; default 0.</summary>
    public double Beta { get; init; }
}

/// <summary>clamp's bounds cast to the input's type (−∞/+∞ when absent).</summary>
internal sealed record ClampAttributes(double MinValue, double MaxValue);

/// <summary>The scalar parameters of elu, leakyRelu (Alpha) and hardSigmoid, linear (Alpha, Beta), cast to the input's type.</summary>
internal sealed record ActivationAttributes(double Alpha, double Beta);

/// <summary>softmax's axis.</summary>
internal sealed record SoftmaxAttributes(int Axis);

public sealed partial class MLGraphBuilder
{
    /// <summary>max(0, x) (spec: <c>relu</c>).</summary>
    public MLOperand Relu(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("relu", input, options);

    /// <summary>1 / (1 + e^-x) (spec: <c>sigmoid</c>).</summary>
    public MLOperand Sigmoid(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("sigmoid", input, options);

    /// <summary>tanh(x) (spec: <c>tanh</c>).</summary>
    public MLOperand Tanh(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("tanh", input, options);

    /// <summary>x / (1 + |x|) (spec: <c>softsign</c>).</summary>
    public MLOperand Softsign(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("softsign", input, options);

    /// <summary>ln(1 + e^x) (spec: <c>softplus</c>).</summary>
    public MLOperand Softplus(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("softplus", input, options);

    /// <summary>x · max(0, min(6, x + 3)) / 6 (spec: <c>hardSwish</c>).</summary>
    public MLOperand HardSwish(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("hardSwish", input, options);

    /// <summary>0.5 · x · (1 + erf(x / √2)) (spec: <c>gelu</c>).</summary>
    public MLOperand Gelu(MLOperand input, MLOperatorOptions? options = null) => ElementwiseUnary("gelu", input, options);

    /// <summary>x for x ≥ 0, alpha · (e^x − 1) otherwise (spec: <c>elu</c>).</summary>
    public MLOperand Elu(MLOperand input, MLEluOptions? options = null)
    {
        options ??= new MLEluOptions();
        return ElementwiseUnary("elu", input, options, new ActivationAttributes(CastScalar(input, options.Alpha), 0));
    }

    /// <summary>max(0, min(1, alpha · x + beta)) (spec: <c>hardSigmoid</c>).</summary>
    public MLOperand HardSigmoid(MLOperand input, MLHardSigmoidOptions? options = null)
    {
        options ??= new MLHardSigmoidOptions();
        return ElementwiseUnary("hardSigmoid", input, options, new ActivationAttributes(CastScalar(input, options.Alpha), CastScalar(input, options.Beta)));
    }

    /// <summary>x for x ≥ 0, alpha · x otherwise (spec: <c>leakyRelu</c>).</summary>
    public MLOperand LeakyRelu(MLOperand input, MLLeakyReluOptions? options = null)
    {
        options ??= new MLLeakyReluOptions();
        return ElementwiseUnary("leakyRelu", input, options, new ActivationAttributes(CastScalar(input, options.Alpha), 0));
    }

    /// <summary>alpha · x + beta (spec: <c>linear</c>).</summary>
    public MLOperand Linear(MLOperand input, MLLinearOptions? options = null)
    {
        options ??= new MLLinearOptions();
        return ElementwiseUnary("linear", input, options, new ActivationAttributes(CastScalar(input, options.Alpha), CastScalar(input, options.Beta)));
    }

    /// <summary>
    /// min(max(x, minValue), maxValue) (spec: <c>clamp</c>). Absent bounds are −∞ and +∞ (the spec's text
    /// says +∞ for an absent minValue, which would make every clamp without bounds throw; we read it as −∞).
    /// </summary>
    public MLOperand Clamp(MLOperand input, MLClampOptions? options = null)
    {
        options ??= new MLClampOptions();
        string where = BeginOperator("clamp", options);
        var inputs = ValidateInputs(where, "clamp", ("input", Required(input, nameof(input))));
        // Absent bounds are ±∞ before the cast, so integer types clamp to their own range.
        double minValue = (options.MinValue ?? double.NegativeInfinity).CastTo(input.DataType);
        double maxValue = (options.MaxValue ?? double.PositiveInfinity).CastTo(input.DataType);
        if (minValue > maxValue)
        {
            throw Errors.Type(where, $"minValue ({minValue}) must not be greater than maxValue ({maxValue}).");
        }
        return AddOperator("clamp", options, inputs, new ClampAttributes(minValue, maxValue), input.DataType, input.Dimensions);
    }

    /// <summary>x for x ≥ 0, slope · x otherwise, with slope bidirectionally broadcast (spec: <c>prelu</c>).</summary>
    public MLOperand Prelu(MLOperand input, MLOperand slope, MLOperatorOptions? options = null)
    {
        string where = BeginOperator("prelu", options);
        var inputs = ValidateInputs(where, "prelu", ("input", Required(input, nameof(input))), ("slope", Required(slope, nameof(slope))));
        var outputShape = Broadcasting.Bidirectional(slope.Dimensions, input.Dimensions)
            ?? throw Errors.Type(where, $"slope shape {Shapes.Format(slope.Dimensions)} and input shape {Shapes.Format(input.Dimensions)} are not bidirectionally broadcastable.");
        return AddOperator("prelu", options, inputs, null, input.DataType, outputShape);
    }

    /// <summary>e^x / Σ e^x along <paramref name="axis"/> (spec: <c>softmax</c>).</summary>
    public MLOperand Softmax(MLOperand input, int axis, MLOperatorOptions? options = null)
    {
        string where = BeginOperator("softmax", options);
        var inputs = ValidateInputs(where, "softmax", ("input", Required(input, nameof(input))));
        CheckAxis(where, "axis", axis, input.Rank);
        return AddOperator("softmax", options, inputs, new SoftmaxAttributes(axis), input.DataType, input.Dimensions);
    }

    /// <summary>Spec "cast" of a double option to the operand's data type, as a double.</summary>
    private static double CastScalar(MLOperand operand, double value) => ((MLNumber)value).CastTo(operand.DataType);
}
