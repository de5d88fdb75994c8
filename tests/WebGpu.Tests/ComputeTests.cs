using System.Runtime.InteropServices;

namespace WebGpu.Tests;

[Collection(GpuCollection.Name)]
public sealed class ComputeTests(GpuFixture gpu)
{
    private GPUDevice Device => gpu.Device;

    internal const string Saxpy = """
        struct Params { a: f32, n: u32 }
        @group(0) @binding(0) var<uniform> params: Params;
        @group(0) @binding(1) var<storage, read> x: array<f32>;
        @group(0) @binding(2) var<storage, read_write> y: array<f32>;

        @compute @workgroup_size(64)
        fn main(@builtin(global_invocation_id) id: vec3<u32>) {
            if (id.x < params.n) {
                y[id.x] = params.a * x[id.x] + y[id.x];
            }
        }
        """;

    /// <summary>Copies a GPU buffer into a mappable one and reads it back.</summary>
    internal static async Task<byte[]> ReadAsync(GPUDevice device, GPUBuffer source, ulong size)
    {
        using var staging = device.CreateBuffer(new GPUBufferDescriptor { Size = size, Usage = GPUBufferUsage.MapRead | GPUBufferUsage.CopyDst });
        var encoder = device.CreateCommandEncoder();
        encoder.CopyBufferToBuffer(source, 0, staging, 0, size);
        device.Queue.Submit(encoder.Finish());
        await staging.MapAsync(GPUMapMode.Read);
        var bytes = staging.GetMappedRange().ToArray();
        staging.Unmap();
        return bytes;
    }

    [Theory]
    [InlineData(4UL)]
    [InlineData(1UL << 10)]
    [InlineData(12345UL * 4)]
    [InlineData(1UL << 24)]
    [InlineData(256UL << 20)]
    public async Task Buffers_round_trip_through_write_copy_map_and_read(ulong size)
    {
        var data = new byte[size];
        new Random((int)(size % int.MaxValue)).NextBytes(data);
        using var buffer = Device.CreateBuffer(new GPUBufferDescriptor { Label = $"round trip {size}", Size = size, Usage = GPUBufferUsage.CopyDst | GPUBufferUsage.CopySrc });
        Device.Queue.WriteBuffer(buffer, 0, data);
        var read = await ReadAsync(Device, buffer, size);
        Assert.True(data.AsSpan().SequenceEqual(read), $"{size} bytes differ after the round trip");
    }

    [Fact]
    public async Task A_buffer_mapped_at_creation_holds_what_was_written()
    {
        using var buffer = Device.CreateBuffer(new GPUBufferDescriptor { Size = 16, Usage = GPUBufferUsage.CopySrc, MappedAtCreation = true });
        new[] { 1, 2, 3, 4 }.CopyTo(MemoryMarshal.Cast<byte, int>(buffer.GetMappedRange()));
        buffer.Unmap();
        var read = await ReadAsync(Device, buffer, 16);
        Assert.Equal(new[] { 1, 2, 3, 4 }, MemoryMarshal.Cast<byte, int>(read).ToArray());
    }

