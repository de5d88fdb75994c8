using System.Runtime.InteropServices;
using WebNN.Graph;

namespace WebNN.WebGpu;

/// <summary>
/// How a compiled graph holds values: every element in one 32-bit word, so that every kernel reads and writes
/// whole words (WGSL has no 8- or 16-bit storage). float32, int32 and uint32 are held as they are; float16 as f32,
/// int8 as i32 and uint8 as u32, widened where a graph input or constant comes in and narrowed where a graph output
/// goes out. int64 has no WGSL type: it appears only as pairs of u32 words (low first) that gather, gatherElements, gatherND and
/// the scatters read as indices and argMin/argMax write as indices.
/// </summary>
internal static class HeldDataTypes
{
    /// <summary>Every type held one element to a word: what a kernel that moves, selects or compares words serves.</summary>
    public static readonly MLOperandDataType[] All =
    [
        MLOperandDataType.Float32, MLOperandDataType.Float16, MLOperandDataType.Int32,
        MLOperandDataType.Uint32, MLOperandDataType.Int8, MLOperandDataType.Uint8,
    ];

    /// <summary>Whether values of <paramref name="dataType"/> are packed more than one to a word outside the graph and held one to a word inside it.</summary>
    public static bool IsWidened(MLOperandDataType dataType) => dataType is MLOperandDataType.Float16 or MLOperandDataType.Int8 or MLOperandDataType.Uint8;

    /// <summary>Bytes per element inside a compiled graph.</summary>
    public static int ByteSize(MLOperandDataType dataType) => IsWidened(dataType) ? 4 : dataType.ByteSize();

    /// <summary>The WGSL scalar type a kernel computes a held value in: <c>bitcast&lt;Scalar&gt;(word)</c> reads it, <c>bitcast&lt;u32&gt;(value)</c> writes it.</summary>
    public static string Scalar(MLOperandDataType dataType) => dataType switch
    {
        MLOperandDataType.Float32 or MLOperandDataType.Float16 => "f32",
        MLOperandDataType.Int32 or MLOperandDataType.Int8 => "i32",
        MLOperandDataType.Uint32 or MLOperandDataType.Uint8 => "u32",
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), $"No WGSL scalar holds {dataType.SpecName()}."),
    };

    /// <summary>The word that holds <paramref name="value"/> cast to <paramref name="dataType"/> (as the type's casts saturate).</summary>
    public static uint Word(MLNumber value, MLOperandDataType dataType)
    {
        var bytes = new byte[4];
        value.WriteAs(dataType, bytes);
        return MemoryMarshal.Read<uint>(IsWidened(dataType) ? Widen(bytes.AsSpan(0, dataType.ByteSize()), dataType) : bytes);
    }

    /// <summary>Packed elements of a widened type, each widened to its word on the host (for constants).</summary>
    public static byte[] Widen(ReadOnlySpan<byte> packed, MLOperandDataType dataType)
    {
        var words = new uint[packed.Length / dataType.ByteSize()];
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = dataType switch
            {
                MLOperandDataType.Float16 => BitConverter.SingleToUInt32Bits((float)MemoryMarshal.Read<Half>(packed[(2 * i)..])),
                MLOperandDataType.Int8 => (uint)(sbyte)packed[i],
                _ => packed[i],
            };
        }
        return MemoryMarshal.AsBytes(words.AsSpan()).ToArray();
    }

    /// <summary>The kernel that unpacks a graph input's elements (<paramref name="packed"/>) into their words (<paramref name="held"/>).</summary>
    public static GpuKernel WidenKernel(KernelBuilder b, GpuValue packed, GpuValue held) =>
        PackingKernel(b, $"widen {packed.DataType.SpecName()}", WidenWgsl(packed.DataType), held.ElementCount, packed.DataType, [packed, held]);

    /// <summary>The kernel that packs a graph output's words (<paramref name="held"/>) into its elements (<paramref name="packed"/>).</summary>
    public static GpuKernel NarrowKernel(KernelBuilder b, GpuValue held, GpuValue packed) =>
        PackingKernel(b, $"narrow to {packed.DataType.SpecName()}", NarrowWgsl(packed.DataType), held.ElementCount, packed.DataType, [held, packed]);

    /// <summary>One invocation per packed word, so that no two invocations write the same word. Parameters: [count] (elements).</summary>
    private static GpuKernel PackingKernel(KernelBuilder b, string label, string wgsl, int count, MLOperandDataType dataType, GpuValue[] bindings)
    {
        int perWord = 4 / dataType.ByteSize();
        return b.Kernel(label, wgsl, [(uint)count], bindings, (count + perWord - 1) / perWord);
    }

    /// <summary>
    /// Each invocation reads one packed word and writes the word of each element in it: a float16's f32 (exact,
    /// subnormals included), an int8 sign-extended, a uint8 zero-extended.
    /// </summary>
    private static string WidenWgsl(MLOperandDataType dataType)
    {
        string widen = dataType switch
        {
            MLOperandDataType.Float16 => "bitcast<u32>(half_value(bits))",
            MLOperandDataType.Int8 => "bitcast<u32>(extractBits(bitcast<i32>(bits), 0u, 8u))",
            _ => "bits",
        };
        return PackingWgsl(dataType, $$"""
            @group(0) @binding(1) var<storage, read> packed: array<u32>;
            @group(0) @binding(2) var<storage, read_write> y: array<u32>;

            @compute @workgroup_size(256)
            fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
                let first = invocation(g, n) * PER_WORD;
                if (first >= p[0]) { return; }
                let word = packed[first / PER_WORD];
                for (var k = 0u; k < PER_WORD && first + k < p[0]; k++) {
                    let bits = extractBits(word, k * BITS, BITS);
                    y[first + k] = {{widen}};
                }
            }
            """);
    }

    /// <summary>
    /// Each invocation packs the words of up to one packed word's elements into it: a float32 rounded to the
    /// nearest float16, ties to even (as IEEE and the CPU do), an 8-bit integer's low byte.
    /// </summary>
    private static string NarrowWgsl(MLOperandDataType dataType)
    {
        string narrow = dataType == MLOperandDataType.Float16 ? "half_bits(bitcast<f32>(x[first + k]))" : "x[first + k]";
        return PackingWgsl(dataType, $$"""
            @group(0) @binding(1) var<storage, read> x: array<u32>;
            @group(0) @binding(2) var<storage, read_write> packed: array<u32>;

            @compute @workgroup_size(256)
            fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
                let first = invocation(g, n) * PER_WORD;
                if (first >= p[0]) { return; }
                var word = 0u;
                for (var k = 0u; k < PER_WORD && first + k < p[0]; k++) {
                    word = insertBits(word, {{narrow}}, k * BITS, BITS);
                }
                packed[first / PER_WORD] = word;
            }
            """);
    }

    private static string PackingWgsl(MLOperandDataType dataType, string main) => WgslKernels.Header + WgslKernels.Float16Functions + $"""
        const BITS = {8 * dataType.ByteSize()}u;
        const PER_WORD = {4 / dataType.ByteSize()}u;

        """ + main;
}
