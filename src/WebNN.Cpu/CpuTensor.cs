using WebNN.Backends;

namespace WebNN.Cpu;

/// <summary>A tensor in process memory.</summary>
internal sealed class CpuTensor(long byteLength) : IBackendTensor
{
    /// <summary>The tensor's bytes, little-endian elements in row-major order, from a cache line boundary.</summary>
    public Memory<byte> Data { get; } = AlignedMemory.Allocate(byteLength, zeroed: true);

    public void Dispose()
    {
    }
}
