namespace WebNN.Cpu.Kernels;

/// <summary>
/// Walks the rows of an output shape (all dimensions but the last) and gives, for each row, where the
/// row starts in each broadcast input (stride 0 on broadcast dimensions).
/// </summary>
internal readonly struct BroadcastIndexer
{
    private readonly int[] _outputShape;
    private readonly int[][] _strides;

    public BroadcastIndexer(ReadOnlySpan<int> outputShape, params ReadOnlySpan<int[]> inputShapes)
    {
        _outputShape = outputShape.ToArray();
        _strides = new int[inputShapes.Length][];
        for (int i = 0; i < inputShapes.Length; i++)
        {
            _strides[i] = BroadcastStrides(inputShapes[i], outputShape);
        }
    }

    /// <summary>The length of a row: the output's last dimension (1 for a scalar).</summary>
    public int RowLength => _outputShape.Length == 0 ? 1 : _outputShape[^1];

    /// <summary>How many rows the output has.</summary>
    public int RowCount => (int)(Shapes.ElementCount(_outputShape) / RowLength);

    /// <summary>The stride of input <paramref name="input"/> along the last dimension (0 when broadcast, else 1).</summary>
    public int InnerStride(int input) => _strides[input].Length == 0 ? 0 : _strides[input][^1];

    /// <summary>Writes into <paramref name="offsets"/> the start of row <paramref name="row"/> in each input.</summary>
    public void RowOffsets(int row, Span<int> offsets)
    {
        offsets.Clear();
        int remaining = row;
        for (int dimension = _outputShape.Length - 2; dimension >= 0; dimension--)
        {
            int size = _outputShape[dimension];
            int index = remaining % size;
            remaining /= size;
            for (int input = 0; input < _strides.Length; input++)
            {
                offsets[input] += index * _strides[input][dimension];
            }
        }
    }

    /// <summary>Strides of <paramref name="shape"/> aligned right to <paramref name="outputShape"/>, 0 where broadcast.</summary>
    public static int[] BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> outputShape)
    {
        var strides = new int[outputShape.Length];
        int stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            int outputDimension = outputShape.Length - shape.Length + i;
            strides[outputDimension] = shape[i] == 1 ? 0 : stride;
            stride *= shape[i];
        }
        return strides;
    }
}
