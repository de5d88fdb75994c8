using System.Reflection;
using WebNN.Validation;

namespace WebNN.Tests.Validation;

public sealed class OperationSetTests
{
    /// <summary>The spec's operator names, from its tensor-limits tables (one per builder operation).</summary>
    private static IEnumerable<string> SpecOperators => SpecTensorLimits.ByOperator.Keys;

    [Fact]
    public void The_spec_has_95_operations()
    {
        Assert.Equal(95, SpecOperators.Count());
    }

    [Fact]
    public void Every_spec_operation_has_a_builder_method_named_after_it()
    {
        var methods = typeof(MLGraphBuilder).GetMethods(BindingFlags.Public | BindingFlags.Instance).Select(m => m.Name).ToHashSet();
        var missing = SpecOperators.Where(op => !methods.Contains(char.ToUpperInvariant(op[0]) + op[1..])).ToList();
        Assert.Empty(missing);
    }
}
