namespace WebNN.Validation;

/// <summary>The spec's broadcasting algorithms (§ Broadcasting), on shapes.</summary>
public static class Broadcasting
{
    /// <summary>Spec "unidirectionally broadcast the shapes": <paramref name="from"/> stretched to <paramref name="to"/>, or null on failure.</summary>
    public static int[]? Unidirectional(ReadOnlySpan<int> from, ReadOnlySpan<int> to)
    {
        if (from.Length > to.Length)
        {
            return null;
        }
        int offset = to.Length - from.Length;
        for (int i = 0; i < to.Length; i++)
        {
            int dimFrom = i < offset ? 1 : from[i - offset];
            if (dimFrom != to[i] && dimFrom != 1)
            {
                return null;
            }
        }
        return to.ToArray();
    }

    /// <summary>Spec "bidirectionally broadcast the shapes", or null on failure.</summary>
    public static int[]? Bidirectional(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var output = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int dimA = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int dimB = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (dimA != dimB && dimA != 1 && dimB != 1)
            {
                return null;
            }
            output[i] = Math.Max(dimA, dimB);
        }
        return output;
    }

    /// <summary>Spec "blockwise broadcastable": same rank, and every dimension of <paramref name="from"/> divides the one of <paramref name="to"/>.</summary>
    public static bool IsBlockwiseBroadcastable(ReadOnlySpan<int> from, ReadOnlySpan<int> to)
    {
        if (from.Length != to.Length)
        {
            return false;
        }
        for (int i = 0; i < to.Length; i++)
        {
            if (to[i] % from[i] != 0)
            {
                return false;
            }
        }
        return true;
    }
}
