namespace WebNN.WebGpu;

/// <summary>
/// The WGSL of the backend's kernels. Every kernel reads its parameters as u32 words at
/// binding 0 (floats as bits) and runs 256 invocations per workgroup over a 2-D grid of workgroups
/// (so that more than 65,535 workgroups fit).
/// </summary>
internal static class WgslKernels
{
    /// <summary>What every kernel starts with: the parameter words at binding 0, the invocation index, shared functions.</summary>
    internal const string Header = """
        @group(0) @binding(0) var<storage, read> p: array<u32>;

        fn invocation(g: vec3<u32>, n: vec3<u32>) -> u32 { return g.x + g.y * n.x * 256u; }

        // i decomposed row-major over the rank sizes at p[shape..], weighted by the strides at p[strides..].
        fn strided_offset(i: u32, rank: u32, shape: u32, strides: u32) -> u32 {
            var rest = i;
            var result = 0u;
            for (var d = i32(rank) - 1; d >= 0; d--) {
                let size = p[shape + u32(d)];
                result += (rest % size) * p[strides + u32(d)];
                rest = rest / size;
            }
            return result;
        }

        // NaN recognised by its bits, which no float optimisation can fold (WGSL lets implementations assume no NaN).
        fn is_nan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }

        // erf by Abramowitz–Stegun 7.1.26 (absolute error below 1.5e-7): WGSL has no erf.
        fn erf_approx(v: f32) -> f32 {
            let t = 1.0 / (1.0 + 0.3275911 * abs(v));
            let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-v * v);
            return select(-y, y, v >= 0.0);
        }

        """;

    /// <summary>The expression of each unary operator and fusible activation over <c>v</c>, with <c>alpha</c> and <c>beta</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> UnaryExpressions = new Dictionary<string, string>
    {
        ["abs"] = "abs(v)",
        ["ceil"] = "ceil(v)",
        ["cos"] = "cos(v)",
        ["erf"] = "erf_approx(v)",
        ["exp"] = "exp(v)",
        ["floor"] = "floor(v)",
        ["identity"] = "v",
        ["log"] = "log(v)",
        ["neg"] = "-v",
        ["reciprocal"] = "1.0 / v",
        ["roundEven"] = "round(v)",
        ["sign"] = "sign(v)",
        ["sin"] = "sin(v)",
        ["sqrt"] = "sqrt(v)",
        ["tan"] = "tan(v)",
        ["relu"] = "max(v, 0)",
        ["sigmoid"] = "1.0 / (1.0 + exp(-v))",
        ["tanh"] = "tanh(clamp(v, -10.0, 10.0))",
        ["softsign"] = "v / (1.0 + abs(v))",
        ["softplus"] = "max(v, 0.0) + log(1.0 + exp(-abs(v)))",
        ["hardSwish"] = "v * clamp(v + 3.0, 0.0, 6.0) / 6.0",
        ["gelu"] = "0.5 * v * (1.0 + erf_approx(v * 0.70710678118))",
        ["elu"] = "select(alpha * (exp(v) - 1.0), v, v >= 0.0)",
        ["hardSigmoid"] = "clamp(alpha * v + beta, 0.0, 1.0)",
        ["leakyRelu"] = "select(alpha * v, v, v >= 0.0)",
        ["linear"] = "alpha * v + beta",
        ["clamp"] = "min(max(v, alpha), beta)",
    };

    /// <summary>
    /// The expression of each unary operator the spec allows on integers, over <c>v</c> (i32 or u32) and clamp's
    /// bounds <c>alpha</c> and <c>beta</c>. WGSL's integer abs and negation wrap, as the CPU's do (the minimum stays the minimum).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> IntegerUnaryExpressions = new Dictionary<string, string>
    {
        ["abs"] = "abs(v)",
        ["identity"] = "v",
        ["neg"] = "-v",
        ["sign"] = "sign(v)",
        ["relu"] = "max(v, 0)",
        ["clamp"] = "min(max(v, alpha), beta)",
    };

    /// <summary>The expression of each binary operator over <c>x</c> and <c>z</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> BinaryExpressions = new Dictionary<string, string>
    {
        ["add"] = "x + z",
        ["sub"] = "x - z",
        ["mul"] = "x * z",
        ["div"] = "x / z",
        ["max"] = "max(x, z)",
        ["min"] = "min(x, z)",
        ["pow"] = "pow(x, z)",
    };

