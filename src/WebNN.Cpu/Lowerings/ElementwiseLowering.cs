using WebNN.Cpu.Kernels;
using WebNN.Graph;

namespace WebNN.Cpu.Lowerings;

/// <summary>
/// Element-wise binary operators on every data type; unary and activation operators, and softmax, on
/// float32 kernels, with abs, neg, sign, relu, clamp and identity also on the integer types (float16
/// through float32 for all).
/// </summary>
internal static class ElementwiseLowering
{
    private static readonly MLOperandDataType[] AllTypes = [.. MLOperandDataTypes.All];

    private static readonly (string Name, BinaryKind Kind)[] BinaryOperators =
    [
        ("add", BinaryKind.Add), ("sub", BinaryKind.Sub), ("mul", BinaryKind.Mul), ("div", BinaryKind.Div),
        ("max", BinaryKind.Max), ("min", BinaryKind.Min), ("pow", BinaryKind.Pow),
    ];

    private static readonly (string Name, UnaryKind Kind)[] UnaryOperators =
    [
        ("abs", UnaryKind.Abs), ("ceil", UnaryKind.Ceil), ("cos", UnaryKind.Cos), ("erf", UnaryKind.Erf), ("exp", UnaryKind.Exp),
        ("floor", UnaryKind.Floor), ("identity", UnaryKind.Identity), ("log", UnaryKind.Log), ("neg", UnaryKind.Neg),
        ("reciprocal", UnaryKind.Reciprocal), ("roundEven", UnaryKind.RoundEven), ("sign", UnaryKind.Sign), ("sin", UnaryKind.Sin), ("sqrt", UnaryKind.Sqrt), ("tan", UnaryKind.Tan),
        ("relu", UnaryKind.Relu), ("sigmoid", UnaryKind.Sigmoid), ("tanh", UnaryKind.Tanh), ("softsign", UnaryKind.Softsign),
        ("softplus", UnaryKind.Softplus), ("hardSwish", UnaryKind.HardSwish), ("gelu", UnaryKind.Gelu), ("elu", UnaryKind.Elu),
        ("hardSigmoid", UnaryKind.HardSigmoid), ("leakyRelu", UnaryKind.LeakyRelu), ("linear", UnaryKind.Linear), ("clamp", UnaryKind.Clamp),
    ];

