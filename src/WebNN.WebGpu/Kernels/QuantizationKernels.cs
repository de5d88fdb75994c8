using WebNN.Graph;

namespace WebNN.WebGpu.Kernels;

/// <summary>
/// quantizeLinear and dequantizeLinear between float32 or float16 (held as f32) and int32, uint32, int8 or uint8
/// (the 8-bit types held as i32 and u32, see <see cref="HeldDataTypes"/>), with scale and
/// zero point blockwise broadcast, by the CPU's formulas (WebNN.Cpu.Kernels.Quantization). Quantize rounds
/// input / scale half to even, adds the zero point exactly (in 16-bit halves) and saturates, a
/// NaN giving 0. Dequantize forms input − zeroPoint exactly and rounds it to f32, then multiplies by the scale: the
/// CPU rounds the product once in double, so the two agree exactly while |input − zeroPoint| ≤ 2^24 and within an
/// ulp beyond.
/// </summary>
internal static class QuantizationKernels
{
    private const int MaxRank = WebGpuOperators.MaxRank;

    /// <summary>The float side and the quantized side; the spec's tables pair them by argument.</summary>
    private static readonly MLOperandDataType[] DataTypes =
        [MLOperandDataType.Float32, MLOperandDataType.Float16, MLOperandDataType.Int32, MLOperandDataType.Uint32, MLOperandDataType.Int8, MLOperandDataType.Uint8];

    public static IEnumerable<KeyValuePair<string, GpuOperator>> Operators()
    {
        yield return new("quantizeLinear", GpuOperator.Single(DataTypes, (op, b) => Quantization(op, b, QuantizeWgsl)));
        yield return new("dequantizeLinear", GpuOperator.Single(DataTypes, (op, b) => Quantization(op, b, DequantizeWgsl)));
    }

    /// <summary>
    /// Parameters: [count, rank, signed (the quantized type's), its least value, its greatest value, shape[8],
    /// blockSizes[8] (input elements per scale element along each axis), scaleStrides[8]].
    /// </summary>
    private static GpuKernel Quantization(MLOperator op, KernelBuilder b, string wgsl)
    {
        var input = b.Value(op.Input("input")!);
        var scale = b.Value(op.Input("scale")!);
        var zeroPoint = b.Value(op.Input("zeroPoint")!);
        var output = b.Value(op.Outputs[0]);
        var (signed, least, greatest) = zeroPoint.DataType switch
        {
            MLOperandDataType.Int32 => (true, unchecked((uint)int.MinValue), (uint)int.MaxValue),
            MLOperandDataType.Int8 => (true, unchecked((uint)sbyte.MinValue), (uint)sbyte.MaxValue),
            MLOperandDataType.Uint8 => (false, (uint)byte.MinValue, (uint)byte.MaxValue),
            _ => (false, uint.MinValue, uint.MaxValue),
        };
        var scaleStrides = Shapes.Strides(scale.Shape);
        var parameters = new uint[5 + 3 * MaxRank];
        (parameters[0], parameters[1], parameters[2], parameters[3], parameters[4]) =
            ((uint)input.ElementCount, (uint)input.Shape.Length, signed ? 1u : 0u, least, greatest);
        for (int d = 0; d < input.Shape.Length; d++)
        {
            parameters[5 + d] = (uint)input.Shape[d];
            parameters[5 + MaxRank + d] = (uint)(input.Shape[d] / scale.Shape[d]);
            parameters[5 + 2 * MaxRank + d] = (uint)scaleStrides[d];
        }
        return b.Kernel(op.Name, wgsl, parameters, [input, scale, zeroPoint, output], input.ElementCount);
    }

    private const string Functions = WgslKernels.Header + WgslKernels.Float16Functions + """
        @group(0) @binding(2) var<storage, read> scale: array<f32>;
        @group(0) @binding(3) var<storage, read> zeroPoint: array<u32>;

        // The offset of the scale and zero point element whose block holds input element i.
        fn block_offset(i: u32) -> u32 {
            var rest = i;
            var offset = 0u;
            for (var d = i32(p[1]) - 1; d >= 0; d--) {
                let k = u32(d);
                let coordinate = rest % p[5u + k];
                rest = rest / p[5u + k];
                offset += coordinate / p[13u + k] * p[21u + k];
            }
            return offset;
        }

        // A quantized word as (high, low) 16-bit halves, value = high·65536 + low with low in [0, 65536).
        fn halves(word: u32) -> vec2<i32> {
            if (p[2] == 1u) { return vec2<i32>(bitcast<i32>(word) >> 16u, i32(word & 0xffffu)); }
            return vec2<i32>(i32(word >> 16u), i32(word & 0xffffu));
        }

        """;

    private const string QuantizeWgsl = Functions + """
        @group(0) @binding(1) var<storage, read> x: array<f32>;
        @group(0) @binding(4) var<storage, read_write> y: array<u32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let i = invocation(g, n);
            if (i >= p[0]) { return; }
            let b = block_offset(i);
            // round() is half to even. A NaN quantizes to 0 whatever the zero point, as the CPU's saturating conversion has it.
            let rounded = round(x[i] / scale[b]);
            if (is_nan(rounded)) {
                y[i] = 0u;
                return;
            }
            // Clamped to ±2^33, every saturation stays (the zero point has 32 bits) and the halves are exact.
            let r = clamp(rounded, -8589934592.0, 8589934592.0);
            let high = floor(r / 65536.0);
            let z = halves(zeroPoint[b]);
            var h = i32(high) + z.x;
            var l = i32(r - high * 65536.0) + z.y;
            h += l >> 16u;
            l = l & 0xffff;
            if (p[2] == 1u) {
                var v = 0;
                if (h > 32767) { v = 2147483647; } else if (h < -32768) { v = i32(-2147483648); } else { v = h * 65536 + l; }
                y[i] = bitcast<u32>(clamp(v, bitcast<i32>(p[3]), bitcast<i32>(p[4])));
            } else {
                var v = 0u;
                if (h > 65535) { v = 0xffffffffu; } else if (h >= 0) { v = (u32(h) << 16u) | u32(l); }
                y[i] = clamp(v, p[3], p[4]);
            }
        }
        """;

    private const string DequantizeWgsl = Functions + """
        @group(0) @binding(1) var<storage, read> x: array<u32>;
        @group(0) @binding(4) var<storage, read_write> y: array<f32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let i = invocation(g, n);
            if (i >= p[0]) { return; }
            let b = block_offset(i);
            let difference = halves(x[i]) - halves(zeroPoint[b]);
            // Both products and the sum's operands are exact: one rounding, to the f32 nearest input − zeroPoint.
            y[i] = (f32(difference.x) * 65536.0 + f32(difference.y)) * scale[b];
        }
        """;
}
