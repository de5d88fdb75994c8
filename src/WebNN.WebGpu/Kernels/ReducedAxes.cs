namespace WebNN.WebGpu.Kernels;

/// <summary>
/// A tensor split into the axes a kernel keeps and the axes it reduces over, as the first 36 parameter
/// words of the reductions and of instance and layer normalization: [keptCount, reducedCount, keptRank, reducedRank,
/// keptShape[8], keptStrides[8], reducedShape[8], reducedStrides[8]] (strides in input elements). Kept
/// axes are in input order, so kept index o is also the output index of a reduction; reduced axes are in
/// the order given, so reduced index j is also the index into layerNormalization's scale and bias.
/// </summary>
internal static class ReducedAxes
{
    /// <summary>The number of parameter words the split takes; a kernel's own words start at p[36].</summary>
    private const int WordCount = 36;

    /// <summary>The WGSL that turns a kept index or a reduced index into an input offset.</summary>
    public const string Wgsl = """
        fn kept_offset(o: u32) -> u32 { return strided_offset(o, p[2], 4u, 12u); }

        fn reduced_offset(j: u32) -> u32 { return strided_offset(j, p[3], 20u, 28u); }

        """;

    /// <summary>The parameter words of <paramref name="shape"/> split by <paramref name="axes"/>, followed by the kernel's own <paramref name="extra"/> words.</summary>
    public static uint[] Parameters(int[] shape, int[] axes, ReadOnlySpan<uint> extra)
    {
        var words = new uint[WordCount + extra.Length];
        extra.CopyTo(words.AsSpan(WordCount));
        var strides = Shapes.Strides(shape);
        uint kept = 0;
        uint keptCount = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            if (Array.IndexOf(axes, d) < 0)
            {
                words[4 + kept] = (uint)shape[d];
                words[12 + kept] = (uint)strides[d];
                keptCount *= (uint)shape[d];
                kept++;
            }
        }
        uint reducedCount = 1;
        for (int r = 0; r < axes.Length; r++)
        {
            words[20 + r] = (uint)shape[axes[r]];
            words[28 + r] = (uint)strides[axes[r]];
            reducedCount *= (uint)shape[axes[r]];
        }
        (words[0], words[1], words[2], words[3]) = (keptCount, reducedCount, kept, (uint)axes.Length);
        return words;
    }
}
