using WebGpu;

namespace WebGpu.Tests;

/// <summary>
/// One adapter and device for the test suite. With no usable adapter the tests fail with how to get
/// one: CI installs Mesa's lavapipe (.ci/install-vulkan.sh), so every test really runs on a GPU API.
/// </summary>
public sealed class GpuFixture : IAsyncLifetime
{
    public GPUAdapter Adapter { get; private set; } = null!;

    public GPUDevice Device { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Adapter = await GPU.RequestAdapterAsync()
            ?? throw new InvalidOperationException(
                "No WebGPU adapter: Dawn found no Vulkan driver. Install Mesa's lavapipe with `sudo bash .ci/install-vulkan.sh` (Debian 12: mesa-vulkan-drivers from bookworm-backports) or run on a machine with a GPU.");
        Device = await Adapter.RequestDeviceAsync(new GPUDeviceDescriptor
        {
            Label = "tests",
            RequiredFeatures = Adapter.Features.Contains("timestamp-query") ? ["timestamp-query"] : [],
        });
    }

    public ValueTask DisposeAsync()
    {
        Device?.Dispose();
        Adapter?.Dispose();
        return ValueTask.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class GpuCollection : ICollectionFixture<GpuFixture>
{
    public const string Name = "gpu";
}
