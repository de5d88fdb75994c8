using System.Numerics;

namespace WebNN.Cpu.Lowerings;

/// <summary>Reads an indices operand (int32, uint32 or int64, the types the spec allows for indices) as int64.</summary>
internal static class IndexValues
{
    public static void Widen(CpuRun run, CpuValue indices, Span<long> widened)
    {
        switch (indices.DataType)
        {
            case MLOperandDataType.Int32: Widen(run.Span<int>(indices), widened); break;
            case MLOperandDataType.Uint32: Widen(run.Span<uint>(indices), widened); break;
            default: run.Span<long>(indices).CopyTo(widened); break;
        }
    }

    private static void Widen<TIndex>(ReadOnlySpan<TIndex> indices, Span<long> widened) where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        for (int i = 0; i < indices.Length; i++)
        {
            widened[i] = long.CreateTruncating(indices[i]);
        }
    }
}
