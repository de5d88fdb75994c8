using WebNN.Graph;

namespace WebNN.WebGpu.Kernels;

/// <summary>
/// cast between float32, float16 (held as f32), int32, uint32, int8 (held as i32) and uint8 (held as u32), by the CPU's
/// table (WebNN.Cpu.Kernels.Cast):
/// float → float16: nearest half, ties to even, ±Infinity beyond its range, subnormal halves kept, NaN stays NaN;
/// float → integer: NaN → 0, truncated toward zero, saturated to the type's range; integer → float: <c>f32(v)</c>,
/// which Vulkan rounds to nearest like the CPU (WGSL itself lets either neighbour be chosen above 2^24);
/// integer → integer: the low bits, two's complement (int8 and uint8 are held sign- and zero-extended). WGSL's own float → integer conversion saturates too, but its
/// NaN result is not specified, so the kernel tests for NaN first; and <c>quantizeToF16</c> is not used: WGSL leaves
/// it indeterminate beyond float16's range and lets it flush subnormals to zero.
/// </summary>
internal static class CastKernels
{
    public static IEnumerable<KeyValuePair<string, GpuOperator>> Operators()
    {
        yield return new("cast", GpuOperator.Single(HeldDataTypes.All, Cast));
    }

    private static GpuKernel Cast(MLOperator op, KernelBuilder b)
    {
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        return b.Kernel("cast", Wgsl(input.DataType, output.DataType), [(uint)output.ElementCount], [input, output], output.ElementCount);
    }

    /// <summary>The WGSL of a cast from <paramref name="from"/> to <paramref name="to"/>, over 32-bit words. Parameters: [count].</summary>
    private static string Wgsl(MLOperandDataType from, MLOperandDataType to)
    {
        string read = $"bitcast<{HeldDataTypes.Scalar(from)}>(x[i])";
        string convert = (from.IsFloatingPoint(), to) switch
        {
            _ when from == to => "v",
            (_, MLOperandDataType.Float32) => "f32(v)",
            (_, MLOperandDataType.Float16) => "round_to_f16(f32(v))",
            (true, MLOperandDataType.Int32) => "float_to_i32(v)",
            (true, MLOperandDataType.Uint32) => "float_to_u32(v)",
            (true, MLOperandDataType.Int8) => "clamp(float_to_i32(v), -128, 127)",
            (true, _) => "min(float_to_u32(v), 255u)",
            (false, MLOperandDataType.Int32) => "bitcast<i32>(v)",
            (false, MLOperandDataType.Uint32) => "bitcast<u32>(v)",
            (false, MLOperandDataType.Int8) => "extractBits(bitcast<i32>(v), 0u, 8u)",
            (false, _) => "extractBits(bitcast<u32>(v), 0u, 8u)",
        };
        return Functions + $$"""
            @group(0) @binding(1) var<storage, read> x: array<u32>;
            @group(0) @binding(2) var<storage, read_write> y: array<u32>;

            @compute @workgroup_size(256)
            fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
                let i = invocation(g, n);
                if (i >= p[0]) { return; }
                let v = {{read}};
                y[i] = bitcast<u32>({{convert}});
            }
            """;
    }

    private const string Functions = WgslKernels.Header + WgslKernels.Float16Functions + """
        fn float_to_i32(v: f32) -> i32 {
            if (is_nan(v)) { return 0; }
            if (v >= 2147483648.0) { return 2147483647; }
            if (v <= -2147483648.0) { return i32(-2147483648); }
            return i32(v);
        }

        fn float_to_u32(v: f32) -> u32 {
            if (is_nan(v) || v <= 0.0) { return 0u; }
            if (v >= 4294967296.0) { return 4294967295u; }
            return u32(v);
        }

        """;
}
