using System.Numerics;

namespace WebNN.Cpu.Kernels;

/// <summary>
/// quantizeLinear and dequantizeLinear on float32 values and an integer quantized type, with scale and
/// zero point blockwise broadcast: each of their elements covers a block of input/scale elements along every dimension.
/// </summary>
internal static class Quantization
{
    /// <summary>output = saturate(roundEven(input / scale) + zeroPoint), in the zero point's type.</summary>
    public static void Quantize<TQuantized>(ReadOnlySpan<float> input, int[] shape, ReadOnlySpan<float> scale, ReadOnlySpan<TQuantized> zeroPoint, int[] scaleShape, Span<TQuantized> output)
        where TQuantized : INumber<TQuantized>
    {
        var blocks = new BlockwiseIndexer(shape, scaleShape);
        for (int i = 0; i < input.Length; i++)
        {
            int p = blocks.Next();
            // Rounded before the zero point is added: with halves to even, 2.5 + (−1) is 1, not round(1.5) = 2.
            double rounded = Math.Round((double)(input[i] / scale[p]), MidpointRounding.ToEven);
            output[i] = NumericConversion.Narrow<TQuantized>(rounded + double.CreateTruncating(zeroPoint[p]));
        }
    }

    /// <summary>output = (input − zeroPoint) · scale, in float32.</summary>
    public static void Dequantize<TQuantized>(ReadOnlySpan<TQuantized> input, int[] shape, ReadOnlySpan<float> scale, ReadOnlySpan<TQuantized> zeroPoint, int[] scaleShape, Span<float> output)
        where TQuantized : INumber<TQuantized>
    {
        var blocks = new BlockwiseIndexer(shape, scaleShape);
        for (int i = 0; i < input.Length; i++)
        {
            int p = blocks.Next();
            output[i] = (float)((double.CreateTruncating(input[i]) - double.CreateTruncating(zeroPoint[p])) * scale[p]);
        }
    }

    /// <summary>Walks a shape in order, giving for each element the offset of the element of a blockwise-broadcast smaller tensor that covers it.</summary>
    private sealed class BlockwiseIndexer
    {
        private readonly int[] _shape;
        private readonly int[] _blockSizes;
        private readonly int[] _smallStrides;
        private readonly int[] _index;
        private bool _started;

        public BlockwiseIndexer(int[] shape, int[] smallShape)
        {
            _shape = shape;
            _blockSizes = new int[shape.Length];
            for (int d = 0; d < shape.Length; d++)
            {
                _blockSizes[d] = shape[d] / smallShape[d];
            }
            _smallStrides = Shapes.Strides(smallShape);
            _index = new int[shape.Length];
        }

        /// <summary>The covering offset of the next element.</summary>
        public int Next()
        {
            if (_started)
            {
                DataMovementKernels.Increment(_index, _shape);
            }
            _started = true;
            int offset = 0;
            for (int d = 0; d < _shape.Length; d++)
            {
                offset += _index[d] / _blockSizes[d] * _smallStrides[d];
            }
            return offset;
        }
    }
}
