using System.Runtime.InteropServices;

namespace WebGpu.Tests;

/// <summary>
/// An adapter requested with Dawn's "allow_unsafe_apis" toggle (Dawn lists experimental features only then) and, when
/// it has "host-mapped-pointer", a device with that feature.
/// </summary>
public sealed class HostMappedFixture : IAsyncLifetime
{
    public const string Feature = "host-mapped-pointer";

    public GPUAdapter Adapter { get; private set; } = null!;

    /// <summary>The device with the feature, or null when the adapter lacks it.</summary>
    public GPUDevice? Device { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Adapter = await GPU.RequestAdapterAsync(new GPURequestAdapterOptions { EnabledToggles = ["allow_unsafe_apis"] })
            ?? throw new InvalidOperationException("No WebGPU adapter: see GpuFixture.");
        if (Adapter.Features.Contains(Feature))
        {
            Device = await Adapter.RequestDeviceAsync(new GPUDeviceDescriptor { Label = "host-mapped", RequiredFeatures = [Feature] });
        }
    }

    /// <summary>The device, or a skip that says why there is none.</summary>
    public GPUDevice RequireDevice()
    {
        Assert.SkipWhen(Device is null,
            $"{Adapter.Info} does not offer \"{Feature}\" even with allow_unsafe_apis (Dawn's Vulkan backend needs VK_EXT_external_memory_host " +
            "with minImportedHostPointerAlignment <= 4096); run these tests on a GPU that has it.");
        return Device!;
    }

    public ValueTask DisposeAsync()
    {
        Device?.Dispose();
        Adapter?.Dispose();
        return ValueTask.CompletedTask;
    }
}

[Collection(GpuCollection.Name)]
public sealed class HostMappedMemoryTests(GpuFixture gpu, HostMappedFixture hostMapped) : IClassFixture<HostMappedFixture>
{
    private const GPUBufferUsage StorageAndCopies = GPUBufferUsage.Storage | GPUBufferUsage.CopySrc | GPUBufferUsage.CopyDst;

    private static readonly TimeSpan FreeTimeout = TimeSpan.FromSeconds(10);

    private const string WriteIndexTimesThreePlusOne = """
        @group(0) @binding(0) var<storage, read_write> output: array<u32>;

        @compute @workgroup_size(64)
        fn main(@builtin(global_invocation_id) id: vec3<u32>) {
            if (id.x < arrayLength(&output)) {
                output[id.x] = id.x * 3u + 1u;
            }
        }
        """;

    private const string Double = """
        @group(0) @binding(0) var<storage, read> input: array<f32>;
        @group(0) @binding(1) var<storage, read_write> output: array<f32>;

        @compute @workgroup_size(64)
        fn main(@builtin(global_invocation_id) id: vec3<u32>) {
            if (id.x < arrayLength(&output)) {
                output[id.x] = input[id.x] * 2.0;
            }
        }
        """;

    private static void Dispatch(GPUDevice device, string code, uint invocations, params GPUBuffer[] buffers)
    {
        using var module = device.CreateShaderModule(new GPUShaderModuleDescriptor { Code = code });
        using var pipeline = device.CreateComputePipeline(new GPUComputePipelineDescriptor { Compute = new() { Module = module } });
        using var layout = pipeline.GetBindGroupLayout(0);
        using var group = device.CreateBindGroup(new GPUBindGroupDescriptor
        {
            Layout = layout,
            Entries = [.. buffers.Select((b, i) => new GPUBindGroupEntry { Binding = (uint)i, Buffer = b })],
        });
        var encoder = device.CreateCommandEncoder();
        var pass = encoder.BeginComputePass();
        pass.SetPipeline(pipeline);
        pass.SetBindGroup(0, group);
        pass.DispatchWorkgroups((invocations + 63) / 64);
        pass.End();
        device.Queue.Submit(encoder.Finish());
    }