    /// <summary>
    /// The expression of each binary operator over integers <c>x</c> and <c>z</c> (i32 or u32). WGSL's integer
    /// arithmetic wraps, and its division is the CPU's: truncated toward zero, x / 0 = x, MIN / −1 = MIN.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> IntegerBinaryExpressions =
        new Dictionary<string, string>(BinaryExpressions) { ["pow"] = "integer_pow(x, z)" };

    /// <summary>
    /// Integer pow as the CPU computes it: repeated squaring, wrapping; a negative exponent gives the truncated
    /// quotient 1 / xⁿ: 1 for x = 1, ±1 for x = −1, the type's maximum for x = 0, else 0. On 8-bit types the
    /// 32-bit result wrapped (see <see cref="Wrapped"/>) is the 8-bit one, since wrapping commutes with products.
    /// </summary>
    private static string IntegerPower(MLOperandDataType dataType) => $$"""
        fn integer_pow(base: {{HeldDataTypes.Scalar(dataType)}}, exponent: {{HeldDataTypes.Scalar(dataType)}}) -> {{HeldDataTypes.Scalar(dataType)}} {
            {{(HeldDataTypes.Scalar(dataType) == "i32" ? $$"""
            if (exponent < 0) {
                if (base == 1) { return 1; }
                if (base == -1) { return select(-1, 1, (exponent & 1) == 0); }
                if (base == 0) { return {{(dataType == MLOperandDataType.Int8 ? sbyte.MaxValue : int.MaxValue)}}; }
                return 0;
            }
            """ : "")}}
            var result: {{HeldDataTypes.Scalar(dataType)}} = 1;
            var x = base;
            for (var e = exponent; e != 0; e = e / 2) {
                if ((e & 1) != 0) { result *= x; }
                x *= x;
            }
            return result;
        }

        """;

    /// <summary>
    /// <paramref name="expression"/> (of a 32-bit integer word) wrapped to <paramref name="dataType"/> as held in a word: int8
    /// sign-extended from its low byte, uint8 its low byte; other types as they are.
    /// </summary>
    public static string Wrapped(string expression, MLOperandDataType dataType) => dataType switch
    {
        MLOperandDataType.Int8 => $"((({expression}) << 24u) >> 24u)",
        MLOperandDataType.Uint8 => $"(({expression}) & 255u)",
        _ => expression,
    };

    /// <summary>y = f(x) element-wise on values held as <paramref name="dataType"/> (wrapped to it). Parameters: [count, alpha, beta] (of that type).</summary>
    public static string Unary(string expression, MLOperandDataType dataType) => Header + $$"""
        @group(0) @binding(1) var<storage, read> x: array<u32>;
        @group(0) @binding(2) var<storage, read_write> y: array<u32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let i = invocation(g, n);
            if (i >= p[0]) { return; }
            let alpha = bitcast<{{HeldDataTypes.Scalar(dataType)}}>(p[1]);
            let beta = bitcast<{{HeldDataTypes.Scalar(dataType)}}>(p[2]);
            let v = bitcast<{{HeldDataTypes.Scalar(dataType)}}>(x[i]);
            y[i] = bitcast<u32>({{Wrapped(expression, dataType)}});
        }
        """;

    /// <summary>
    /// y = op(a, b) with broadcasting, a and b held as <paramref name="dataType"/> (integer kernels have <c>integer_pow</c>,
    /// and wrap to the type). Parameters: [count, rank, outShape[8], aStrides[8], bStrides[8]], strides 0 along broadcast dimensions.
    /// </summary>
    public static string Binary(string expression, MLOperandDataType dataType) => Header + (dataType.IsFloatingPoint() ? "" : IntegerPower(dataType)) + $$"""
        @group(0) @binding(1) var<storage, read> a: array<u32>;
        @group(0) @binding(2) var<storage, read> b: array<u32>;
        @group(0) @binding(3) var<storage, read_write> y: array<u32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let i = invocation(g, n);
            if (i >= p[0]) { return; }
            let x = bitcast<{{HeldDataTypes.Scalar(dataType)}}>(a[strided_offset(i, p[1], 2u, 10u)]);
            let z = bitcast<{{HeldDataTypes.Scalar(dataType)}}>(b[strided_offset(i, p[1], 2u, 18u)]);
            y[i] = bitcast<u32>({{Wrapped(expression, dataType)}});
        }
        """;

