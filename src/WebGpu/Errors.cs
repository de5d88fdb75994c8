namespace WebGpu;

/// <summary>A WebGPU failure reported by Dawn.</summary>
public class GPUException : Exception
{
    /// <summary>Creates the exception with Dawn's message.</summary>
    public GPUException(string message)
        : base(message)
    {
    }
}

/// <summary>A call broke WebGPU's validation rules (GPUValidationError); the message is Dawn's.</summary>
public sealed class GPUValidationException(string message) : GPUException(message);

/// <summary>An allocation failed (GPUOutOfMemoryError).</summary>
public sealed class GPUOutOfMemoryException(string message) : GPUException(message);

/// <summary>Dawn failed internally (GPUInternalError).</summary>
public sealed class GPUInternalException(string message) : GPUException(message);

/// <summary>A WGSL shader failed to compile; <see cref="Messages"/> has each diagnostic with its line.</summary>
public sealed class GPUShaderCompilationException(string message, IReadOnlyList<GPUCompilationMessage> messages) : GPUException(message)
{
    /// <summary>The compiler's diagnostics.</summary>
    public IReadOnlyList<GPUCompilationMessage> Messages { get; } = messages;
}

/// <summary>The kinds of error (WebGPU's GPUErrorFilter).</summary>
public enum GPUErrorFilter
{
    /// <summary>Validation errors.</summary>
    Validation = 1,
    /// <summary>Out-of-memory errors.</summary>
    OutOfMemory = 2,
    /// <summary>Internal errors.</summary>
    Internal = 3,
}

/// <summary>An error captured by an error scope: its kind and Dawn's message.</summary>
public sealed record GPUError(GPUErrorFilter Kind, string Message)
{
    internal GPUException ToException() => Kind switch
    {
        GPUErrorFilter.OutOfMemory => new GPUOutOfMemoryException(Message),
        GPUErrorFilter.Internal => new GPUInternalException(Message),
        _ => new GPUValidationException(Message),
    };

    /// <summary>The error of Dawn's WGPUErrorType, or null for NoError.</summary>
    internal static GPUError? FromDawn(uint type, string message) => type switch
    {
        2 => new GPUError(GPUErrorFilter.Validation, message),
        3 => new GPUError(GPUErrorFilter.OutOfMemory, message),
        4 or 5 => new GPUError(GPUErrorFilter.Internal, message),
        _ => null,
    };
}
