using WebNN.Validation;

namespace WebNN;

/// <summary>The gate activations of the recurrent operations (spec: <c>MLRecurrentNetworkActivation</c>).</summary>
public enum MLRecurrentNetworkActivation
{
    /// <summary>max(0, x).</summary>
    Relu,
    /// <summary>1 / (1 + e^-x).</summary>
    Sigmoid,
    /// <summary>tanh(x).</summary>
    Tanh,
}

/// <summary>Which way a recurrent network runs over the steps (spec: <c>MLRecurrentNetworkDirection</c>).</summary>
public enum MLRecurrentNetworkDirection
{
    /// <summary>First step to last.</summary>
    Forward,
    /// <summary>Last step to first.</summary>
    Backward,
    /// <summary>Both, stacked along the direction dimension.</summary>
    Both,
}

/// <summary>The order of a GRU's gates in its weights (spec: <c>MLGruWeightLayout</c>).</summary>
public enum MLGruWeightLayout
{
    /// <summary>Update, reset, new.</summary>
    Zrn,
    /// <summary>Reset, update, new.</summary>
    Rzn,
}

/// <summary>The order of an LSTM's gates in its weights (spec: <c>MLLstmWeightLayout</c>).</summary>
public enum MLLstmWeightLayout
{
    /// <summary>Input, output, forget, cell.</summary>
    Iofg,
    /// <summary>Input, forget, cell, output.</summary>
    Ifgo,
}

/// <summary>Options of <see cref="MLGraphBuilder.Gru"/> (spec: <c>MLGruOptions</c>).</summary>
public sealed class MLGruOptions : MLOperatorOptions
{
    /// <summary>[numDirections, 3 · hiddenSize].</summary>
    public MLOperand? Bias { get; init; }

    /// <summary>[numDirections, 3 · hiddenSize].</summary>
    public MLOperand? RecurrentBias { get; init; }

    /// <summary>[numDirections, batchSize, hiddenSize]; zeros when absent.</summary>
    public MLOperand? InitialHiddenState { get; init; }

    /// <summary>Apply the reset gate after the recurrent product; default true.</summary>
    public bool ResetAfter { get; init; } = true;

    /// <summary>Also return every step's hidden state; default false.</summary>
    public bool ReturnSequence { get; init; }

    /// <summary>The direction; default forward.</summary>
    public MLRecurrentNetworkDirection Direction { get; init; } = MLRecurrentNetworkDirection.Forward;

    /// <summary>The gate order; default zrn.</summary>
    public MLGruWeightLayout Layout { get; init; } = MLGruWeightLayout.Zrn;

    /// <summary>Two activations (gates, new state); default [sigmoid, tanh].</summary>
    public MLRecurrentNetworkActivation[]? Activations { get; init; }
}

/// <summary>Options of <see cref="MLGraphBuilder.GruCell"/> (spec: <c>MLGruCellOptions</c>).</summary>
public sealed class MLGruCellOptions : MLOperatorOptions
{
    /// <summary>[3 · hiddenSize].</summary>
    public MLOperand? Bias { get; init; }

    /// <summary>[3 · hiddenSize].</summary>
    public MLOperand? RecurrentBias { get; init; }

    /// <summary>Apply the reset gate after the recurrent product; default true.</summary>
    public bool ResetAfter { get; init; } = true;

    /// <summary>The gate order; default zrn.</summary>
    public MLGruWeightLayout Layout { get; init; } = MLGruWeightLayout.Zrn;

    /// <summary>Two activations; default [sigmoid, tanh].</summary>
    public MLRecurrentNetworkActivation[]? Activations { get; init; }
}

/// <summary>Options of <see cref="MLGraphBuilder.Lstm"/> (spec: <c>MLLstmOptions</c>).</summary>
public sealed class MLLstmOptions : MLOperatorOptions
{
    /// <summary>[numDirections, 4 · hiddenSize].</summary>
    public MLOperand? Bias { get; init; }

    /// <summary>[numDirections, 4 · hiddenSize].</summary>
    public MLOperand? RecurrentBias { get; init; }

    /// <summary>[numDirections, 3 · hiddenSize].</summary>
    public MLOperand? PeepholeWeight { get; init; }

    /// <summary>[numDirections, batchSize, hiddenSize]; zeros when absent.</summary>
    public MLOperand? InitialHiddenState { get; init; }

    /// <summary>[numDirections, batchSize, hiddenSize]; zeros when absent.</summary>
    public MLOperand? InitialCellState { get; init; }

    /// <summary>Also return every step's hidden state; default false.</summary>
    public bool ReturnSequence { get; init; }

