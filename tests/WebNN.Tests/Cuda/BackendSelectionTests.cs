using WebNN.Backends;

namespace WebNN.Tests.Cuda;

/// <summary>How context options choose between backends, the cuda backend among them (no GPU needed).</summary>
public sealed class BackendSelectionTests
{
    private sealed class FakeProvider(string name, MLDeviceKind kind, bool available = true, bool vendor = false) : IBackendProvider
    {
        public string Name => name;

        public bool Accelerated => kind != MLDeviceKind.Cpu;

        public bool PreferredForHighPerformance => vendor;

        public BackendAvailability Probe() => new(available, name, kind);

        public Task<IBackendContext> CreateContextAsync(MLContextOptions options) => throw new NotSupportedException();
    }

    private static readonly IBackendProvider[] Providers =
    [
        new FakeProvider("cpu", MLDeviceKind.Cpu),
        new FakeProvider("webgpu", MLDeviceKind.DiscreteGpu),
        new FakeProvider("cuda", MLDeviceKind.DiscreteGpu, vendor: true),
    ];

    private static string[] Ranked(MLContextOptions options, IBackendProvider[] providers) => [.. ML.Rank(options, providers).Select(p => p.Name)];

    [Fact]
    public void High_performance_prefers_the_vendor_backend_on_the_same_kind_of_device()
    {
        Assert.Equal(["cuda", "webgpu", "cpu"], Ranked(new MLContextOptions { PowerPreference = MLPowerPreference.HighPerformance }, Providers));
        Assert.Equal(["webgpu", "cuda", "cpu"], Ranked(new MLContextOptions(), Providers));
        Assert.Equal(["cpu"], Ranked(new MLContextOptions { PowerPreference = MLPowerPreference.HighPerformance, Accelerated = false }, Providers));
    }

    [Fact]
    public void An_unavailable_vendor_backend_is_passed_over()
    {
        IBackendProvider[] providers = [Providers[0], Providers[1], new FakeProvider("cuda", MLDeviceKind.DiscreteGpu, available: false, vendor: true)];
        Assert.Equal(["webgpu", "cpu"], Ranked(new MLContextOptions { PowerPreference = MLPowerPreference.HighPerformance }, providers));
    }

    [Fact]
    public async Task A_backend_asked_for_by_name_is_used_or_refused_with_the_reason()
    {
        using var cpu = await ML.CreateContextAsync(new MLContextOptions { Backend = "cpu" });
        Assert.Equal("cpu", cpu.BackendName);
        var absent = await Assert.ThrowsAsync<NotSupportedException>(() => ML.CreateContextAsync(new MLContextOptions { Backend = "tpu" }));
        Assert.Contains("no backend is named 'tpu'", absent.Message);
        Assert.Contains("cuda", absent.Message);
    }

    [Fact]
    public async Task The_cuda_backend_is_listed_with_what_it_found()
    {
        var cuda = ML.EnumerateBackends().Single(b => b.Name == "cuda");
        Assert.True(cuda.Accelerated);
        if (cuda.Available)
        {
            Assert.StartsWith("CUDA: ", cuda.Description);
            Assert.Contains("cuDNN 9.", cuda.Description);
            using var context = await ML.CreateContextAsync(new MLContextOptions { PowerPreference = MLPowerPreference.HighPerformance });
            Assert.Equal("cuda", context.BackendName);
            return;
        }
        // Without the driver (CI) the reason names what is missing, and asking for the backend says so.
        Assert.StartsWith("no CUDA context: ", cuda.Description);
        var refused = await Assert.ThrowsAsync<NotSupportedException>(() => ML.CreateContextAsync(new MLContextOptions { Backend = "cuda" }));
        Assert.Contains(cuda.Description, refused.Message);
    }
}
