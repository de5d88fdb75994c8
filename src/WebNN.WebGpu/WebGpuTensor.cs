using WebGpu;
using WebNN.Backends;

namespace WebNN.WebGpu;

/// <summary>An <see cref="MLTensor"/> on a WebGPU context: a storage buffer of the tensor's packed bytes (rounded up to 4).</summary>
internal sealed class WebGpuTensor(GPUBuffer buffer, long byteLength) : IBackendTensor
{
    /// <summary>The buffer: STORAGE | COPY_SRC | COPY_DST, as the interop proposal exports it.</summary>
    public GPUBuffer Buffer { get; } = buffer;

    /// <summary>The tensor's byte length (the buffer may be up to 3 bytes longer).</summary>
    public long ByteLength { get; } = byteLength;

    /// <summary>The buffer lent to WebGPU while the tensor is exported; WebNN must not touch the tensor meanwhile.</summary>
    public GPUBuffer? Export { get; set; }

    /// <summary>Whether WebGPU holds the tensor.</summary>
    public bool IsExported => Export is not null;

    public void Dispose() => Buffer.Dispose();

    /// <summary>Buffer sizes are multiples of 4 bytes.</summary>
    public static ulong PaddedSize(long byteLength) => (ulong)((byteLength + 3) & ~3L);
}