    /// <summary>The direction; default forward.</summary>
    public MLRecurrentNetworkDirection Direction { get; init; } = MLRecurrentNetworkDirection.Forward;

    /// <summary>The gate order; default iofg.</summary>
    public MLLstmWeightLayout Layout { get; init; } = MLLstmWeightLayout.Iofg;

    /// <summary>Three activations (gates, cell, output); default [sigmoid, tanh, tanh].</summary>
    public MLRecurrentNetworkActivation[]? Activations { get; init; }
}

/// <summary>Options of <see cref="MLGraphBuilder.LstmCell"/> (spec: <c>MLLstmCellOptions</c>).</summary>
public sealed class MLLstmCellOptions : MLOperatorOptions
{
    /// <summary>[4 · hiddenSize].</summary>
    public MLOperand? Bias { get; init; }

    /// <summary>[4 · hiddenSize].</summary>
    public MLOperand? RecurrentBias { get; init; }

    /// <summary>[3 · hiddenSize].</summary>
    public MLOperand? PeepholeWeight { get; init; }

    /// <summary>The gate order; default iofg.</summary>
    public MLLstmWeightLayout Layout { get; init; } = MLLstmWeightLayout.Iofg;

    /// <summary>Three activations; default [sigmoid, tanh, tanh].</summary>
    public MLRecurrentNetworkActivation[]? Activations { get; init; }
}

/// <summary>gru's and gruCell's resolved options (steps and direction are 1 and forward for the cell).</summary>
internal sealed record GruAttributes(int Steps, int HiddenSize, bool ResetAfter, bool ReturnSequence, MLRecurrentNetworkDirection Direction, MLGruWeightLayout Layout, MLRecurrentNetworkActivation[] Activations);

/// <summary>lstm's and lstmCell's resolved options.</summary>
internal sealed record LstmAttributes(int Steps, int HiddenSize, bool ReturnSequence, MLRecurrentNetworkDirection Direction, MLLstmWeightLayout Layout, MLRecurrentNetworkActivation[] Activations);

public sealed partial class MLGraphBuilder
{
    /// <summary>A gated recurrent unit network over <paramref name="steps"/> steps (spec: <c>gru</c>): [hidden state] or [hidden state, sequence].</summary>
    public MLOperand[] Gru(MLOperand input, MLOperand weight, MLOperand recurrentWeight, int steps, int hiddenSize, MLGruOptions? options = null)
    {
        options ??= new MLGruOptions();
        string where = BeginOperator("gru", options);
        var inputs = ValidateInputs(where, "gru",
            ("input", Required(input, nameof(input))), ("weight", Required(weight, nameof(weight))), ("recurrentWeight", Required(recurrentWeight, nameof(recurrentWeight))),
            ("bias", options.Bias), ("recurrentBias", options.RecurrentBias), ("initialHiddenState", options.InitialHiddenState));
        var (batchSize, inputSize, directions) = CheckSequence(where, input, steps, hiddenSize, options.Direction, gates: 3);
        int gates = 3 * hiddenSize;
        CheckShape(where, "weight", weight, [directions, gates, inputSize]);
        CheckShape(where, "recurrentWeight", recurrentWeight, [directions, gates, hiddenSize]);
        CheckShape(where, "bias", options.Bias, [directions, gates]);
        CheckShape(where, "recurrentBias", options.RecurrentBias, [directions, gates]);
        CheckShape(where, "initialHiddenState", options.InitialHiddenState, [directions, batchSize, hiddenSize]);
        CheckEnum(where, "layout", options.Layout);
        var activations = RecurrentActivations(where, options.Activations, [MLRecurrentNetworkActivation.Sigmoid, MLRecurrentNetworkActivation.Tanh]);
        var attributes = new GruAttributes(steps, hiddenSize, options.ResetAfter, options.ReturnSequence, options.Direction, options.Layout, activations);
        (MLOperandDataType, int[]) state = (input.DataType, [directions, batchSize, hiddenSize]);
        return options.ReturnSequence
            ? AddOperator("gru", options, inputs, attributes, [state, (input.DataType, [steps, directions, batchSize, hiddenSize])])
            : AddOperator("gru", options, inputs, attributes, [state]);
    }

