namespace WebNN;

/// <summary>Arithmetic on shapes shared by the frontend and every backend.</summary>
public static class Shapes
{
    /// <summary>The product of the dimensions (1 for a scalar).</summary>
    public static long ElementCount(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (int dimension in shape)
        {
            count *= dimension;
        }
        return count;
    }

    /// <summary>Row-major strides, in elements, of <paramref name="shape"/>.</summary>
    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= shape[i];
        }
        return strides;
    }

    /// <summary>The shape written as in messages: <c>[1, 100, 100, 3]</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
