using WebNN.Backends;

namespace WebNN.Cpu;

/// <summary>A tensor in process memory.</summary>
internal sealed class CpuTensor(long byteLength) : IBackendTensor
{
    /// <summary>The tensor's bytes, little-endian elements in row-major order.</summary>
    public byte[] Data { get; } = GC.AllocateArray<byte>(checked((int)byteLength), pinned: true);

    public void Dispose()
    {
    }
}
