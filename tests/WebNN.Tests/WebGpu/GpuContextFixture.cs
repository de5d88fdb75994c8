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
    internal async Task<(Array[] Gpu, Array[] Cpu)> RunBothAsync(Func<MLGraphBuilder, MLOperand[], MLOperand[]> build, params Input[] inputs) =>
        (await RunOutputsAsync(Gpu, build, inputs), await RunOutputsAsync(Cpu, build, inputs));
}

[CollectionDefinition(Name)]
public sealed class GpuContextCollection : ICollectionFixture<GpuContextFixture>
{
    public const string Name = "webnn on webgpu";
}
