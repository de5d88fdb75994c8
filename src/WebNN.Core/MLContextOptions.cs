namespace WebNN;

/// <summary>How a context trades speed for power (spec: <c>MLPowerPreference</c>).</summary>
public enum MLPowerPreference
{
    /// <summary>The implementation chooses.</summary>
    Default,
    /// <summary>Prefer the fastest device.</summary>
    HighPerformance,
    /// <summary>Prefer the device that uses the least power.</summary>
    LowPower,
}

/// <summary>Options of <see cref="ML.CreateContextAsync(MLContextOptions?)"/> (spec: <c>MLContextOptions</c>).</summary>
public sealed class MLContextOptions
{
    /// <summary>The power preference; ranks above <see cref="Accelerated"/>.</summary>
    public MLPowerPreference PowerPreference { get; init; } = MLPowerPreference.Default;

    /// <summary>False asks for the CPU; true (the default) allows an accelerator where one exists.</summary>
    public bool Accelerated { get; init; } = true;

    /// <summary>
    /// An extension of the spec: the name of the backend to use ("cpu", "webgpu", "cuda"; see
    /// <see cref="ML.EnumerateBackends"/>), or null (the default) to let <see cref="PowerPreference"/> and
    /// <see cref="Accelerated"/> choose. Creating the context fails with the backend's reason when it is absent or
    /// cannot run here.
    /// </summary>
    public string? Backend { get; init; }

    /// <summary>
    /// An extension of the spec: lets a backend compute float32 convolutions and matrix products on tensor cores in
    /// TF32 (inputs rounded to 10 mantissa bits, about 1e-3 relative error), which is several times faster but outside
    /// the spec's float32 tolerances. Default false. Only the cuda backend reads it.
    /// </summary>
    public bool AllowTf32 { get; init; }
}

/// <summary>Why a context was lost (spec: <c>MLContextLostInfo</c>).</summary>
public sealed record MLContextLostInfo(string Message);
