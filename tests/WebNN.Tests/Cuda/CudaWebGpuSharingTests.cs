using WebGpu;
using WebNN.Tests.WebGpu;
using WebNN.WebGpu;

namespace WebNN.Tests.Cuda;

/// <summary>
/// A cuda tensor lent to WebGPU through pinned host memory that a buffer of the device wraps (createExportableTensor /
/// exportToGPU): no explicit copy on either side, each API's work ordered before the other's (run on an NVIDIA GPU).
/// </summary>
[Collection(CudaContextCollection.Name)]
public sealed class CudaWebGpuSharingTests(CudaContextFixture fixture)
{
    [Fact]
    public async Task A_shader_reads_and_writes_the_tensor_cuda_computed_and_cuda_sees_the_result()
    {
        var context = fixture.Cuda;
        using var device = await HostMappingDeviceAsync();
        var builder = new MLGraphBuilder(context);
        var x = builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Float32, 100));
        using var graph = await builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = builder.Add(x, x) });
        using var input = await context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [100], writable: true));
        using var output = await context.CreateExportableTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [100], readable: true), device);
        context.WriteTensor<float>(input, Enumerable.Range(0, 100).Select(i => (float)i).ToArray());
        var inputs = new Dictionary<string, MLTensor> { ["x"] = input };
        var outputs = new Dictionary<string, MLTensor> { ["y"] = output };
        context.Dispatch(graph, inputs, outputs);

        var buffer = context.ExportToGpu(output);
        Assert.Same(buffer, context.ExportToGpu(output));
        Assert.Same(device, buffer.Device);
        await Assert.ThrowsAsync<ArgumentException>(() => context.ReadTensorAsync(output));
        Assert.Throws<ArgumentException>(() => context.Dispatch(graph, inputs, outputs));
        InteropTests.DoubleOnGpu(device, buffer, 100);
        buffer.Destroy();

        Assert.Equal(Enumerable.Range(0, 100).Select(i => 4f * i), await context.ReadTensorAsync<float>(output));
        // Dispatching again overwrites what WebGPU wrote, after WebGPU's work is done.
        context.Dispatch(graph, inputs, outputs);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => 2f * i), await context.ReadTensorAsync<float>(output));
    }

    [Fact]
    public async Task Only_exportable_tensors_are_lent_and_only_to_a_device_that_can_wrap_host_memory()
    {
        var context = fixture.Cuda;
        var descriptor = new MLTensorDescriptor(MLOperandDataType.Float32, [4]);
        using var ordinary = await context.CreateTensorAsync(descriptor);
        Assert.Contains("createExportableTensor", Assert.Throws<ArgumentException>(() => context.ExportToGpu(ordinary)).Message);

        using var adapter = await GPU.RequestAdapterAsync() ?? throw new InvalidOperationException("no WebGPU adapter");
        using var plain = await adapter.RequestDeviceAsync();
        var refused = await Assert.ThrowsAsync<NotSupportedException>(() => context.CreateExportableTensorAsync(descriptor, plain));
        Assert.Contains(HostMappedMemory.Feature, refused.Message);
    }

    private static async Task<GPUDevice> HostMappingDeviceAsync()
    {
        var adapter = await GPU.RequestAdapterAsync(new GPURequestAdapterOptions { EnabledToggles = [HostMappedMemory.AdapterToggle] })
            ?? throw new InvalidOperationException("no WebGPU adapter");
        if (!adapter.Features.Contains(HostMappedMemory.Feature))
        {
            Assert.Skip($"The WebGPU adapter ({adapter.Info.Description}) lacks \"{HostMappedMemory.Feature}\", through which a cuda tensor is lent to WebGPU.");
        }
        return await adapter.RequestDeviceAsync(new GPUDeviceDescriptor { RequiredFeatures = [HostMappedMemory.Feature] });
    }
}
