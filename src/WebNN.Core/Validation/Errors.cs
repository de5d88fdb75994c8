using System.Diagnostics.CodeAnalysis;

namespace WebNN.Validation;

/// <summary>
/// The spec's exceptions as .NET exceptions, with messages that name the operation, the argument and
/// the broken rule: TypeError → <see cref="ArgumentException"/>, InvalidStateError →
/// <see cref="InvalidOperationException"/>, NotSupportedError → <see cref="NotSupportedException"/>.
/// </summary>
internal static class Errors
{
    /// <summary>A spec TypeError raised by <paramref name="where"/> (an operation, with its label if any).</summary>
    public static ArgumentException Type(string where, string message) => new($"{where}: {message}");

    /// <summary>A spec InvalidStateError.</summary>
    public static InvalidOperationException InvalidState(string where, string message) => new($"{where}: {message}");

    /// <summary>A spec NotSupportedError.</summary>
    public static NotSupportedException NotSupported(string where, string message) => new($"{where}: {message}");

    [DoesNotReturn]
    public static void ThrowType(string where, string message) => throw Type(where, message);

    /// <summary>The operation's name with its label, as messages show it: <c>conv2d 'stem'</c>.</summary>
    public static string DisplayName(string operatorName, string? label) =>
        string.IsNullOrEmpty(label) ? operatorName : $"{operatorName} '{Sanitize(label)}'";

    /// <summary>Drops control and bidirectional-override characters from user labels (spec advisement).</summary>
    private static string Sanitize(string label) =>
        string.Concat(label.Where(c => !char.IsControl(c) && c is not (>= '\u202A' and <= '\u202E') and not (>= '\u2066' and <= '\u2069')));
}
