using WebNN.Validation;

namespace WebNN;

/// <summary>Options of <see cref="MLGraphBuilder.Gemm"/> (spec: <c>MLGemmOptions</c>).</summary>
public sealed class MLGemmOptions : MLOperatorOptions
{
    /// <summary>Added to the product after scaling by <see cref="Beta"/>; unidirectionally broadcastable to [M, N].</summary>
    public MLOperand? C { get; init; }

    /// <summary>The product's scale; default 1.</summary>
    public double Alpha { get; init; } = 1;

    /// <summary>C's scale; default 1.</summary>
    public double Beta { get; init; } = 1;

    /// <summary>Use A transposed; default false.</summary>
    public bool ATranspose { get; init; }

    /// <summary>Use B transposed; default false.</summary>
    public bool BTranspose { get; init; }
}

/// <summary>gemm's scales (cast to the input's type) and transposes; C, when given, is the "c" input.</summary>
internal sealed record GemmAttributes(double Alpha, double Beta, bool ATranspose, bool BTranspose);

public sealed partial class MLGraphBuilder
{
    /// <summary>Matrix product of the last two dimensions, batch dimensions broadcast (spec: <c>matmul</c>).</summary>
    public MLOperand Matmul(MLOperand a, MLOperand b, MLOperatorOptions? options = null)
    {
        string where = BeginOperator("matmul", options);
        var inputs = ValidateInputs(where, "matmul", ("a", Required(a, nameof(a))), ("b", Required(b, nameof(b))));
        if (a.Rank < 2 || b.Rank < 2)
        {
            throw Errors.Type(where, $"a's rank ({a.Rank}) and b's rank ({b.Rank}) must both be at least 2.");
        }
        var shapeA = a.Dimensions;
        var shapeB = b.Dimensions;
        if (shapeA[^1] != shapeB[^2])
        {
            throw Errors.Type(where, $"a's columns ({shapeA[^1]}) must equal b's rows ({shapeB[^2]}).");
        }
        var batch = Broadcasting.Bidirectional(shapeA[..^2], shapeB[..^2])
            ?? throw Errors.Type(where, $"batch dimensions {Shapes.Format(shapeA[..^2])} and {Shapes.Format(shapeB[..^2])} are not bidirectionally broadcastable.");
        return AddOperator("matmul", options, inputs, null, a.DataType, [.. batch, shapeA[^2], shapeB[^1]]);
    }

    /// <summary>alpha · A · B + beta · C for 2-D A and B (spec: <c>gemm</c>).</summary>
    public MLOperand Gemm(MLOperand a, MLOperand b, MLGemmOptions? options = null)
    {
        options ??= new MLGemmOptions();
        string where = BeginOperator("gemm", options);
        var inputs = ValidateInputs(where, "gemm", ("a", Required(a, nameof(a))), ("b", Required(b, nameof(b))), ("c", options.C));
        int[] shapeA = options.ATranspose ? [a.Dimensions[1], a.Dimensions[0]] : a.Dimensions;
        int[] shapeB = options.BTranspose ? [b.Dimensions[1], b.Dimensions[0]] : b.Dimensions;
        if (shapeA[1] != shapeB[0])
        {
            throw Errors.Type(where, $"a's columns ({shapeA[1]}) must equal b's rows ({shapeB[0]}) after the transposes.");
        }
        int[] outputShape = [shapeA[0], shapeB[1]];
        if (options.C is { } c && Broadcasting.Unidirectional(c.Dimensions, outputShape) is null)
        {
            throw Errors.Type(where, $"c's shape {Shapes.Format(c.Dimensions)} must be unidirectionally broadcastable to the output shape {Shapes.Format(outputShape)}.");
        }
        var attributes = new GemmAttributes(CastScalar(a, options.Alpha), CastScalar(a, options.Beta), options.ATranspose, options.BTranspose);
        return AddOperator("gemm", options, inputs, attributes, a.DataType, outputShape);
    }
}
