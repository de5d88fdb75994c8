using System.Runtime.InteropServices;
using WebNN.Cpu.Kernels;
using WebNN.Graph;

namespace WebNN.Cpu.Lowerings;

/// <summary>
/// Operators that move elements (reshape, transpose, concat, slice, split, pad, expand, gather) on every
/// data type, and cast. Each step runs its generic kernel on the unsigned integer of the element's size.
/// </summary>
internal static class DataMovementLowering
{
    private static readonly MLOperandDataType[] AllTypes = [.. MLOperandDataTypes.All];

    public static IEnumerable<KeyValuePair<string, CpuOperatorEntry>> Entries()
    {
        yield return Entry("reshape", (op, lowering) => new CopyStep(lowering.Value(op.Inputs[0].Operand), lowering.Value(op.Outputs[0])));
        yield return Entry("transpose", Transpose);
        yield return Entry("concat", Concat);
        yield return Entry("slice", Slice);
        yield return Entry("split", Split);
        yield return Entry("pad", Pad);
        yield return Entry("expand", Expand);
        yield return Entry("gather", Gather);
        yield return Entry("cast", Cast);
    }

    private static KeyValuePair<string, CpuOperatorEntry> Entry(string name, OperatorLowering lower) =>
        new(name, new CpuOperatorEntry(AllTypes, ComputeInFloat32: false, lower));

    private static CpuStep Transpose(MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Inputs[0].Operand);
        var output = lowering.Value(op.Outputs[0]);
        var permutation = op.AttributesAs<TransposeAttributes>().Permutation;
        return new TransposeMove(input, output, permutation).Step(input.DataType);
    }

    private static CpuStep Concat(MLOperator op, CpuLowering lowering)
    {
        var output = lowering.Value(op.Outputs[0]);
        int axis = op.AttributesAs<ConcatAttributes>().Axis;
        var inputs = op.Inputs.Select(i => lowering.Value(i.Operand)).ToArray();
        return new ConcatMove(inputs, axis, output).Step(output.DataType);
    }

    private static CpuStep Slice(MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Inputs[0].Operand);
        var output = lowering.Value(op.Outputs[0]);
        var attributes = op.AttributesAs<SliceAttributes>();
        return new SliceMove(input, attributes.Starts, attributes.Strides, output).Step(input.DataType);
    }

    /// <summary>split: one slice per output, each starting after the sizes before it.</summary>
    private static CpuStep Split(MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Inputs[0].Operand);
        var attributes = op.AttributesAs<SplitAttributes>();
        var ones = Enumerable.Repeat(1, input.Shape.Length).ToArray();
        var moves = new List<SliceMove>();
        int start = 0;
        for (int i = 0; i < op.Outputs.Count; i++)
        {
            var starts = new int[input.Shape.Length];
            starts[attributes.Axis] = start;
            moves.Add(new SliceMove(input, starts, ones, lowering.Value(op.Outputs[i])));
            start += attributes.Sizes[i];
        }
        return new Sequence(moves).Step(input.DataType);
    }

    private static CpuStep Pad(MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Inputs[0].Operand);
        var output = lowering.Value(op.Outputs[0]);
        var attributes = op.AttributesAs<PadAttributes>();
        var value = new byte[input.DataType.ByteSize()];
        attributes.Value.WriteAs(input.DataType, value);
        var mode = attributes.Mode switch
        {
            MLPaddingMode.Edge => PadKernelMode.Edge,
            MLPaddingMode.Reflection => PadKernelMode.Reflection,
            _ => PadKernelMode.Constant,
        };
        return new PadMove(input, attributes.BeginningPadding, mode, value, output).Step(input.DataType);
    }

    private static CpuStep Expand(MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Inputs[0].Operand);
        var output = lowering.Value(op.Outputs[0]);
        return new ExpandMove(input, output).Step(input.DataType);
    }

    private static CpuStep Gather(MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Input("input")!);
        var indices = lowering.Value(op.Input("indices")!);
        var output = lowering.Value(op.Outputs[0]);
        int axis = op.AttributesAs<AxisAttributes>().Axis;
        var widened = new long[indices.ElementCount];
        return new GatherMove(input, indices, axis, widened, output).Step(input.DataType);
    }

    private static CpuStep Cast(MLOperator op, CpuLowering lowering)
    {
        var input = lowering.Value(op.Inputs[0].Operand);
        var output = lowering.Value(op.Outputs[0]);
        return new DelegateStep(run => Kernels.Cast.Run(run.Bytes(input), input.DataType, run.Bytes(output), output.DataType));
    }

    /// <summary>Copies the bytes of a value unchanged (reshape).</summary>
    private sealed class CopyStep(CpuValue input, CpuValue output) : CpuStep
    {
        public override void Execute(CpuRun run) => run.Bytes(input).CopyTo(run.Bytes(output));
    }

    private sealed class Sequence(IReadOnlyList<ElementMove> moves) : ElementMove
    {
        public override void Execute<T>(CpuRun run)
        {
            foreach (var move in moves)
            {
                move.Execute<T>(run);
            }
        }
    }

    private sealed class TransposeMove(CpuValue input, CpuValue output, int[] permutation) : ElementMove
    {
        public override void Execute<T>(CpuRun run) => TransposeKernel.Run(run.Span<T>(input), input.Shape, permutation, run.Span<T>(output));
    }

    private sealed class ConcatMove(CpuValue[] inputs, int axis, CpuValue output) : ElementMove
    {
        public override void Execute<T>(CpuRun run)
        {
            int offset = 0;
            foreach (var input in inputs)
            {
                DataMovementKernels.ConcatPart(run.Span<T>(input), input.Shape, axis, offset, run.Span<T>(output), output.Shape);
                offset += input.Shape[axis];
            }
        }
    }

    private sealed class SliceMove(CpuValue input, int[] starts, int[] strides, CpuValue output) : ElementMove
    {
        public override void Execute<T>(CpuRun run) => DataMovementKernels.Slice(run.Span<T>(input), input.Shape, starts, strides, run.Span<T>(output), output.Shape);
    }

    private sealed class PadMove(CpuValue input, int[] beginning, PadKernelMode mode, byte[] value, CpuValue output) : ElementMove
    {
        public override void Execute<T>(CpuRun run) =>
            DataMovementKernels.Pad(run.Span<T>(input), input.Shape, beginning, mode, MemoryMarshal.Read<T>(value), run.Span<T>(output), output.Shape);
    }

    private sealed class ExpandMove(CpuValue input, CpuValue output) : ElementMove
    {
        private readonly BroadcastIndexer _broadcast = new(output.Shape, input.Shape);

        public override void Execute<T>(CpuRun run) => DataMovementKernels.Expand(run.Span<T>(input), run.Span<T>(output), _broadcast);
    }

    private sealed class GatherMove(CpuValue input, CpuValue indices, int axis, long[] widened, CpuValue output) : ElementMove
    {
        public override void Execute<T>(CpuRun run)
        {
            IndexValues.Widen(run, indices, widened);
            DataMovementKernels.Gather(run.Span<T>(input), input.Shape, axis, widened, run.Span<T>(output));
        }
    }
}
