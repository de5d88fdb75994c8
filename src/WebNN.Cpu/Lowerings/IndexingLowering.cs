using WebNN.Cpu.Kernels;
using WebNN.Graph;

namespace WebNN.Cpu.Lowerings;

/// <summary>gatherElements, gatherND, scatterElements, scatterND, reverse, tile and triangular on every data type.</summary>
internal static class IndexingLowering
{
    private static readonly MLOperandDataType[] AllTypes = [.. MLOperandDataTypes.All];

    public static IEnumerable<KeyValuePair<string, CpuOperatorEntry>> Entries()
    {
        yield return Entry("gatherElements", GatherElements);
        yield return Entry("gatherND", GatherND);
        yield return Entry("scatterElements", ScatterElements);
        yield return Entry("scatterND", ScatterND);
        yield return Entry("reverse", Reverse);
        yield return Entry("tile", Tile);
        yield return Entry("triangular", Triangular);
    }

    private static KeyValuePair<string, CpuOperatorEntry> Entry(string name, OperatorLowering lower) =>
        new(name, new CpuOperatorEntry(AllTypes, ComputeInFloat32: false, lower));

    private static CpuStep GatherElements(MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Input("input")!);
        var indices = lowering.Value(op.Input("indices")!);
        int axis = op.AttributesAs<AxisAttributes>().Axis;
        return new ElementsMove(input, indices, null, axis, lowering.Value(op.Outputs[0])).Step(input.DataType);
    }

    private static CpuStep ScatterElements(MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Input("input")!);
        var indices = lowering.Value(op.Input("indices")!);
        var updates = lowering.Value(op.Input("updates")!);
        int axis = op.AttributesAs<AxisAttributes>().Axis;
        return new ElementsMove(input, indices, updates, axis, lowering.Value(op.Outputs[0])).Step(input.DataType);
    }

    private static CpuStep GatherND(MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Input("input")!);
        var indices = lowering.Value(op.Input("indices")!);
        return new NDMove(input, indices, null, lowering.Value(op.Outputs[0])).Step(input.DataType);
    }

    private static CpuStep ScatterND(MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Input("input")!);
        var indices = lowering.Value(op.Input("indices")!);
        var updates = lowering.Value(op.Input("updates")!);
        return new NDMove(input, indices, updates, lowering.Value(op.Outputs[0])).Step(input.DataType);
    }

    private static CpuStep Reverse(MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Inputs[0].Operand);
        var axes = op.AttributesAs<ReverseAttributes>().Axes;
        return new ReverseMove(input, axes, lowering.Value(op.Outputs[0])).Step(input.DataType);
    }

    private static CpuStep Tile(MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Inputs[0].Operand);
        return new TileMove(input, lowering.Value(op.Outputs[0])).Step(input.DataType);
    }

    private static CpuStep Triangular(MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Inputs[0].Operand);
        var attributes = op.AttributesAs<TriangularAttributes>();
        return new TriangularMove(input, attributes.Upper, attributes.Diagonal, lowering.Value(op.Outputs[0])).Step(input.DataType);
    }

    /// <summary>gatherElements (no updates) or scatterElements.</summary>
    private sealed class ElementsMove(CpuValue input, CpuValue indices, CpuValue? updates, int axis, CpuValue output) : ElementMove
    {
        private readonly long[] _widened = new long[indices.ElementCount];

        public override void Execute<T>(CpuRun run)
        {
            IndexValues.Widen(run, indices, _widened);
            if (updates is { } values)
            {
                IndexingKernels.ScatterElements(run.Span<T>(input), input.Shape, axis, _widened, indices.Shape, run.Span<T>(values), run.Span<T>(output));
            }
            else
            {
                IndexingKernels.GatherElements(run.Span<T>(input), input.Shape, axis, _widened, indices.Shape, run.Span<T>(output));
            }
        }
    }

    /// <summary>gatherND (no updates) or scatterND.</summary>
    private sealed class NDMove(CpuValue input, CpuValue indices, CpuValue? updates, CpuValue output) : ElementMove
    {
        private readonly long[] _widened = new long[indices.ElementCount];

        public override void Execute<T>(CpuRun run)
        {
            IndexValues.Widen(run, indices, _widened);
            int coordinateLength = indices.Shape[^1];
            if (updates is { } values)
            {
                IndexingKernels.ScatterND(run.Span<T>(input), input.Shape, _widened, coordinateLength, run.Span<T>(values), run.Span<T>(output));
            }
            else
            {
                IndexingKernels.GatherND(run.Span<T>(input), input.Shape, _widened, coordinateLength, run.Span<T>(output));
            }
        }
    }

    private sealed class ReverseMove(CpuValue input, int[] axes, CpuValue output) : ElementMove
    {
        public override void Execute<T>(CpuRun run) => IndexingKernels.Reverse(run.Span<T>(input), input.Shape, axes, run.Span<T>(output));
    }

    private sealed class TileMove(CpuValue input, CpuValue output) : ElementMove
    {
        public override void Execute<T>(CpuRun run) => IndexingKernels.Tile(run.Span<T>(input), input.Shape, run.Span<T>(output), output.Shape);
    }

    private sealed class TriangularMove(CpuValue input, bool upper, int diagonal, CpuValue output) : ElementMove
    {
        public override void Execute<T>(CpuRun run) => IndexingKernels.Triangular(run.Span<T>(input), input.Shape, upper, diagonal, run.Span<T>(output));
    }
}
