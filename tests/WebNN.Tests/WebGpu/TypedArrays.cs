namespace WebNN.Tests.WebGpu;

/// <summary>Outputs of any data type, as the arrays a context returns: built from exact values and compared element for element.</summary>
internal static class TypedArrays
{
    /// <summary>An array of <paramref name="type"/>'s element holding <paramref name="values"/> (each exact in the type).</summary>
    public static Array Typed(MLOperandDataType type, IEnumerable<double> values) => type switch
    {
        MLOperandDataType.Float32 => values.Select(v => (float)v).ToArray(),
        MLOperandDataType.Float16 => values.Select(v => (Half)v).ToArray(),
        MLOperandDataType.Int32 => values.Select(v => (int)v).ToArray(),
        MLOperandDataType.Uint32 => values.Select(v => (uint)v).ToArray(),
        MLOperandDataType.Int8 => values.Select(v => (sbyte)v).ToArray(),
        MLOperandDataType.Uint8 => values.Select(v => (byte)v).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The same outputs: types, lengths and every element (NaN equal to NaN).</summary>
    public static void AssertIdentical(Array[] cpu, Array[] gpu)
    {
        Assert.Equal(cpu.Length, gpu.Length);
        for (int i = 0; i < cpu.Length; i++)
        {
            Assert.Equal(cpu[i].GetType(), gpu[i].GetType());
            Assert.Equal(cpu[i].Cast<object>(), gpu[i].Cast<object>());
        }
    }
}