    /// <summary>
    /// conv2d in any layout through strides, with a fused bias and activation. Each invocation computes one
    /// output channel at four neighbouring output pixels of a row, so each filter value loaded feeds four
    /// multiply-adds and neighbouring invocations (neighbouring channels) read neighbouring filter values.
    /// Parameters: [N, OH, OW, OC, IC/groups, OC/groups, KH, KW, H, W, padT, padL, strideH, strideW,
    /// dilationH, dilationW, hasBias, alpha, beta, inStride(n,c,h,w)[4], filterStride(o,i,h,w)[4], outStride(n,c,h,w)[4]].
    /// </summary>
    public static string Conv2d(string activation) => Header + $$"""
        @group(0) @binding(1) var<storage, read> x: array<f32>;
        @group(0) @binding(2) var<storage, read> w: array<f32>;
        @group(0) @binding(3) var<storage, read> bias: array<f32>;
        @group(0) @binding(4) var<storage, read_write> y: array<f32>;

        fn activate(v: f32, alpha: f32, beta: f32) -> f32 { return {{activation}}; }

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let t = invocation(g, n);
            let oc = p[3];
            let ow = p[2];
            let quads = (ow + 3u) / 4u;
            if (t >= p[0] * p[1] * quads * oc) { return; }
            let o = t % oc;
            var rest = t / oc;
            let ox0 = (rest % quads) * 4u; rest = rest / quads;
            let oy = rest % p[1];
            let b = rest / p[1];
            let icg = p[4];
            let group = o / p[5];
            var acc = vec4<f32>(0.0);
            for (var ky = 0u; ky < p[6]; ky++) {
                let iy = i32(oy * p[12] + ky * p[14]) - i32(p[10]);
                if (iy < 0 || iy >= i32(p[8])) { continue; }
                let rowBase = b * p[19] + u32(iy) * p[21] + group * icg * p[20];
                for (var kx = 0u; kx < p[7]; kx++) {
                    let wBase = o * p[23] + ky * p[25] + kx * p[26];
                    var xBase = vec4<u32>(0u);
                    var inside = vec4<bool>(false);
                    for (var j = 0u; j < 4u; j++) {
                        let ix = i32((ox0 + j) * p[13] + kx * p[15]) - i32(p[11]);
                        inside[j] = ix >= 0 && ix < i32(p[9]) && ox0 + j < ow;
                        xBase[j] = rowBase + u32(max(ix, 0)) * p[22];
                    }
                    for (var ci = 0u; ci < icg; ci++) {
                        let wv = w[wBase + ci * p[24]];
                        let xOffset = ci * p[20];
                        for (var j = 0u; j < 4u; j++) {
                            if (inside[j]) { acc[j] += wv * x[xBase[j] + xOffset]; }
                        }
                    }
                }
            }
            let alpha = bitcast<f32>(p[17]);
            let beta = bitcast<f32>(p[18]);
            var shift = 0.0;
            if (p[16] != 0u) { shift = bias[o]; }
            for (var j = 0u; j < 4u; j++) {
                if (ox0 + j < ow) {
                    y[b * p[27] + o * p[28] + oy * p[29] + (ox0 + j) * p[30]] = activate(acc[j] + shift, alpha, beta);
                }
            }
        }
        """;

