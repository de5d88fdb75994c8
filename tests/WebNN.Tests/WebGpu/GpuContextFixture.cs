using WebGpu;
using WebNN.WebGpu;
using static WebNN.Tests.Cpu.CpuGraphRunner;

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

    /// <summary>Builds the same float32 graph on both contexts, runs it on the same inputs, and returns both outputs.</summary>
    public async Task<(float[] Gpu, float[] Cpu)> RunBothAsync(Func<MLGraphBuilder, MLOperand[], MLOperand> build, params (int[] Shape, float[] Values)[] inputs)
    {
        var (gpu, cpu) = await RunBothAsync((builder, operands) => [build(builder, operands)], inputs.Select(input => Input.Floats(input.Shape, input.Values)).ToArray());
        return ((float[])gpu[0], (float[])cpu[0]);
    }

    /// <summary>Builds the same graph (inputs of any data type, one or more outputs) on both contexts, runs it on the same inputs, and returns both sets of outputs.</summary>
    internal async Task<(Array[] Gpu, Array[] Cpu)> RunBothAsync(Func<MLGraphBuilder, MLOperand[], MLOperand[]> build, params Input[] inputs)
    {
        async Task<Array[]> RunAsync(MLContext context)
        {
            var builder = new MLGraphBuilder(context);
            var operands = inputs.Select((input, i) => builder.Input($"x{i}", new MLOperandDescriptor(input.DataType, input.Shape))).ToArray();
            var outputs = build(builder, operands);
            using var graph = await builder.BuildAsync(outputs.Select((output, i) => (Name: $"y{i}", output)).ToDictionary(p => p.Name, p => p.output));
            var results = await context.ComputeAsync(graph, inputs.Select((input, i) => (Name: $"x{i}", input.Values)).ToDictionary(p => p.Name, p => p.Values));
            return outputs.Select((_, i) => results[$"y{i}"]).ToArray();
        }
        return (await RunAsync(Gpu), await RunAsync(Cpu));
    }

    /// <summary>Asserts that both backends gave the same outputs, element for element, of the same types.</summary>
    internal static void AssertIdentical(Array[] cpu, Array[] gpu)
    {
        Assert.Equal(cpu.Length, gpu.Length);
        for (int i = 0; i < cpu.Length; i++)
        {
            Assert.Equal(cpu[i].GetType(), gpu[i].GetType());
            Assert.Equal(cpu[i].Cast<object>(), gpu[i].Cast<object>());
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GpuContextCollection : ICollectionFixture<GpuContextFixture>
{
    public const string Name = "webnn on webgpu";
}
