namespace WebNN.Graph;

/// <summary>An operand an operator reads, with the spec's name of the argument it is passed as.</summary>
internal readonly record struct OperatorInput(string Argument, MLOperand Operand);

/// <summary>
/// One operation in the graph IR (spec: "operator"): its spec name ("conv2d"), its operand inputs
/// (positional arguments, then operands passed in options, each with its argument name), its
/// attributes (the validated options with every default resolved: an operator-specific record such
/// as <c>Conv2dAttributes</c>, or null), and the operands it produces.
/// Backends read this; they never re-validate it.
/// </summary>
internal sealed class MLOperator
{
    public MLOperator(string name, string label, IReadOnlyList<OperatorInput> inputs, object? attributes)
    {
        Name = name;
        Label = label;
        Inputs = inputs;
        Attributes = attributes;
    }

    /// <summary>The spec's operator name, e.g. "conv2d".</summary>
    public string Name { get; }

    /// <summary>The user's label (<see cref="MLOperatorOptions.Label"/>), or empty.</summary>
    public string Label { get; }

    /// <summary>Every operand this operator reads, in a fixed order per operator.</summary>
    public IReadOnlyList<OperatorInput> Inputs { get; }

    /// <summary>The operator's resolved attributes, or null when it has none.</summary>
    public object? Attributes { get; }

    /// <summary>The operands it produces, in the order the builder method returns them.</summary>
    public IReadOnlyList<MLOperand> Outputs { get; internal set; } = [];

    /// <summary>The input passed as <paramref name="argument"/>, or null when it was not given.</summary>
    public MLOperand? Input(string argument)
    {
        foreach (var input in Inputs)
        {
            if (input.Argument == argument)
            {
                return input.Operand;
            }
        }
        return null;
    }

    /// <summary>The attributes as <typeparamref name="T"/>.</summary>
    public T AttributesAs<T>() where T : class =>
        Attributes as T ?? throw new InvalidOperationException($"{Name}: attributes are {Attributes?.GetType().Name ?? "null"}, not {typeof(T).Name}.");

    /// <summary>The operator's name and label, as error messages show it.</summary>
    public string DisplayName => Label.Length == 0 ? Name : $"{Name} '{Label}'";

    /// <inheritdoc/>
    public override string ToString() => DisplayName;
}
