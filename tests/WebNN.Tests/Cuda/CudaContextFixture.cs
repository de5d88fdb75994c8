using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.Cuda;

/// <summary>
/// A context on the cuda backend, asked for by name, and a CPU context to compare with. Where the backend cannot
/// run (no NVIDIA GPU or CUDA libraries, as in CI) the tests that need it skip with the backend's reason.
/// </summary>
public sealed class CudaContextFixture : IAsyncLifetime
{
    private MLContext? _cuda;
    private string _unavailable = "";

    public MLContext Cpu { get; private set; } = null!;

    /// <summary>The cuda context; skips the calling test when there is none.</summary>
    public MLContext Cuda
    {
        get
        {
            if (_cuda is null)
            {
                Assert.Skip($"The cuda backend cannot run on this machine ({_unavailable}); the CUDA tests run on a machine with an NVIDIA GPU, its driver, cuDNN 9, cuBLAS 13 and NVRTC 13.");
            }
            return _cuda;
        }
    }

    public async ValueTask InitializeAsync()
    {
        Cpu = await ML.CreateContextAsync(new MLContextOptions { Accelerated = false });
        var cuda = ML.EnumerateBackends().Single(b => b.Name == "cuda");
        if (cuda.Available)
        {
            _cuda = await ML.CreateContextAsync(new MLContextOptions { Backend = "cuda" });
        }
        else
        {
            _unavailable = cuda.Description;
        }
    }

    public ValueTask DisposeAsync()
    {
        _cuda?.Dispose();
        Cpu?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Builds the same float32 graph on both contexts, runs it on the same inputs, and returns both outputs.</summary>
    public async Task<(float[] Cuda, float[] Cpu)> RunBothAsync(Func<MLGraphBuilder, MLOperand[], MLOperand> build, params (int[] Shape, float[] Values)[] inputs)
    {
        var cuda = Cuda;
        var typed = inputs.Select(input => Input.Floats(input.Shape, input.Values)).ToArray();
        var onCuda = await RunOutputsAsync(cuda, (g, x) => [build(g, x)], typed);
        var onCpu = await RunOutputsAsync(Cpu, (g, x) => [build(g, x)], typed);
        return ((float[])onCuda[0], (float[])onCpu[0]);
    }

    /// <summary>Runs the graph (inputs of any type) on both contexts and asserts that the results are equal, element for element.</summary>
    internal async Task AssertEqualAsync(Func<MLGraphBuilder, MLOperand[], MLOperand> build, params Input[] inputs)
    {
        var onCuda = await RunOutputsAsync(Cuda, (g, x) => [build(g, x)], inputs);
        var onCpu = await RunOutputsAsync(Cpu, (g, x) => [build(g, x)], inputs);
        Assert.Equal(onCpu[0].GetType(), onCuda[0].GetType());
        Assert.Equal(onCpu[0].Cast<object>(), onCuda[0].Cast<object>());
    }

    /// <summary>Runs the graph on both contexts and asserts that the results agree to <paramref name="tolerance"/> (relative, see <see cref="AssertClose"/>).</summary>
    public async Task AssertSameAsync(Func<MLGraphBuilder, MLOperand[], MLOperand> build, double tolerance, params (int[] Shape, float[] Values)[] inputs)
    {
        var (cuda, cpu) = await RunBothAsync(build, inputs);
        AssertClose([.. cpu.Select(v => (double)v)], cuda, tolerance);
    }
}

[CollectionDefinition(Name)]
public sealed class CudaContextCollection : ICollectionFixture<CudaContextFixture>
{
    public const string Name = "webnn on cuda";
}
