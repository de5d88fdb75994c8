using WebNN.Cpu.Kernels;
using WebNN.Graph;

namespace WebNN.Cpu.Lowerings;

/// <summary>
/// The element-wise logical operations (comparisons on every numeric type, and/or/xor/not on uint8,
/// isNaN and isInfinite) with uint8 results of 0 or 1, and where, which selects on such a condition.
/// </summary>
internal static class LogicalLowering
{
    private static readonly MLOperandDataType[] AllTypes = [.. MLOperandDataTypes.All];

    private static readonly MLOperandDataType[] Uint8 = [MLOperandDataType.Uint8];

    private enum Comparison { Equal, NotEqual, Greater, GreaterOrEqual, Lesser, LesserOrEqual }

    public static IEnumerable<KeyValuePair<string, CpuOperatorEntry>> Entries()
    {
        foreach (var (name, comparison) in new[]
        {
            ("equal", Comparison.Equal), ("notEqual", Comparison.NotEqual), ("greater", Comparison.Greater),
            ("greaterOrEqual", Comparison.GreaterOrEqual), ("lesser", Comparison.Lesser), ("lesserOrEqual", Comparison.LesserOrEqual),
        })
        {
            yield return new(name, new CpuOperatorEntry(AllTypes, ComputeInFloat32: true, (op, lowering) => Compare(comparison, op, lowering)));
        }
        yield return new("logicalAnd", new CpuOperatorEntry(Uint8, ComputeInFloat32: false, Binary<LogicalAndFunction>));
        yield return new("logicalOr", new CpuOperatorEntry(Uint8, ComputeInFloat32: false, Binary<LogicalOrFunction>));
        yield return new("logicalXor", new CpuOperatorEntry(Uint8, ComputeInFloat32: false, Binary<LogicalXorFunction>));
        yield return new("logicalNot", new CpuOperatorEntry(Uint8, ComputeInFloat32: false, Unary<byte, LogicalNotFunction>));
        yield return new("isNaN", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, Unary<float, IsNaNFunction>));
        yield return new("isInfinite", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, Unary<float, IsInfiniteFunction>));
        yield return new("where", new CpuOperatorEntry(AllTypes, ComputeInFloat32: false, Where));
    }

    private static CpuStep Compare(Comparison comparison, MLOperator op, CpuLowering lowering)
    {
        var a = lowering.Value(op.Inputs[0].Operand);
        var b = lowering.Value(op.Inputs[1].Operand);
        return new ComparisonKernel(comparison, a, b, lowering.Value(op.Outputs[0])).Step(a.DataType);
    }

    private static CpuStep Binary<TFunction>(MLOperator op, CpuLowering lowering) where TFunction : IBinaryFunction<byte, byte>
    {
        var a = lowering.Value(op.Inputs[0].Operand);
        var b = lowering.Value(op.Inputs[1].Operand);
        var output = lowering.Value(op.Outputs[0]);
        var broadcast = new BroadcastIndexer(output.Shape, a.Shape, b.Shape);
        return new DelegateStep(run => BroadcastLoop.Binary<byte, byte, TFunction>(run.Span<byte>(a), run.Span<byte>(b), run.Span<byte>(output), broadcast));
    }

    private static CpuStep Unary<T, TFunction>(MLOperator op, CpuLowering lowering) where T : unmanaged where TFunction : IUnaryFunction<T, byte>
    {
        var input = lowering.Value(op.Inputs[0].Operand);
        var output = lowering.Value(op.Outputs[0]);
        return new DelegateStep(run => BroadcastLoop.Unary<T, byte, TFunction>(run.Span<T>(input), run.Span<byte>(output)));
    }

    private static CpuStep Where(MLOperator op, CpuLowering lowering)
    {
        var condition = lowering.Value(op.Input("condition")!);
        var whenTrue = lowering.Value(op.Input("trueValue")!);
        var whenFalse = lowering.Value(op.Input("falseValue")!);
        var output = lowering.Value(op.Outputs[0]);
        return new WhereMove(condition, whenTrue, whenFalse, output).Step(output.DataType);
    }

    private sealed class ComparisonKernel(Comparison comparison, CpuValue a, CpuValue b, CpuValue output) : NumericKernel
    {
        private readonly BroadcastIndexer _broadcast = new(output.Shape, a.Shape, b.Shape);

        public override void Run<T>(CpuRun run)
        {
            ReadOnlySpan<T> x = run.Span<T>(a), y = run.Span<T>(b);
            var result = run.Span<byte>(output);
            switch (comparison)
            {
                case Comparison.Equal: BroadcastLoop.Binary<T, byte, EqualFunction<T>>(x, y, result, _broadcast); break;
                case Comparison.NotEqual: BroadcastLoop.Binary<T, byte, NotEqualFunction<T>>(x, y, result, _broadcast); break;
                case Comparison.Greater: BroadcastLoop.Binary<T, byte, GreaterFunction<T>>(x, y, result, _broadcast); break;
                case Comparison.GreaterOrEqual: BroadcastLoop.Binary<T, byte, GreaterOrEqualFunction<T>>(x, y, result, _broadcast); break;
                case Comparison.Lesser: BroadcastLoop.Binary<T, byte, LesserFunction<T>>(x, y, result, _broadcast); break;
                default: BroadcastLoop.Binary<T, byte, LesserOrEqualFunction<T>>(x, y, result, _broadcast); break;
            }
        }
    }

    private sealed class WhereMove(CpuValue condition, CpuValue whenTrue, CpuValue whenFalse, CpuValue output) : ElementMove
    {
        private readonly BroadcastIndexer _broadcast = new(output.Shape, condition.Shape, whenTrue.Shape, whenFalse.Shape);

        public override void Execute<T>(CpuRun run) =>
            BroadcastLoop.Select(run.Span<byte>(condition), run.Span<T>(whenTrue), run.Span<T>(whenFalse), run.Span<T>(output), _broadcast);
    }
}