    private static void Copy(GPUDevice device, GPUBuffer source, ulong sourceOffset, GPUBuffer destination, ulong destinationOffset, ulong size)
    {
        var encoder = device.CreateCommandEncoder();
        encoder.CopyBufferToBuffer(source, sourceOffset, destination, destinationOffset, size);
        device.Queue.Submit(encoder.Finish());
    }

    [Fact]
    public void Dawn_lists_the_feature_only_with_allow_unsafe_apis_and_states_its_alignment_only_with_the_feature()
    {
        Assert.DoesNotContain(HostMappedFixture.Feature, gpu.Adapter.Features);
        Assert.Null(gpu.Device.Limits.HostMappedPointerAlignment);
        var device = hostMapped.RequireDevice();
        Assert.Contains(HostMappedFixture.Feature, device.Features);
        ulong alignment = device.Limits.HostMappedPointerAlignment!.Value;
        Assert.Equal(hostMapped.Adapter.Limits.HostMappedPointerAlignment, alignment);
        if (hostMapped.Adapter.Info.Backend == GPUBackendType.Vulkan)
        {
            // Dawn's Vulkan backend states its constant kMinimumHostMappedPointerAlignment.
            Assert.Equal(4096UL, alignment);
        }
    }

    [Fact]
    public async Task A_shader_writes_into_host_memory_and_the_cpu_reads_the_values_there_without_a_map_or_a_copy()
    {
        var device = hostMapped.RequireDevice();
        using var memory = new HostMappedMemory(3001 * sizeof(uint));
        Assert.Equal(12288, memory.Length);
        using var buffer = device.CreateBuffer(new GPUBufferDescriptor { Label = "host output", Size = (ulong)memory.Length, Usage = StorageAndCopies }, memory);
        int count = memory.Length / sizeof(uint);
        Dispatch(device, WriteIndexTimesThreePlusOne, (uint)count, buffer);
        await device.Queue.OnSubmittedWorkDoneAsync();
        var values = MemoryMarshal.Cast<byte, uint>(memory.GetSpan());
        for (int i = 0; i < count; i++)
        {
            Assert.True(values[i] == (uint)(i * 3 + 1), $"element {i}: {values[i]}, expected {i * 3 + 1}");
        }
    }

