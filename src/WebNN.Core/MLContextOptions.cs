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
}

/// <summary>Why a context was lost (spec: <c>MLContextLostInfo</c>).</summary>
public sealed record MLContextLostInfo(string Message);
