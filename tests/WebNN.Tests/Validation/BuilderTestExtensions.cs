using System.Reflection;
using System.Runtime.ExceptionServices;

namespace WebNN.Tests.Validation;

/// <summary>Helpers that keep validation tests to one line per rule.</summary>
internal static class BuilderTestExtensions
{
    /// <summary>A fresh graph input of <paramref name="type"/> and <paramref name="shape"/>.</summary>
    public static MLOperand Operand(this MLGraphBuilder builder, MLOperandDataType type, params int[] shape) =>
        builder.Input($"x{Guid.NewGuid():N}", new MLOperandDescriptor(type, shape));

    /// <summary>A fresh float32 graph input of <paramref name="shape"/>.</summary>
    public static MLOperand F32(this MLGraphBuilder builder, params int[] shape) => builder.Operand(MLOperandDataType.Float32, shape);

    /// <summary>Calls the builder method named <paramref name="method"/> (PascalCase), passing missing trailing options as null; rethrows its exception as is.</summary>
    public static MLOperand Call(this MLGraphBuilder builder, string method, params object?[] arguments)
    {
        var info = typeof(MLGraphBuilder).GetMethod(method) ?? throw new ArgumentException($"MLGraphBuilder has no method {method}.", nameof(method));
        var parameters = info.GetParameters();
        var padded = new object?[parameters.Length];
        Array.Copy(arguments, padded, arguments.Length);
        try
        {
            return (MLOperand)info.Invoke(builder, padded)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>The resolved attributes of the operator that computes <paramref name="output"/>.</summary>
    public static T Attributes<T>(this MLOperand output) where T : class => output.Operator!.AttributesAs<T>();
}