    /// <summary>One step of a gated recurrent unit (spec: <c>gruCell</c>): the new hidden state.</summary>
    public MLOperand GruCell(MLOperand input, MLOperand weight, MLOperand recurrentWeight, MLOperand hiddenState, int hiddenSize, MLGruCellOptions? options = null)
    {
        options ??= new MLGruCellOptions();
        string where = BeginOperator("gruCell", options);
        var inputs = ValidateInputs(where, "gruCell",
            ("input", Required(input, nameof(input))), ("weight", Required(weight, nameof(weight))), ("recurrentWeight", Required(recurrentWeight, nameof(recurrentWeight))),
            ("hiddenState", Required(hiddenState, nameof(hiddenState))), ("bias", options.Bias), ("recurrentBias", options.RecurrentBias));
        var (batchSize, inputSize) = CheckCell(where, input, hiddenSize, gates: 3);
        int gates = 3 * hiddenSize;
        CheckShape(where, "weight", weight, [gates, inputSize]);
        CheckShape(where, "recurrentWeight", recurrentWeight, [gates, hiddenSize]);
        CheckShape(where, "hiddenState", hiddenState, [batchSize, hiddenSize]);
        CheckShape(where, "bias", options.Bias, [gates]);
        CheckShape(where, "recurrentBias", options.RecurrentBias, [gates]);
        CheckEnum(where, "layout", options.Layout);
        var activations = RecurrentActivations(where, options.Activations, [MLRecurrentNetworkActivation.Sigmoid, MLRecurrentNetworkActivation.Tanh]);
        var attributes = new GruAttributes(1, hiddenSize, options.ResetAfter, false, MLRecurrentNetworkDirection.Forward, options.Layout, activations);
        return AddOperator("gruCell", options, inputs, attributes, input.DataType, [batchSize, hiddenSize]);
    }

    /// <summary>A long short-term memory network (spec: <c>lstm</c>): [hidden state, cell state] or with the sequence third.</summary>
    public MLOperand[] Lstm(MLOperand input, MLOperand weight, MLOperand recurrentWeight, int steps, int hiddenSize, MLLstmOptions? options = null)
    {
        options ??= new MLLstmOptions();
        string where = BeginOperator("lstm", options);
        var inputs = ValidateInputs(where, "lstm",
            ("input", Required(input, nameof(input))), ("weight", Required(weight, nameof(weight))), ("recurrentWeight", Required(recurrentWeight, nameof(recurrentWeight))),
            ("bias", options.Bias), ("recurrentBias", options.RecurrentBias), ("peepholeWeight", options.PeepholeWeight),
            ("initialHiddenState", options.InitialHiddenState), ("initialCellState", options.InitialCellState));
        var (batchSize, inputSize, directions) = CheckSequence(where, input, steps, hiddenSize, options.Direction, gates: 4);
        int gates = 4 * hiddenSize;
        CheckShape(where, "weight", weight, [directions, gates, inputSize]);
        CheckShape(where, "recurrentWeight", recurrentWeight, [directions, gates, hiddenSize]);
        CheckShape(where, "bias", options.Bias, [directions, gates]);
        CheckShape(where, "recurrentBias", options.RecurrentBias, [directions, gates]);
        CheckShape(where, "peepholeWeight", options.PeepholeWeight, [directions, 3 * hiddenSize]);
        CheckShape(where, "initialHiddenState", options.InitialHiddenState, [directions, batchSize, hiddenSize]);
        CheckShape(where, "initialCellState", options.InitialCellState, [directions, batchSize, hiddenSize]);
        var activations = RecurrentActivations(where, options.Activations, [MLRecurrentNetworkActivation.Sigmoid, MLRecurrentNetworkActivation.Tanh, MLRecurrentNetworkActivation.Tanh]);
        CheckEnum(where, "layout", options.Layout);
        var attributes = new LstmAttributes(steps, hiddenSize, options.ReturnSequence, options.Direction, options.Layout, activations);
        (MLOperandDataType, int[]) state = (input.DataType, [directions, batchSize, hiddenSize]);
        return options.ReturnSequence
            ? AddOperator("lstm", options, inputs, attributes, [state, state, (input.DataType, [steps, directions, batchSize, hiddenSize])])
            : AddOperator("lstm", options, inputs, attributes, [state, state]);
    }

