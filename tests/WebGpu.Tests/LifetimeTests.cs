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

    [Fact]
    public async Task Disposing_a_device_disposes_what_was_created_from_it_and_reports_it_destroyed()
    {
        var device = await gpu.Adapter.RequestDeviceAsync(new GPUDeviceDescriptor { Label = "parent" });
        var buffer = device.CreateBuffer(new GPUBufferDescriptor { Size = 64, Usage = GPUBufferUsage.Storage | GPUBufferUsage.CopyDst });
        var module = device.CreateShaderModule(new GPUShaderModuleDescriptor { Code = ComputeTests.Saxpy });
        var pipeline = device.CreateComputePipeline(new GPUComputePipelineDescriptor { Compute = new() { Module = module } });
        var layout = pipeline.GetBindGroupLayout(0);
        var encoder = device.CreateCommandEncoder();
        device.Dispose();
        Assert.All(new GPUObject[] { buffer, module, pipeline, layout, encoder, device.Queue, device }, o => Assert.True(o.IsDisposed, $"{o} is not disposed"));
        Assert.Throws<ObjectDisposedException>(() => buffer.GetMappedRange());
        Assert.Throws<ObjectDisposedException>(() => device.CreateCommandEncoder());
        var lost = await device.Lost.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(GPUDeviceLostReason.Destroyed, lost.Reason);
        buffer.Dispose();
        device.Dispose();
    }

    [Fact]
    public void Dispose_from_many_threads_at_once_runs_once_and_never_throws()
    {
        for (int round = 0; round < 50; round++)
        {
            var buffer = gpu.Device.CreateBuffer(new GPUBufferDescriptor { Size = 256, Usage = GPUBufferUsage.Storage });
            using var start = new Barrier(4);
            var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
            var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    buffer.Dispose();
                }
                catch (Exception e)
                {
                    failures.Add(e);
                }
            })).ToList();
            foreach (var thread in threads)
            {
                thread.UnsafeStart();
            }
            foreach (var thread in threads)
            {
                thread.Join();
            }
            Assert.Empty(failures);
            Assert.True(buffer.IsDisposed);
        }
    }

    [Fact]
    public async Task Work_on_a_destroyed_device_completes_instead_of_hanging()
    {
        using var device = await gpu.Adapter.RequestDeviceAsync(new GPUDeviceDescriptor { Label = "doomed" });
        using var buffer = device.CreateBuffer(new GPUBufferDescriptor { Size = 256, Usage = GPUBufferUsage.MapRead | GPUBufferUsage.CopyDst });
        var mapping = buffer.MapAsync(GPUMapMode.Read);
        device.Destroy();
        var timeout = TimeSpan.FromSeconds(30);
        // The pending map either finished before the destruction or is aborted by it; either way it completes.
        await Task.WhenAny(mapping).WaitAsync(timeout, TestContext.Current.CancellationToken);
        await device.Lost.WaitAsync(timeout, TestContext.Current.CancellationToken);
        await device.Queue.OnSubmittedWorkDoneAsync().WaitAsync(timeout, TestContext.Current.CancellationToken);
        using var late = device.CreateBuffer(new GPUBufferDescriptor { Size = 256, Usage = GPUBufferUsage.MapRead });
        await Assert.ThrowsAnyAsync<GPUException>(() => late.MapAsync(GPUMapMode.Read).WaitAsync(timeout, TestContext.Current.CancellationToken));
    }
}