    [Fact]
    public async Task A_wgsl_kernel_computes_saxpy_element_by_element()
    {
        const int N = 1000;
        var x = Enumerable.Range(0, N).Select(i => i * 0.5f).ToArray();
        var y = Enumerable.Range(0, N).Select(i => 1000f - i).ToArray();
        using var module = Device.CreateShaderModule(new GPUShaderModuleDescriptor { Label = "saxpy", Code = Saxpy });
        using var pipeline = await Device.CreateComputePipelineAsync(new GPUComputePipelineDescriptor { Label = "saxpy", Compute = new GPUProgrammableStage { Module = module, EntryPoint = "main" } });
        using var paramsBuffer = Device.CreateBuffer(new GPUBufferDescriptor { Size = 8, Usage = GPUBufferUsage.Uniform | GPUBufferUsage.CopyDst });
        using var xBuffer = Device.CreateBuffer(new GPUBufferDescriptor { Size = N * 4, Usage = GPUBufferUsage.Storage | GPUBufferUsage.CopyDst });
        using var yBuffer = Device.CreateBuffer(new GPUBufferDescriptor { Size = N * 4, Usage = GPUBufferUsage.Storage | GPUBufferUsage.CopyDst | GPUBufferUsage.CopySrc });
        Device.Queue.WriteBuffer(paramsBuffer, 0, [BitConverter.SingleToUInt32Bits(2f), (uint)N]);
        Device.Queue.WriteBuffer<float>(xBuffer, 0, x);
        Device.Queue.WriteBuffer<float>(yBuffer, 0, y);
        using var layout = pipeline.GetBindGroupLayout(0);
        using var group = Device.CreateBindGroup(new GPUBindGroupDescriptor
        {
            Layout = layout,
            Entries = [new() { Binding = 0, Buffer = paramsBuffer }, new() { Binding = 1, Buffer = xBuffer }, new() { Binding = 2, Buffer = yBuffer }],
        });
        var encoder = Device.CreateCommandEncoder("saxpy");
        var pass = encoder.BeginComputePass();
        pass.SetPipeline(pipeline);
        pass.SetBindGroup(0, group);
        pass.DispatchWorkgroups((N + 63) / 64);
        pass.End();
        Device.Queue.Submit(encoder.Finish());
        await Device.Queue.OnSubmittedWorkDoneAsync();
        var result = MemoryMarshal.Cast<byte, float>(await ReadAsync(Device, yBuffer, N * 4)).ToArray();
        for (int i = 0; i < N; i++)
        {
            Assert.Equal(2f * x[i] + y[i], result[i]);
        }
    }

    [Fact]
    public async Task Explicit_layouts_indirect_dispatch_and_clear_work()
    {
        using var module = Device.CreateShaderModule(new GPUShaderModuleDescriptor { Code = """
            @group(0) @binding(0) var<storage, read_write> data: array<u32>;
            @compute @workgroup_size(1) fn fill(@builtin(workgroup_id) id: vec3<u32>) { data[id.x] = id.x + 7u; }
            """ });
        using var bindLayout = Device.CreateBindGroupLayout(new GPUBindGroupLayoutDescriptor
        {
            Entries = [new() { Binding = 0, Buffer = new GPUBufferBindingLayout { Type = GPUBufferBindingType.Storage } }],
        });
        using var pipelineLayout = Device.CreatePipelineLayout(new GPUPipelineLayoutDescriptor { BindGroupLayouts = [bindLayout] });
        using var pipeline = Device.CreateComputePipeline(new GPUComputePipelineDescriptor { Layout = pipelineLayout, Compute = new() { Module = module } });
        using var data = Device.CreateBuffer(new GPUBufferDescriptor { Size = 64, Usage = GPUBufferUsage.Storage | GPUBufferUsage.CopySrc | GPUBufferUsage.CopyDst });
        using var indirect = Device.CreateBuffer(new GPUBufferDescriptor { Size = 12, Usage = GPUBufferUsage.Indirect | GPUBufferUsage.CopyDst });
        Device.Queue.WriteBuffer(data, 0, Enumerable.Repeat(0xFFFFFFFFu, 16).ToArray().AsSpan());
        Device.Queue.WriteBuffer(indirect, 0, [5u, 1u, 1u]);
        using var group = Device.CreateBindGroup(new GPUBindGroupDescriptor { Layout = bindLayout, Entries = [new() { Binding = 0, Buffer = data }] });
        var encoder = Device.CreateCommandEncoder();
        encoder.ClearBuffer(data, 32);
        var pass = encoder.BeginComputePass();
        pass.SetPipeline(pipeline);
        pass.SetBindGroup(0, group);
        pass.DispatchWorkgroupsIndirect(indirect);
        pass.End();
        Device.Queue.Submit(encoder.Finish());
        var values = MemoryMarshal.Cast<byte, uint>(await ReadAsync(Device, data, 64)).ToArray();
        Assert.Equal(new uint[] { 7, 8, 9, 10, 11, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0, 0, 0, 0, 0, 0, 0, 0 }, values);
    }

