using System.Numerics;

namespace WebNN.Cpu.Lowerings;

/// <summary>
/// A kernel that moves elements without reading their values, generic over the element; <see cref="Step"/>
/// instantiates it once, at lowering, on the unsigned integer of the data type's element size, so one
/// instantiation serves every data type of that size.
/// </summary>
internal abstract class ElementMove
{
    public abstract void Execute<T>(CpuRun run) where T : unmanaged;

    /// <summary>The step that runs this move on elements of <paramref name="dataType"/>.</summary>
    public CpuStep Step(MLOperandDataType dataType) => dataType.ByteSize() switch
    {
        1 => new Typed<byte>(this),
        2 => new Typed<ushort>(this),
        4 => new Typed<uint>(this),
        _ => new Typed<ulong>(this),
    };

    private sealed class Typed<T>(ElementMove move) : CpuStep where T : unmanaged
    {
        public override void Execute(CpuRun run) => move.Execute<T>(run);
    }
}

/// <summary>
/// A kernel generic over a numeric element type; <see cref="Step"/> instantiates it once, at lowering,
/// for the data type it is given. float16 never arrives: operators registered with
/// <see cref="CpuOperatorEntry.ComputeInFloat32"/> see float16 values as float32 copies.
/// </summary>
internal abstract class NumericKernel
{
    public abstract void Run<T>(CpuRun run) where T : unmanaged, INumber<T>, IMinMaxValue<T>;

    /// <summary>The step that runs this kernel on elements of <paramref name="dataType"/>.</summary>
    public CpuStep Step(MLOperandDataType dataType) => dataType switch
    {
        MLOperandDataType.Float32 => new Typed<float>(this),
        MLOperandDataType.Int32 => new Typed<int>(this),
        MLOperandDataType.Uint32 => new Typed<uint>(this),
        MLOperandDataType.Int64 => new Typed<long>(this),
        MLOperandDataType.Uint64 => new Typed<ulong>(this),
        MLOperandDataType.Int8 => new Typed<sbyte>(this),
        MLOperandDataType.Uint8 => new Typed<byte>(this),
        _ => throw new InvalidOperationException($"No numeric kernel runs on {dataType.SpecName()}; float16 is computed in float32."),
    };

    private sealed class Typed<T>(NumericKernel kernel) : CpuStep where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        public override void Execute(CpuRun run) => kernel.Run<T>(run);
    }
}
