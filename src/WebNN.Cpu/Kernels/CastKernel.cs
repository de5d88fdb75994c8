using System.Buffers.Binary;

namespace WebNN.Cpu.Kernels;

/// <summary>Casts elements between any two data types per the spec's casting (see <see cref="Casting"/>).</summary>
internal static class CastKernel
{
    public static void Run(ReadOnlySpan<byte> input, MLOperandDataType from, Span<byte> output, MLOperandDataType to)
    {
        int inputSize = from.ByteSize(), outputSize = to.ByteSize();
        int count = input.Length / inputSize;
        bool integerSource = !from.IsFloatingPoint(), integerTarget = !to.IsFloatingPoint();
        for (int i = 0; i < count; i++)
        {
            var source = input.Slice(i * inputSize, inputSize);
            var target = output.Slice(i * outputSize, outputSize);
            if (integerSource && integerTarget)
            {
                WriteInteger(Casting.ClampInteger(ReadInteger(source, from), to), to, target);
            }
            else
            {
                double value = integerSource ? (double)ReadInteger(source, from) : ReadFloat(source, from);
                WriteCast(value, to, target);
            }
        }
    }

    private static Int128 ReadInteger(ReadOnlySpan<byte> bytes, MLOperandDataType type) => type switch
    {
        MLOperandDataType.Int8 => (sbyte)bytes[0],
        MLOperandDataType.Uint8 => bytes[0],
        MLOperandDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(bytes),
        MLOperandDataType.Uint32 => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
        MLOperandDataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(bytes),
        _ => BinaryPrimitives.ReadUInt64LittleEndian(bytes),
    };

    private static double ReadFloat(ReadOnlySpan<byte> bytes, MLOperandDataType type) =>
        type == MLOperandDataType.Float32 ? BinaryPrimitives.ReadSingleLittleEndian(bytes) : (double)BinaryPrimitives.ReadHalfLittleEndian(bytes);

    private static void WriteInteger(Int128 value, MLOperandDataType type, Span<byte> bytes)
    {
        switch (type)
        {
            case MLOperandDataType.Int8: bytes[0] = (byte)(sbyte)value; break;
            case MLOperandDataType.Uint8: bytes[0] = (byte)value; break;
            case MLOperandDataType.Int32: BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value); break;
            case MLOperandDataType.Uint32: BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)value); break;
            case MLOperandDataType.Int64: BinaryPrimitives.WriteInt64LittleEndian(bytes, (long)value); break;
            default: BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)value); break;
        }
    }

    private static void WriteCast(double value, MLOperandDataType type, Span<byte> bytes)
    {
        switch (type)
        {
            case MLOperandDataType.Float32: BinaryPrimitives.WriteSingleLittleEndian(bytes, (float)value); break;
            case MLOperandDataType.Float16: BinaryPrimitives.WriteHalfLittleEndian(bytes, (Half)value); break;
            case MLOperandDataType.Int64: BinaryPrimitives.WriteInt64LittleEndian(bytes, Casting.ToInt64(value)); break;
            case MLOperandDataType.Uint64: BinaryPrimitives.WriteUInt64LittleEndian(bytes, Casting.ToUInt64(value)); break;
            default: WriteInteger((Int128)Casting.CastToDouble(value, type), type, bytes); break;
        }
    }
}
