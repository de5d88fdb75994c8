using System.Runtime.InteropServices;
using WebGpu;
using WebNN.WebGpu;

namespace WebNN.Tests.WebGpu;

/// <summary>Tensors lent to WebGPU with no copy (the working group's createExportableTensor / exportToGPU).</summary>
[Collection(GpuContextCollection.Name)]
public sealed class InteropTests(GpuContextFixture fixture)
{
    private const string DoubleInPlace = """
        @group(0) @binding(0) var<storage, read_write> data: array<f32>;
        @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3<u32>) {
            if (id.x < arrayLength(&data)) { data[id.x] = data[id.x] * 2.0; }
        }
        """;

    [Fact]
    public async Task A_shader_reads_and_writes_the_tensor_webnn_computed_and_webnn_sees_the_result()
    {
        var context = fixture.Gpu;
        var device = fixture.Device;
        var builder = new MLGraphBuilder(context);
        var x = builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Float32, 100));
        using var graph = await builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = builder.Add(x, x) });
        using var input = await context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [100], writable: true));
        using var output = await context.CreateExportableTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [100], readable: true), device);
        context.WriteTensor<float>(input, Enumerable.Range(0, 100).Select(i => (float)i).ToArray());
        context.Dispatch(graph, new Dictionary<string, MLTensor> { ["x"] = input }, new Dictionary<string, MLTensor> { ["y"] = output });

        var buffer = context.ExportToGpu(output);
        Assert.Same(buffer, context.ExportToGpu(output));
        Assert.True(buffer.Usage.HasFlag(GPUBufferUsage.Storage | GPUBufferUsage.CopySrc | GPUBufferUsage.CopyDst));
        await Assert.ThrowsAsync<ArgumentException>(() => context.ReadTensorAsync(output));
        Assert.Throws<ArgumentException>(() => context.Dispatch(graph, new Dictionary<string, MLTensor> { ["x"] = input }, new Dictionary<string, MLTensor> { ["y"] = output }));

        DoubleOnGpu(device, buffer, 100);
        buffer.Destroy();
        Assert.True(buffer.IsDisposed);

        var result = await context.ReadTensorAsync<float>(output);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => 4f * i), result);
    }

    /// <summary>Submits a shader that doubles <paramref name="count"/> floats of <paramref name="buffer"/> in place.</summary>
    internal static void DoubleOnGpu(GPUDevice device, GPUBuffer buffer, int count)
    {
        using var module = device.CreateShaderModule(new GPUShaderModuleDescriptor { Code = DoubleInPlace });
        using var pipeline = device.CreateComputePipeline(new GPUComputePipelineDescriptor { Compute = new() { Module = module } });
        using var layout = pipeline.GetBindGroupLayout(0);
        using var group = device.CreateBindGroup(new GPUBindGroupDescriptor { Layout = layout, Entries = [new() { Binding = 0, Buffer = buffer, Size = (ulong)count * 4 }] });
        var encoder = device.CreateCommandEncoder();
        var pass = encoder.BeginComputePass();
        pass.SetPipeline(pipeline);
        pass.SetBindGroup(0, group);
        pass.DispatchWorkgroups((uint)(count + 63) / 64);
        pass.End();
        device.Queue.Submit(encoder.Finish());
    }

    [Fact]
    public async Task A_users_buffer_is_imported_as_a_tensor_without_a_copy()
    {
        var context = fixture.Gpu;
        using var userBuffer = fixture.Device.CreateBuffer(new GPUBufferDescriptor { Size = 16, Usage = GPUBufferUsage.Storage | GPUBufferUsage.CopyDst | GPUBufferUsage.CopySrc });
        fixture.Device.Queue.WriteBuffer<float>(userBuffer, 0, new float[] { 1, -2, 3, -4 });
        using var input = context.ImportFromGpu(userBuffer, new MLTensorDescriptor(MLOperandDataType.Float32, [4], readable: true));
        var builder = new MLGraphBuilder(context);
        var x = builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Float32, 4));
        using var graph = await builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = builder.Relu(x) });
        using var output = await context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [4], readable: true));
        context.Dispatch(graph, new Dictionary<string, MLTensor> { ["x"] = input }, new Dictionary<string, MLTensor> { ["y"] = output });
        Assert.Equal(new float[] { 1, 0, 3, 0 }, await context.ReadTensorAsync<float>(output));

        // The same memory: a later WebGPU write shows through the tensor.
        fixture.Device.Queue.WriteBuffer<float>(userBuffer, 0, new float[] { 5, 6, 7, 8 });
        Assert.Equal(new float[] { 5, 6, 7, 8 }, await context.ReadTensorAsync<float>(input));

        Assert.Throws<ArgumentException>(() => context.ImportFromGpu(userBuffer, new MLTensorDescriptor(MLOperandDataType.Float32, [5])));
        using var uniform = fixture.Device.CreateBuffer(new GPUBufferDescriptor { Size = 16, Usage = GPUBufferUsage.Uniform });
        Assert.Throws<ArgumentException>(() => context.ImportFromGpu(uniform, new MLTensorDescriptor(MLOperandDataType.Float32, [4])));
        Assert.Throws<ArgumentException>(() => fixture.Cpu.ImportFromGpu(userBuffer, new MLTensorDescriptor(MLOperandDataType.Float32, [4])));
    }

    [Fact]
    public async Task Exports_are_refused_across_contexts_and_devices()
    {
        using var cpuTensor = await fixture.Cpu.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [4]));
        Assert.Throws<ArgumentException>(() => fixture.Cpu.ExportToGpu(cpuTensor));
        Assert.Throws<ArgumentException>(() => fixture.Gpu.ExportToGpu(cpuTensor));
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Cpu.CreateExportableTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [4]), fixture.Device));
        Assert.Same(fixture.Device, fixture.Gpu.GpuDevice);
        Assert.Null(fixture.Cpu.GpuDevice);
    }
}