    [Fact]
    public void A_compile_error_throws_with_the_line_of_the_mistake()
    {
        var e = Assert.Throws<GPUShaderCompilationException>(() => Device.CreateShaderModule(new GPUShaderModuleDescriptor
        {
            Label = "broken",
            Code = "@compute @workgroup_size(1)\nfn main() {\n  let x: f32 = undefined_name;\n}\n",
        }));
        Assert.Contains("undefined_name", e.Message);
        var error = Assert.Single(e.Messages, m => m.Type == GPUCompilationMessageType.Error);
        Assert.Equal(3UL, error.LineNumber);
        Assert.Contains("3:", e.Message);
    }

    [Fact]
    public void Binding_past_the_end_of_a_buffer_throws_a_validation_exception_with_dawns_message()
    {
        using var module = Device.CreateShaderModule(new GPUShaderModuleDescriptor { Code = Saxpy });
        using var pipeline = Device.CreateComputePipeline(new GPUComputePipelineDescriptor { Compute = new() { Module = module } });
        using var layout = pipeline.GetBindGroupLayout(0);
        using var small = Device.CreateBuffer(new GPUBufferDescriptor { Size = 16, Usage = GPUBufferUsage.Storage | GPUBufferUsage.Uniform });
        var e = Assert.Throws<GPUValidationException>(() => Device.CreateBindGroup(new GPUBindGroupDescriptor
        {
            Label = "out of range",
            Layout = layout,
            Entries = [new() { Binding = 0, Buffer = small }, new() { Binding = 1, Buffer = small, Offset = 256, Size = 64 }, new() { Binding = 2, Buffer = small }],
        }));
        Assert.Contains("out of range", e.Message);
    }

    [Fact]
    public async Task Error_scopes_capture_errors_instead_of_throwing()
    {
        Device.PushErrorScope(GPUErrorFilter.Validation);
        using var bad = Device.CreateBuffer(new GPUBufferDescriptor { Size = 6, Usage = GPUBufferUsage.MapRead | GPUBufferUsage.Storage });
        var error = await Device.PopErrorScopeAsync();
        Assert.NotNull(error);
        Assert.Equal(GPUErrorFilter.Validation, error.Kind);
        Device.PushErrorScope(GPUErrorFilter.Validation);
        using var good = Device.CreateBuffer(new GPUBufferDescriptor { Size = 8, Usage = GPUBufferUsage.Storage });
        Assert.Null(await Device.PopErrorScopeAsync());
        Assert.Throws<GPUValidationException>(() => Device.CreateBuffer(new GPUBufferDescriptor { Size = 6, Usage = GPUBufferUsage.MapRead | GPUBufferUsage.Storage }));
    }

    [Fact]
    public async Task Mapping_a_buffer_without_map_usage_fails_with_an_exception()
    {
        using var buffer = Device.CreateBuffer(new GPUBufferDescriptor { Size = 16, Usage = GPUBufferUsage.Storage });
        await Assert.ThrowsAnyAsync<GPUException>(() => buffer.MapAsync(GPUMapMode.Read));
        Assert.Throws<InvalidOperationException>(() => buffer.GetMappedRange());
    }

    [Fact]
    public async Task Timestamp_queries_resolve_when_the_adapter_has_them()
    {
        if (!Device.Features.Contains("timestamp-query"))
        {
            Assert.Throws<NotSupportedException>(() => Device.CreateQuerySet(new GPUQuerySetDescriptor { Type = GPUQueryType.Timestamp, Count = 2 }));
            return;
        }
        using var queries = Device.CreateQuerySet(new GPUQuerySetDescriptor { Type = GPUQueryType.Timestamp, Count = 2 });
        using var resolved = Device.CreateBuffer(new GPUBufferDescriptor { Size = 16, Usage = GPUBufferUsage.QueryResolve | GPUBufferUsage.CopySrc });
        var encoder = Device.CreateCommandEncoder();
        var pass = encoder.BeginComputePass("timed", new GPUComputePassTimestampWrites { QuerySet = queries, BeginningOfPassWriteIndex = 0, EndOfPassWriteIndex = 1 });
        pass.End();
        encoder.ResolveQuerySet(queries, 0, 2, resolved, 0);
        Device.Queue.Submit(encoder.Finish());
        var times = MemoryMarshal.Cast<byte, ulong>(await ReadAsync(Device, resolved, 16)).ToArray();
        Assert.True(times[1] >= times[0]);
    }
}
