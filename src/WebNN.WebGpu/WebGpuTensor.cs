using WebGpu;
using WebNN.Backends;

namespace WebNN.WebGpu;

/// <summary>An <see cref="MLTensor"/> on a WebGPU context: a storage buffer of the tensor's packed bytes (rounded up to 4).</summary>
internal sealed class WebGpuTensor(GPUBuffer buffer, long byteLength) : ILendableTensor
{
    /// <summary>The buffer: STORAGE | COPY_SRC | COPY_DST, as the interop proposal exports it.</summary>
    public GPUBuffer Buffer { get; } = buffer;

    /// <summary>The tensor's byte length (the buffer may be up to 3 bytes longer).</summary>
    public long ByteLength { get; } = byteLength;

    public GPUBuffer LendableBuffer => Buffer;

    public GPUBuffer? Export { get; set; }

    public void Dispose() => Buffer.Dispose();

    /// <summary>Buffer sizes are multiples of 4 bytes.</summary>
    public static ulong PaddedSize(long byteLength) => (ulong)((byteLength + 3) & ~3L);
}
