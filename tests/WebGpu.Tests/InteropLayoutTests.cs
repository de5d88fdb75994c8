using System.Runtime.InteropServices;
using WebGpu.Interop;

namespace WebGpu.Tests;

/// <summary>
/// Proves that the structs Dawn fills are exactly as large as ours: Dawn writes into memory painted with a marker,
/// and the last byte it changed must be the last byte of our struct. A struct of ours that was too small would let
/// Dawn write past it (memory corruption); one too large would read fields Dawn never wrote.
/// </summary>
[Collection(GpuCollection.Name)]
public sealed class InteropLayoutTests(GpuFixture gpu)
{
    private const byte Marker = 0xCD;
    private const int Canvas = 1024;

    /// <summary>The offset just past the last byte Dawn changed in a painted canvas.</summary>
    private static unsafe int WrittenLength(byte* canvas)
    {
        int end = Canvas;
        while (end > 0 && canvas[end - 1] == Marker)
        {
            end--;
        }
        return end;
    }

    private static unsafe byte* Paint()
    {
        var canvas = (byte*)NativeMemory.Alloc(Canvas);
        new Span<byte>(canvas, Canvas).Fill(Marker);
        *(nint*)canvas = 0; // nextInChain
        return canvas;
    }

    [Fact]
    public unsafe void Dawn_writes_exactly_one_WGPULimits_for_the_adapter_and_the_device()
    {
        byte* canvas = Paint();
        try
        {
            Assert.Equal(1u, Dawn.AdapterGetLimits(gpu.Adapter.Native, (WGPULimits*)canvas));
            int written = WrittenLength(canvas);
            // The last field is a u32 that Dawn sets (possibly to a value ending in the marker byte); allow its top bytes to match.
            Assert.InRange(written, sizeof(WGPULimits) - 3, sizeof(WGPULimits));
            new Span<byte>(canvas, Canvas).Fill(Marker);
            *(nint*)canvas = 0;
            Assert.Equal(1u, Dawn.DeviceGetLimits(gpu.Device.Native, (WGPULimits*)canvas));
            Assert.InRange(WrittenLength(canvas), sizeof(WGPULimits) - 3, sizeof(WGPULimits));
        }
        finally
        {
            NativeMemory.Free(canvas);
        }
    }

    [Fact]
    public unsafe void Dawn_writes_exactly_one_WGPUAdapterInfo()
    {
        byte* canvas = Paint();
        try
        {
            Assert.Equal(1u, Dawn.AdapterGetInfo(gpu.Adapter.Native, (WGPUAdapterInfo*)canvas));
            var info = *(WGPUAdapterInfo*)canvas;
            int written = WrittenLength(canvas);
            string description = info.Description.ToString();
            Dawn.AdapterInfoFreeMembers(info);
            Assert.Equal(gpu.Adapter.Info.Description, description);
            Assert.InRange(written, sizeof(WGPUAdapterInfo) - 3, sizeof(WGPUAdapterInfo));
            Assert.Equal(gpu.Adapter.Info.SubgroupMaxSize, info.SubgroupMaxSize);
            Assert.True(info.SubgroupMinSize is > 0 and <= 128 && info.SubgroupMinSize <= info.SubgroupMaxSize, $"subgroup sizes {info.SubgroupMinSize}..{info.SubgroupMaxSize}");
        }
        finally
        {
            NativeMemory.Free(canvas);
        }
    }

    [Fact]
    public async Task Dawn_reads_the_last_field_of_WGPULimits_when_a_device_requires_it()
    {
        // maxImmediateSize closes the struct: if Dawn did not read it, requiring more than the adapter has would pass.
        ulong beyond = gpu.Adapter.Limits["maxImmediateSize"] + 4;
        var e = await Assert.ThrowsAnyAsync<GPUException>(() => gpu.Adapter.RequestDeviceAsync(new GPUDeviceDescriptor
        {
            RequiredLimits = new Dictionary<string, ulong> { ["maxImmediateSize"] = beyond },
        }));
        Assert.Contains($"({beyond})", e.Message);
    }
}
