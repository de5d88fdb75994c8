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

    /// <summary>A cuda context that allows TF32 (<see cref="MLContextOptions.AllowTf32"/>); skips the calling test when there is none.</summary>
    public MLContext CudaTf32
    {
        get
        {
            _ = Cuda;
            return _cudaTf32!;
        }
    }

    private MLContext? _cudaTf32;

    public async ValueTask InitializeAsync()
    {
        Cpu = await ML.CreateContextAsync(new MLContextOptions { Accelerated = false });
        var cuda = ML.EnumerateBackends().Single(b => b.Name == "cuda");
        if (cuda.Available)
        {
            _cuda = await ML.CreateContextAsync(new MLContextOptions { Backend = "cuda" });
            _cudaTf32 = await ML.CreateContextAsync(new MLContextOptions { Backend = "cuda", AllowTf32 = true });
        }
        else
        {
            _unavailable = cuda.Description;
        }
    }

    public ValueTask DisposeAsync()
    {
        _cudaTf32?.Dispose();
        _cuda?.Dispose();
        Cpu?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The tolerance of float16 results (relative, as in <see cref="AssertClose"/>): about four float16 ulps (2⁻¹⁰ each), for
    /// results that both backends compute in float32 from the same float16 values but round at different steps or sum in
    /// another order. Exact comparisons stay exact.
    /// </summary>
    public const double Float16Tolerance = 4e-3;

    /// <summary>Builds the same graph on both contexts, runs it on the same inputs (float32 values, rounded for a float16 graph), and returns both outputs as float32.</summary>
    public async Task<(float[] Cuda, float[] Cpu)> RunBothAsync(Func<MLGraphBuilder, MLOperand[], MLOperand> build, MLOperandDataType dataType, params (int[] Shape, float[] Values)[] inputs)
    {
        var cuda = Cuda;
        var typed = inputs.Select(input => new Input(dataType, input.Shape, FloatValues(dataType, input.Values))).ToArray();
        var onCuda = await RunOutputsAsync(cuda, (g, x) => [build(g, x)], typed);
        var onCpu = await RunOutputsAsync(Cpu, (g, x) => [build(g, x)], typed);
        return (Floats(onCuda[0]), Floats(onCpu[0]));
    }

    /// <summary>Runs the graph (inputs of any type) on both contexts and asserts that the results are equal, element for element.</summary>
    internal async Task AssertEqualAsync(Func<MLGraphBuilder, MLOperand[], MLOperand> build, params Input[] inputs)
    {
        var onCuda = await RunOutputsAsync(Cuda, (g, x) => [build(g, x)], inputs);
        var onCpu = await RunOutputsAsync(Cpu, (g, x) => [build(g, x)], inputs);
        Assert.Equal(onCpu[0].GetType(), onCuda[0].GetType());
        Assert.Equal(onCpu[0].Cast<object>(), onCuda[0].Cast<object>());
    }

    /// <summary>Runs the float32 graph on both contexts and asserts that the results agree to <paramref name="tolerance"/> (relative, see <see cref="AssertClose"/>).</summary>
    public Task AssertSameAsync(Func<MLGraphBuilder, MLOperand[], MLOperand> build, double tolerance, params (int[] Shape, float[] Values)[] inputs) =>
        AssertSameAsync(build, tolerance, MLOperandDataType.Float32, inputs);

    /// <summary>
    /// Runs the graph of <paramref name="dataType"/> (float32 or float16) on both contexts and asserts that the results agree to
    /// <paramref name="tolerance"/>, for float16 to at least <see cref="Float16Tolerance"/> unless the tolerance is 0.
    /// </summary>
    public async Task AssertSameAsync(Func<MLGraphBuilder, MLOperand[], MLOperand> build, double tolerance, MLOperandDataType dataType, params (int[] Shape, float[] Values)[] inputs)
    {
        var (cuda, cpu) = await RunBothAsync(build, dataType, inputs);
        bool half = dataType == MLOperandDataType.Float16 && tolerance > 0;
        AssertClose([.. cpu.Select(v => (double)v)], cuda, half ? Math.Max(tolerance, Float16Tolerance) : tolerance);
    }

    /// <summary>Every data type, for tests of the operations that take them all.</summary>
    public static TheoryData<MLOperandDataType> AllTypes() => [.. MLOperandDataTypes.All];

    /// <summary>float32 values as an array of <paramref name="dataType"/>'s elements: as they are, or rounded to float16.</summary>
    public static Array FloatValues(MLOperandDataType dataType, float[] values) => dataType switch
    {
        MLOperandDataType.Float32 => values,
        MLOperandDataType.Float16 => values.Select(v => (Half)v).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), $"{dataType} is not a float type."),
    };

    /// <summary>
    /// Seeded values of any data type, spread over its range (integers of 64 bits beyond 32, small ones wrapping), with
    /// repeats so that comparisons meet equal elements.
    /// </summary>
    public static Array Values(MLOperandDataType dataType, int seed, int count)
    {
        var random = new Random(seed);
        var raw = Enumerable.Range(0, count).Select(_ => random.Next(8) == 0 ? 3L : random.NextInt64(-(1L << 40), 1L << 40)).ToArray();
        return dataType switch
        {
            MLOperandDataType.Float32 => raw.Select(v => v / (float)(1L << 36)).ToArray(),
            MLOperandDataType.Float16 => raw.Select(v => (Half)(v / (float)(1L << 36))).ToArray(),
            MLOperandDataType.Int32 => raw.Select(v => (int)v).ToArray(),
            MLOperandDataType.Uint32 => raw.Select(v => (uint)v).ToArray(),
            MLOperandDataType.Int64 => raw,
            MLOperandDataType.Uint64 => raw.Select(v => (ulong)v).ToArray(),
            MLOperandDataType.Int8 => raw.Select(v => (sbyte)v).ToArray(),
            _ => raw.Select(v => (byte)v).ToArray(),
        };
    }
}

[CollectionDefinition(Name)]
public sealed class CudaContextCollection : ICollectionFixture<CudaContextFixture>
{
    public const string Name = "webnn on cuda";
}