    /// <summary>One step of a long short-term memory (spec: <c>lstmCell</c>): [hidden state, cell state].</summary>
    public MLOperand[] LstmCell(MLOperand input, MLOperand weight, MLOperand recurrentWeight, MLOperand hiddenState, MLOperand cellState, int hiddenSize, MLLstmCellOptions? options = null)
    {
        options ??= new MLLstmCellOptions();
        string where = BeginOperator("lstmCell", options);
        var inputs = ValidateInputs(where, "lstmCell",
            ("input", Required(input, nameof(input))), ("weight", Required(weight, nameof(weight))), ("recurrentWeight", Required(recurrentWeight, nameof(recurrentWeight))),
            ("hiddenState", Required(hiddenState, nameof(hiddenState))), ("cellState", Required(cellState, nameof(cellState))),
            ("bias", options.Bias), ("recurrentBias", options.RecurrentBias), ("peepholeWeight", options.PeepholeWeight));
        var (batchSize, inputSize) = CheckCell(where, input, hiddenSize, gates: 4);
        int gates = 4 * hiddenSize;
        CheckShape(where, "weight", weight, [gates, inputSize]);
        CheckShape(where, "recurrentWeight", recurrentWeight, [gates, hiddenSize]);
        CheckShape(where, "hiddenState", hiddenState, [batchSize, hiddenSize]);
        CheckShape(where, "cellState", cellState, [batchSize, hiddenSize]);
        CheckShape(where, "bias", options.Bias, [gates]);
        CheckShape(where, "recurrentBias", options.RecurrentBias, [gates]);
        CheckShape(where, "peepholeWeight", options.PeepholeWeight, [3 * hiddenSize]);
        var activations = RecurrentActivations(where, options.Activations, [MLRecurrentNetworkActivation.Sigmoid, MLRecurrentNetworkActivation.Tanh, MLRecurrentNetworkActivation.Tanh]);
        CheckEnum(where, "layout", options.Layout);
        var attributes = new LstmAttributes(1, hiddenSize, false, MLRecurrentNetworkDirection.Forward, options.Layout, activations);
        (MLOperandDataType, int[]) state = (input.DataType, [batchSize, hiddenSize]);
        return AddOperator("lstmCell", options, inputs, attributes, [state, state]);
    }

    /// <summary>The sequence checks shared by gru and lstm: steps match the input, hiddenSize times the gates fits; returns batch, input size and directions.</summary>
    private static (int BatchSize, int InputSize, int Directions) CheckSequence(string where, MLOperand input, int steps, int hiddenSize, MLRecurrentNetworkDirection direction, int gates)
    {
        if (steps <= 0)
        {
            throw Errors.Type(where, $"steps ({steps}) must be greater than zero.");
        }
        if (input.Dimensions[0] != steps)
        {
            throw Errors.Type(where, $"the input's first dimension ({input.Dimensions[0]}) must equal steps ({steps}).");
        }
        CheckHiddenSize(where, hiddenSize, gates);
        if (!Enum.IsDefined(direction))
        {
            throw Errors.Type(where, $"direction ({direction}) is not an MLRecurrentNetworkDirection.");
        }
        return (input.Dimensions[1], input.Dimensions[2], direction == MLRecurrentNetworkDirection.Both ? 2 : 1);
    }

    /// <summary>The checks shared by gruCell and lstmCell; returns batch and input size.</summary>
    private static (int BatchSize, int InputSize) CheckCell(string where, MLOperand input, int hiddenSize, int gates)
    {
        CheckHiddenSize(where, hiddenSize, gates);
        return (input.Dimensions[0], input.Dimensions[1]);
    }

    /// <summary>hiddenSize · 2 · gates must be a valid dimension (spec: "hiddenSize * 6" for GRU, "* 8" for LSTM).</summary>
    private static void CheckHiddenSize(string where, int hiddenSize, int gates)
    {
        if (hiddenSize <= 0 || (long)hiddenSize * 2 * gates > int.MaxValue)
        {
            throw Errors.Type(where, $"hiddenSize ({hiddenSize}) must be greater than zero and hiddenSize × {2 * gates} must be a valid dimension.");
        }
    }

    /// <summary>An operand argument whose shape the spec fixes; null (an absent option) passes.</summary>
    private static void CheckShape(string where, string name, MLOperand? operand, int[] expected)
    {
        if (operand is not null && !operand.Dimensions.AsSpan().SequenceEqual(expected))
        {
            throw Errors.Type(where, $"{name}'s shape {Shapes.Format(operand.Dimensions)} must be {Shapes.Format(expected)}.");
        }
    }

    /// <summary>An enum option must hold one of its defined values (the IDL enum's TypeError).</summary>
    private static void CheckEnum<TEnum>(string where, string name, TEnum value) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw Errors.Type(where, $"{name} ({Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)}) is not an {typeof(TEnum).Name}.");
        }
    }

    private static MLRecurrentNetworkActivation[] RecurrentActivations(string where, MLRecurrentNetworkActivation[]? given, MLRecurrentNetworkActivation[] defaults)
    {
        if (given is null)
        {
            return defaults;
        }
        if (given.Length != defaults.Length)
        {
            throw Errors.Type(where, $"activations must have {defaults.Length} items, not {given.Length}.");
        }
        if (given.Any(a => !Enum.IsDefined(a)))
        {
            throw Errors.Type(where, "activations must hold MLRecurrentNetworkActivation values.");
        }
        return (MLRecurrentNetworkActivation[])given.Clone();
    }
}