    [Fact]
    public async Task A_shader_reads_what_the_cpu_wrote_into_host_memory()
    {
        var device = hostMapped.RequireDevice();
        using var memory = new HostMappedMemory(4096);
        var input = MemoryMarshal.Cast<byte, float>(memory.GetSpan());
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = i * 0.25f - 100;
        }
        using var hostInput = device.CreateBuffer(new GPUBufferDescriptor { Size = 4096, Usage = GPUBufferUsage.Storage }, memory);
        using var output = device.CreateBuffer(new GPUBufferDescriptor { Size = 4096, Usage = GPUBufferUsage.Storage | GPUBufferUsage.CopySrc });
        Dispatch(device, Double, 1024, hostInput, output);
        var doubled = MemoryMarshal.Cast<byte, float>(await ComputeTests.ReadAsync(device, output, 4096));
        for (int i = 0; i < doubled.Length; i++)
        {
            Assert.Equal((i * 0.25f - 100) * 2, doubled[i]);
        }
    }

    [Fact]
    public async Task Copies_move_bytes_between_host_memory_and_ordinary_buffers_and_a_buffer_may_wrap_part_of_the_memory()
    {
        var device = hostMapped.RequireDevice();
        int page = (int)device.Limits.HostMappedPointerAlignment!.Value;
        using var memory = new HostMappedMemory(3 * page, page);
        var sent = new byte[page];
        new Random(8).NextBytes(sent);
        sent.CopyTo(memory.GetSpan());
        // The second buffer wraps only the middle page.
        using var whole = device.CreateBuffer(new GPUBufferDescriptor { Size = (ulong)(3 * page), Usage = GPUBufferUsage.CopySrc | GPUBufferUsage.CopyDst }, memory);
        using var middle = device.CreateBuffer(new GPUBufferDescriptor { Size = (ulong)page, Usage = GPUBufferUsage.CopyDst }, memory, (ulong)page);
        using var ordinary = device.CreateBuffer(new GPUBufferDescriptor { Size = (ulong)page, Usage = GPUBufferUsage.CopySrc | GPUBufferUsage.CopyDst });

        Copy(device, whole, 0, ordinary, 0, (ulong)page);
        Assert.Equal(sent, await ComputeTests.ReadAsync(device, ordinary, (ulong)page));

        var received = new byte[page];
        new Random(9).NextBytes(received);
        device.Queue.WriteBuffer(ordinary, 0, received);
        Copy(device, ordinary, 0, middle, 0, (ulong)page);
        await device.Queue.OnSubmittedWorkDoneAsync();
        Assert.Equal(sent, memory.GetSpan()[..page].ToArray());
        Assert.Equal(received, memory.GetSpan().Slice(page, page).ToArray());
        Assert.True(memory.GetSpan()[(2 * page)..].IndexOfAnyExcept((byte)0) < 0, "the third page was written");
    }

    [Fact]
    public void A_device_without_the_feature_refuses_with_what_it_needs()
    {
        using var memory = new HostMappedMemory(4096);
        var e = Assert.Throws<NotSupportedException>(() => gpu.Device.CreateBuffer(new GPUBufferDescriptor { Size = 4096, Usage = GPUBufferUsage.Storage }, memory));
        Assert.Contains("allow_unsafe_apis", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Misuse_throws_with_the_reason()
    {
        var device = hostMapped.RequireDevice();
        ulong alignment = device.Limits.HostMappedPointerAlignment!.Value;
        using var memory = new HostMappedMemory(2 * (int)alignment, (int)alignment);
        GPUBuffer Create(ulong size, ulong offset = 0, bool mappedAtCreation = false) =>
            device.CreateBuffer(new GPUBufferDescriptor { Size = size, Usage = StorageAndCopies, MappedAtCreation = mappedAtCreation }, memory, offset);

        var size = Assert.Throws<ArgumentException>(() => Create(alignment + 4));
        Assert.Contains($"hostMappedPointerAlignment ({alignment})", size.Message, StringComparison.Ordinal);
        var offset = Assert.Throws<ArgumentException>(() => Create(alignment, 256));
        Assert.Contains("offset 256", offset.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Create(2 * alignment, alignment));
        Assert.Throws<ArgumentException>(() => Create(alignment, 3 * alignment));
        Assert.Throws<ArgumentException>(() => Create(alignment, mappedAtCreation: true));

        using var buffer = Create(alignment);
        Assert.Throws<GPUValidationException>(() => buffer.Unmap());
        Assert.Throws<InvalidOperationException>(() => buffer.GetMappedRange());

        Assert.Throws<ArgumentOutOfRangeException>(() => new HostMappedMemory(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HostMappedMemory(64, 48));
        memory.Dispose();
        Assert.Throws<ObjectDisposedException>(() => memory.GetSpan());
        Assert.Throws<ObjectDisposedException>(() => Create(alignment));
    }

    [Fact]
    public async Task A_buffer_dawn_refuses_throws_and_returns_the_memory_even_inside_an_application_error_scope()
    {
        var device = hostMapped.RequireDevice();
        var memory = new HostMappedMemory(4096);
        device.PushErrorScope(GPUErrorFilter.Validation);
        var e = Assert.Throws<GPUValidationException>(() => device.CreateBuffer(new GPUBufferDescriptor { Size = 4096, Usage = GPUBufferUsage.None }, memory));
        Assert.Contains("usage", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Null(await device.PopErrorScopeAsync());
        memory.Dispose();
        Assert.True(memory.Freed.IsCompleted, "the refused buffer kept the memory");
    }

    [Fact]
    public async Task Mapping_a_buffer_over_host_memory_fails()
    {
        var device = hostMapped.RequireDevice();
        using var memory = new HostMappedMemory(4096);
        using var buffer = device.CreateBuffer(new GPUBufferDescriptor { Size = 4096, Usage = GPUBufferUsage.MapRead | GPUBufferUsage.CopyDst }, memory);
        var e = await Assert.ThrowsAsync<GPUValidationException>(() => buffer.MapAsync(GPUMapMode.Read));
        Assert.Contains("cannot be mapped", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Memory_disposed_after_its_buffer_is_freed_by_the_owners_dispose()
    {
        var device = hostMapped.RequireDevice();
        var memory = new HostMappedMemory(4096);
        var buffer = device.CreateBuffer(new GPUBufferDescriptor { Size = 4096, Usage = StorageAndCopies }, memory);
        Dispatch(device, WriteIndexTimesThreePlusOne, 1024, buffer);
        buffer.Dispose();
        await device.Queue.OnSubmittedWorkDoneAsync();
        Assert.False(memory.Freed.IsCompleted, "the memory was freed while its owner held it");
        Assert.Equal(1u + 3 * 1023, MemoryMarshal.Cast<byte, uint>(memory.GetSpan())[1023]);
        memory.Dispose();
        await memory.Freed.WaitAsync(FreeTimeout, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Memory_disposed_before_its_buffer_stays_for_the_gpu_until_dawn_reports_the_buffer_disposed()
    {
        var device = hostMapped.RequireDevice();
        var memory = new HostMappedMemory(4096);
        using var ordinary = device.CreateBuffer(new GPUBufferDescriptor { Size = 4096, Usage = GPUBufferUsage.CopySrc | GPUBufferUsage.CopyDst });
        var buffer = device.CreateBuffer(new GPUBufferDescriptor { Size = 4096, Usage = StorageAndCopies }, memory);
        memory.Dispose();
        Assert.Throws<ObjectDisposedException>(() => memory.GetSpan());

        // The GPU still writes and reads the memory through the buffer.
        Dispatch(device, WriteIndexTimesThreePlusOne, 1024, buffer);
        Copy(device, buffer, 0, ordinary, 0, 4096);
        var read = MemoryMarshal.Cast<byte, uint>(await ComputeTests.ReadAsync(device, ordinary, 4096));
        Assert.Equal(Enumerable.Range(0, 1024).Select(i => (uint)(i * 3 + 1)), read.ToArray());
        Assert.False(memory.Freed.IsCompleted, "the memory was freed while a buffer wrapped it");

        buffer.Dispose();
        await memory.Freed.WaitAsync(FreeTimeout, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_pin_keeps_the_memory_after_its_owner_disposes_it()
    {
        var memory = new HostMappedMemory(4096);
        var pin = memory.Pin(16);
        unsafe
        {
            Assert.Equal((nint)memory.Address + 16, (nint)pin.Pointer);
        }
        memory.Dispose();
        Assert.False(memory.Freed.IsCompleted, "the memory was freed while pinned");
        pin.Dispose();
        await memory.Freed.WaitAsync(FreeTimeout, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Disposing_the_device_releases_the_memory_of_its_buffers()
    {
        hostMapped.RequireDevice();
        var device = await hostMapped.Adapter.RequestDeviceAsync(new GPUDeviceDescriptor { Label = "short-lived", RequiredFeatures = [HostMappedFixture.Feature] });
        var memory = new HostMappedMemory(4096);
        var buffer = device.CreateBuffer(new GPUBufferDescriptor { Size = 4096, Usage = StorageAndCopies }, memory);
        Dispatch(device, WriteIndexTimesThreePlusOne, 1024, buffer);
        memory.Dispose();
        device.Dispose();
        Assert.True(buffer.IsDisposed);
        await memory.Freed.WaitAsync(FreeTimeout, TestContext.Current.CancellationToken);
    }
}
