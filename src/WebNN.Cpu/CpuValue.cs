using System.Runtime.InteropServices;

namespace WebNN.Cpu;

/// <summary>Where a value of the compiled graph lives during a run: a slot of <see cref="CpuRun"/>, with its type and shape.</summary>
internal readonly record struct CpuValue(int Slot, MLOperandDataType DataType, int[] Shape)
{
    public int ElementCount => (int)Shapes.ElementCount(Shape);

    public int ByteLength => ElementCount * DataType.ByteSize();
}

/// <summary>The buffers of one run: graph inputs and outputs bound to the caller's tensors, constants and intermediates owned by the graph.</summary>
internal sealed class CpuRun(Memory<byte>[] slots)
{
    public Span<byte> Bytes(CpuValue value) => slots[value.Slot].Span[..value.ByteLength];

    public Span<T> Span<T>(CpuValue value) where T : unmanaged => MemoryMarshal.Cast<byte, T>(Bytes(value));

    public Span<float> Floats(CpuValue value) => Span<float>(value);

    /// <summary>The floats of an optional operand; empty when it was not given.</summary>
    public Span<float> OptionalFloats(CpuValue? value) => value is { } present ? Floats(present) : [];

}

/// <summary>One step of a compiled graph: runs one kernel (or a conversion) on values of a <see cref="CpuRun"/>.</summary>
internal abstract class CpuStep
{
    public abstract void Execute(CpuRun run);
}

/// <summary>A step made of a delegate, for kernels whose call needs no state beyond its captured arguments.</summary>
internal sealed class DelegateStep(Action<CpuRun> execute) : CpuStep
{
    public override void Execute(CpuRun run) => execute(run);
}
