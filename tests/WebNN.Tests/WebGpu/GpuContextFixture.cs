using WebGpu;
using WebNN.WebGpu;

namespace WebNN.Tests.WebGpu;

/// <summary>A WebNN context on a WebGPU device (lavapipe in CI) and a CPU context to compare with.</summary>
public sealed class GpuContextFixture : IAsyncLifetime
{
    public GPUDevice Device { get; private set; } = null!;

    public MLContext Gpu { get; private set; } = null!;

    public MLContext Cpu { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var adapter = await GPU.RequestAdapterAsync()
            ?? throw new InvalidOperationException("No WebGPU adapter: install lavapipe with `sudo bash .ci/install-vulkan.sh`.");
        Device = await adapter.RequestDeviceAsync();
        Gpu = await ML.CreateContextAsync(Device);
        Cpu = await ML.CreateContextAsync(new MLContextOptions { Accelerated = false });
    }

    public ValueTask DisposeAsync()
    {
        Gpu?.Dispose();
        Cpu?.Dispose();
        Device?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Builds the same graph on both contexts, runs it on the same inputs, and returns both outputs.</summary>
    public async Task<(float[] Gpu, float[] Cpu)> RunBothAsync(Func<MLGraphBuilder, MLOperand[], MLOperand> build, params (int[] Shape, float[] Values)[] inputs)
    {
        async Task<float[]> RunAsync(MLContext context)
        {
            var builder = new MLGraphBuilder(context);
            var operands = inputs.Select((input, i) => builder.Input($"x{i}", new MLOperandDescriptor(MLOperandDataType.Float32, input.Shape))).ToArray();
            using var graph = await builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = build(builder, operands) });
            var results = await context.ComputeAsync(graph, inputs.Select((input, i) => (Name: $"x{i}", (Array)input.Values)).ToDictionary(p => p.Name, p => p.Item2));
            return (float[])results["y"];
        }
        return (await RunAsync(Gpu), await RunAsync(Cpu));
    }
}

[CollectionDefinition(Name)]
public sealed class GpuContextCollection : ICollectionFixture<GpuContextFixture>
{
    public const string Name = "webnn on webgpu";
}
