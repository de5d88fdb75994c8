namespace WebNN.Graph;

/// <summary>
/// A built graph as backends see it: the operators reachable from the outputs in a topological
/// order, the inputs and constants they read, and the named outputs.
/// </summary>
internal sealed class GraphDescription
{
    public GraphDescription(
        IReadOnlyDictionary<string, MLOperand> inputs,
        IReadOnlyList<MLOperand> constants,
        IReadOnlyList<MLOperator> operators,
        IReadOnlyDictionary<string, MLOperand> outputs)
    {
        Inputs = inputs;
        Constants = constants;
        Operators = operators;
        Outputs = outputs;
    }

    /// <summary>Graph inputs by name.</summary>
    public IReadOnlyDictionary<string, MLOperand> Inputs { get; }

    /// <summary>Constants the operators read.</summary>
    public IReadOnlyList<MLOperand> Constants { get; }

    /// <summary>Operators in an order where every operator follows those that produce its inputs.</summary>
    public IReadOnlyList<MLOperator> Operators { get; }

    /// <summary>Graph outputs by name.</summary>
    public IReadOnlyDictionary<string, MLOperand> Outputs { get; }

    /// <summary>
    /// The operators in order, each one that <paramref name="replacements"/> names taking its replacement's place (a null
    /// replacement drops it).
    /// </summary>
    public List<MLOperator> ReplaceOperators(IReadOnlyDictionary<MLOperator, MLOperator?> replacements)
    {
        var operators = new List<MLOperator>();
        foreach (var op in Operators)
        {
            if (!replacements.TryGetValue(op, out var replacement))
            {
                operators.Add(op);
            }
            else if (replacement is not null)
            {
                operators.Add(replacement);
            }
        }
        return operators;
    }

    /// <summary>How many operator inputs read each operand (graph outputs count as readers too).</summary>
    public Dictionary<MLOperand, int> CountReaders()
    {
        var counts = new Dictionary<MLOperand, int>(ReferenceEqualityComparer.Instance);
        foreach (var op in Operators)
        {
            foreach (var input in op.Inputs)
            {
                counts[input.Operand] = counts.GetValueOrDefault(input.Operand) + 1;
            }
        }
        foreach (var output in Outputs.Values)
        {
            counts[output] = counts.GetValueOrDefault(output) + 1;
        }
        return counts;
    }

    /// <summary>
    /// Collects what <paramref name="outputs"/> depend on and orders it (spec: build's graph walk,
    /// then a depth-first post-order so that producers come first).
    /// </summary>
    public static GraphDescription Collect(IReadOnlyDictionary<string, MLOperand> outputs)
    {
        var inputs = new SortedDictionary<string, MLOperand>(StringComparer.Ordinal);
        var constants = new List<MLOperand>();
        var order = new List<MLOperator>();
        var visitedOperands = new HashSet<MLOperand>(ReferenceEqualityComparer.Instance);
        var visitedOperators = new HashSet<MLOperator>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(MLOperand Operand, bool Expanded)>();
        foreach (var output in outputs.Values)
        {
            stack.Push((output, false));
        }
        while (stack.Count > 0)
        {
            var (operand, expanded) = stack.Pop();
            var op = operand.Operator;
            if (expanded)
            {
                if (op is not null && visitedOperators.Add(op))
                {
                    order.Add(op);
                }
                continue;
            }
            if (!visitedOperands.Add(operand))
            {
                continue;
            }
            if (operand.IsInput)
            {
                inputs[operand.InputName!] = operand;
            }
            else if (operand.IsConstant)
            {
                constants.Add(operand);
            }
            if (op is null)
            {
                continue;
            }
            stack.Push((operand, true));
            for (int i = op.Inputs.Count - 1; i >= 0; i--)
            {
                var input = op.Inputs[i].Operand;
                if (!visitedOperands.Contains(input))
                {
                    stack.Push((input, false));
                }
            }
        }
        return new GraphDescription(inputs, constants, order, outputs);
    }
}
