using System.Diagnostics;

namespace WebGpu.Tests;

[Collection(GpuCollection.Name)]
public sealed class LifetimeTests(GpuFixture gpu)
{
    [Fact]
    public void Dispose_twice_is_harmless_and_use_after_dispose_throws()
    {
        var buffer = gpu.Device.CreateBuffer(new GPUBufferDescriptor { Size = 16, Usage = GPUBufferUsage.CopyDst });
        buffer.Dispose();
        buffer.Dispose();
        Assert.True(buffer.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => gpu.Device.Queue.WriteBuffer(buffer, 0, new byte[4]));
        Assert.Throws<ObjectDisposedException>(() => { _ = buffer.MapAsync(GPUMapMode.Read); });
        var encoder = gpu.Device.CreateCommandEncoder();
        encoder.Finish().Dispose();
        Assert.Throws<ObjectDisposedException>(() => encoder.Finish());
    }

    [Fact]
    public async Task A_thousand_create_and_destroy_cycles_keep_memory_bounded()
    {
        using var module = gpu.Device.CreateShaderModule(new GPUShaderModuleDescriptor { Code = ComputeTests.Saxpy });
        void Cycle()
        {
            using var buffer = gpu.Device.CreateBuffer(new GPUBufferDescriptor { Size = 1 << 16, Usage = GPUBufferUsage.Storage | GPUBufferUsage.CopyDst });
            using var pipeline = gpu.Device.CreateComputePipeline(new GPUComputePipelineDescriptor { Compute = new() { Module = module } });
            using var layout = pipeline.GetBindGroupLayout(0);
            var encoder = gpu.Device.CreateCommandEncoder();
            encoder.ClearBuffer(buffer);
            gpu.Device.Queue.Submit(encoder.Finish());
        }
        for (int i = 0; i < 50; i++)
        {
            Cycle();
        }
        await gpu.Device.Queue.OnSubmittedWorkDoneAsync();
        long before = Process.GetCurrentProcess().WorkingSet64;
        for (int i = 0; i < 1000; i++)
        {
            Cycle();
        }
        await gpu.Device.Queue.OnSubmittedWorkDoneAsync();
        GC.Collect();
        long growth = Process.GetCurrentProcess().WorkingSet64 - before;
        // 1,000 cycles create 64 MiB of buffers in all; a leak of even the buffers would show as tens of MiB.
        const long Bound = 32L << 20;
        Assert.True(growth < Bound, $"working set grew by {growth >> 20} MiB over 1,000 cycles (bound {Bound >> 20} MiB)");
    }

    [Fact]
    public async Task Threads_may_share_a_device()
    {
        var tasks = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (int i = 0; i < 20; i++)
            {
                using var buffer = gpu.Device.CreateBuffer(new GPUBufferDescriptor { Size = 256, Usage = GPUBufferUsage.CopyDst | GPUBufferUsage.CopySrc });
                var data = Enumerable.Range(0, 64).Select(v => v * 31 + t).ToArray();
                gpu.Device.Queue.WriteBuffer<int>(buffer, 0, data);
                var read = await ComputeTests.ReadAsync(gpu.Device, buffer, 256);
                Assert.Equal(data, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(read).ToArray());
            }
        }, TestContext.Current.CancellationToken));
        await Task.WhenAll(tasks);
    }
}