    /// <summary>
    /// Batched matrix product, one output element per invocation. Parameters: [batches, M, K, N, rank,
    /// batchShape[6], aBatchStrides[6], bBatchStrides[6]] (batch strides in elements, 0 where broadcast).
    /// </summary>
    public const string Matmul = Header + """
        @group(0) @binding(1) var<storage, read> a: array<f32>;
        @group(0) @binding(2) var<storage, read> b: array<f32>;
        @group(0) @binding(3) var<storage, read_write> y: array<f32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let t = invocation(g, n);
            let m = p[1]; let k = p[2]; let cols = p[3];
            if (t >= p[0] * m * cols) { return; }
            let j = t % cols;
            let i = (t / cols) % m;
            var batch = t / (cols * m);
            var aBase = 0u;
            var bBase = 0u;
            for (var d = i32(p[4]) - 1; d >= 0; d--) {
                let size = p[5u + u32(d)];
                let c = batch % size;
                batch = batch / size;
                aBase += c * p[11u + u32(d)];
                bBase += c * p[17u + u32(d)];
            }
            var acc = 0.0;
            for (var q = 0u; q < k; q++) {
                acc += a[aBase + i * k + q] * b[bBase + q * cols + j];
            }
            y[t] = acc;
        }
        """;

    /// <summary>softmax along an axis, one invocation per row. Parameters: [outer, axis length, inner].</summary>
    public const string Softmax = Header + """
        @group(0) @binding(1) var<storage, read> x: array<f32>;
        @group(0) @binding(2) var<storage, read_write> y: array<f32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let t = invocation(g, n);
            let size = p[1]; let inner = p[2];
            if (t >= p[0] * inner) { return; }
            let base = (t / inner) * size * inner + t % inner;
            var largest = x[base];
            for (var k = 1u; k < size; k++) { largest = max(largest, x[base + k * inner]); }
            var sum = 0.0;
            for (var k = 0u; k < size; k++) { sum += exp(x[base + k * inner] - largest); }
            for (var k = 0u; k < size; k++) { y[base + k * inner] = exp(x[base + k * inner] - largest) / sum; }
        }
        """;

    /// <summary>
    /// Rounding to float16 in WGSL, exactly as IEEE (and the CPU backend) does: WGSL's quantizeToF16 and
    /// pack2x16float are indeterminate beyond float16's range and may flush subnormals to zero, so these work on the bits.
    /// </summary>
    public const string Float16Functions = """
        // The nearest float16 value as f32, ties to even, on the bits.
        fn round_to_f16(v: f32) -> f32 {
            let bits = bitcast<u32>(v);
            let sign = bits & 0x80000000u;
            let magnitude = bits & 0x7fffffffu;
            // Infinity and NaN stay; from 65520 (halfway past the largest half, 65504) up, infinity.
            if (magnitude >= 0x7f800000u) { return v; }
            if (magnitude >= 0x477ff000u) { return bitcast<f32>(sign | 0x7f800000u); }
            // Below 2^-14 halves are subnormal: multiples of 2^-24, scaled exactly and rounded to even.
            if (magnitude < 0x38800000u) { return round(v * 16777216.0) / 16777216.0; }
            // Normal: keep 10 of the 23 mantissa bits, ties to even (a carry moves into the exponent).
            let rounded = (magnitude + 0xfffu + ((magnitude >> 13u) & 1u)) & 0xffffe000u;
            return bitcast<f32>(sign | rounded);
        }

        // The bits of the float16 that round_to_f16 gives for v.
        fn half_bits(v: f32) -> u32 {
            let r = round_to_f16(v);
            let bits = bitcast<u32>(r);
            let sign = (bits >> 16u) & 0x8000u;
            let magnitude = bits & 0x7fffffffu;
            if (magnitude > 0x7f800000u) { return sign | 0x7e00u; }
            if (magnitude == 0x7f800000u) { return sign | 0x7c00u; }
            // Subnormal halves (and zero) are whole multiples of 2^-24.
            if (magnitude < 0x38800000u) { return sign | u32(abs(r) * 16777216.0); }
            return sign | (((magnitude >> 23u) - 112u) << 10u) | ((magnitude >> 13u) & 0x3ffu);
        }

        // The value of the float16 whose bits are the low 16 bits of h.
        fn half_value(h: u32) -> f32 {
            let sign = (h & 0x8000u) << 16u;
            let exponent = (h >> 10u) & 0x1fu;
            let mantissa = h & 0x3ffu;
            if (exponent == 0u) { return bitcast<f32>(sign | bitcast<u32>(f32(mantissa) / 16777216.0)); }
            if (exponent == 31u) { return bitcast<f32>(sign | 0x7f800000u | (mantissa << 13u)); }
            return bitcast<f32>(sign | ((exponent + 112u) << 23u) | (mantissa << 13u));
        }

        """;
}