    public static IEnumerable<KeyValuePair<string, CpuOperatorEntry>> Entries()
    {
        foreach (var (name, kind) in BinaryOperators)
        {
            yield return new(name, new CpuOperatorEntry(AllTypes, ComputeInFloat32: true, (op, lowering) => Binary(kind, op, lowering)));
        }
        foreach (var (name, kind) in UnaryOperators)
        {
            var dataTypes = kind is UnaryKind.Abs or UnaryKind.Neg or UnaryKind.Sign or UnaryKind.Relu or UnaryKind.Clamp or UnaryKind.Identity ? AllTypes : CpuOperators.Floats;
            yield return new(name, new CpuOperatorEntry(dataTypes, ComputeInFloat32: true, (op, lowering) => Unary(kind, op, lowering)));
        }
        yield return new("prelu", new CpuOperatorEntry(AllTypes, ComputeInFloat32: true, Prelu));
        yield return new("softmax", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, Softmax));
    }

    private static CpuStep Binary(BinaryKind kind, MLOperator op, CpuLowering lowering)
    {
        var a = lowering.Value(op.Inputs[0].Operand);
        var b = lowering.Value(op.Inputs[1].Operand);
        return new BinaryOperation(kind, a, b, lowering.Value(op.Outputs[0])).Step(a.DataType);
    }

    private static CpuStep Unary(UnaryKind kind, MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Inputs[0].Operand);
        var output = lowering.Value(op.Outputs[0]);
        if (input.DataType == MLOperandDataType.Float32)
        {
            var (alpha, beta) = Parameters(op.Attributes);
            return new DelegateStep(run => UnaryKernel.Run(kind, run.Floats(input), run.Floats(output), alpha, beta));
        }
        return new IntegerUnaryOperation(kind, input, output, op.Attributes as ClampAttributes).Step(input.DataType);
    }

    /// <summary>The kernel and parameters of an activation folded into another operator by the optimizer.</summary>
    public static (UnaryKind Kind, float Alpha, float Beta) Activation(FusedActivation activation)
    {
        var kind = Array.Find(UnaryOperators, o => o.Name == activation.Operator).Kind;
        var (alpha, beta) = Parameters(activation.Attributes);
        return (kind, alpha, beta);
    }

    /// <summary>The unary kernel's alpha and beta from an operator's attributes (clamp's bounds, or the activation's scalars).</summary>
    private static (float Alpha, float Beta) Parameters(object? attributes) => attributes switch
    {
        ActivationAttributes activation => ((float)activation.Alpha, (float)activation.Beta),
        ClampAttributes clamp => ((float)clamp.MinValue, (float)clamp.MaxValue),
        _ => (0f, 0f),
    };

    /// <summary>prelu(x, slope) = max(0, x) + slope · min(0, x), with slope broadcast, on any type (integers wrap): binary passes through a scratch buffer.</summary>
    private static CpuStep Prelu(MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Input("input")!);
        var output = lowering.Value(op.Outputs[0]);
        return new PreluOperation(input, lowering.Value(op.Input("slope")!), lowering.Scratch(input.DataType, input.Shape), output).Step(input.DataType);
    }

    private static CpuStep Softmax(MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Inputs[0].Operand);
        var output = lowering.Value(op.Outputs[0]);
        int axis = op.AttributesAs<SoftmaxAttributes>().Axis;
        return new DelegateStep(run => SoftmaxKernel.Run(run.Floats(input), input.Shape, axis, run.Floats(output)));
    }

    private sealed class BinaryOperation(BinaryKind kind, CpuValue a, CpuValue b, CpuValue output) : NumericKernel
    {
        private readonly BroadcastIndexer _broadcast = new(output.Shape, a.Shape, b.Shape);

        public override void Run<T>(CpuRun run) =>
            BinaryKernel.Run(kind, run.Span<T>(a), run.Span<T>(b), run.Span<T>(output), _broadcast);
    }

    private sealed class PreluOperation(CpuValue input, CpuValue slope, CpuValue scratch, CpuValue output) : NumericKernel
    {
        private readonly BroadcastIndexer _withZero = new(input.Shape, input.Shape, []);
        private readonly BroadcastIndexer _bySlope = new(output.Shape, input.Shape, slope.Shape);
        private readonly BroadcastIndexer _sum = new(output.Shape, output.Shape, input.Shape);

        public override void Run<T>(CpuRun run)
        {
            ReadOnlySpan<T> zero = [T.Zero];
            var x = run.Span<T>(input);
            var part = run.Span<T>(scratch);
            var y = run.Span<T>(output);
            BinaryKernel.Run(BinaryKind.Min, x, zero, part, _withZero);
            BinaryKernel.Run(BinaryKind.Mul, part, run.Span<T>(slope), y, _bySlope);
            BinaryKernel.Run(BinaryKind.Max, x, zero, part, _withZero);
            BinaryKernel.Run(BinaryKind.Add, y, part, y, _sum);
        }
    }

    /// <summary>The unary operators the spec allows on integers, on an integer type; clamp's bounds stay in double until converted to it.</summary>
    private sealed class IntegerUnaryOperation(UnaryKind kind, CpuValue input, CpuValue output, ClampAttributes? clamp) : NumericKernel
    {
        public override void Run<T>(CpuRun run) =>
            UnaryKernel.RunInteger(kind, run.Span<T>(input), run.Span<T>(output), clamp?.MinValue ?? 0, clamp?.MaxValue ?? 0);
    }
}
