using WebNN.Cpu.Kernels;
using WebNN.Graph;

namespace WebNN.Cpu.Lowerings;

/// <summary>gru, gruCell, lstm and lstmCell on the recurrent kernels; a cell runs as one forward step whose starting state is its state argument.</summary>
internal static class RecurrentLowering
{
    public static IEnumerable<KeyValuePair<string, CpuOperatorEntry>> Entries()
    {
        yield return new("gru", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, GruStep));
        yield return new("gruCell", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, GruStep));
        yield return new("lstm", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, LstmStep));
        yield return new("lstmCell", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, LstmStep));
    }

    private static CpuStep GruStep(MLOperator op, CpuLowering lowering)
    {
        var attributes = op.AttributesAs<GruAttributes>();
        var (input, weight, recurrentWeight, bias, recurrentBias) = CommonInputs(op, lowering);
        var initialHiddenState = Optional(lowering, op.Input("initialHiddenState") ?? op.Input("hiddenState"));
        var hiddenState = lowering.Value(op.Outputs[0]);
        var sequence = Optional(lowering, attributes.ReturnSequence ? op.Outputs[1] : null);
        var dimensions = Dimensions(input, attributes.Steps, attributes.HiddenSize, attributes.Direction);
        var workspace = lowering.Scratch(MLOperandDataType.Float32, [Recurrent.WorkspaceLength(dimensions, Recurrent.GruGates)]);
        var gate = Activation(attributes.Activations[0]);
        var candidate = Activation(attributes.Activations[1]);
        return new DelegateStep(run => Recurrent.Gru(run.Floats(input), run.Floats(weight), run.Floats(recurrentWeight),
            run.OptionalFloats(bias), run.OptionalFloats(recurrentBias), run.OptionalFloats(initialHiddenState),
            dimensions, attributes.Layout, attributes.ResetAfter, gate, candidate,
            run.Floats(hiddenState), run.OptionalFloats(sequence), run.Floats(workspace)));
    }

    private static CpuStep LstmStep(MLOperator op, CpuLowering lowering)
    {
        var attributes = op.AttributesAs<LstmAttributes>();
        var (input, weight, recurrentWeight, bias, recurrentBias) = CommonInputs(op, lowering);
        var peepholeWeight = Optional(lowering, op.Input("peepholeWeight"));
        var initialHiddenState = Optional(lowering, op.Input("initialHiddenState") ?? op.Input("hiddenState"));
        var initialCellState = Optional(lowering, op.Input("initialCellState") ?? op.Input("cellState"));
        var hiddenState = lowering.Value(op.Outputs[0]);
        var cellState = lowering.Value(op.Outputs[1]);
        var sequence = Optional(lowering, attributes.ReturnSequence ? op.Outputs[2] : null);
        var dimensions = Dimensions(input, attributes.Steps, attributes.HiddenSize, attributes.Direction);
        var workspace = lowering.Scratch(MLOperandDataType.Float32, [Recurrent.WorkspaceLength(dimensions, Recurrent.LstmGates)]);
        var gate = Activation(attributes.Activations[0]);
        var candidate = Activation(attributes.Activations[1]);
        var cellOutput = Activation(attributes.Activations[2]);
        return new DelegateStep(run => Recurrent.Lstm(run.Floats(input), run.Floats(weight), run.Floats(recurrentWeight),
            run.OptionalFloats(bias), run.OptionalFloats(recurrentBias), run.OptionalFloats(peepholeWeight),
            run.OptionalFloats(initialHiddenState), run.OptionalFloats(initialCellState),
            dimensions, attributes.Layout, gate, candidate, cellOutput,
            run.Floats(hiddenState), run.Floats(cellState), run.OptionalFloats(sequence), run.Floats(workspace)));
    }

    private static (CpuValue Input, CpuValue Weight, CpuValue RecurrentWeight, CpuValue? Bias, CpuValue? RecurrentBias) CommonInputs(MLOperator op, CpuLowering lowering) => (
        lowering.Value(op.Input("input")!),
        lowering.Value(op.Input("weight")!),
        lowering.Value(op.Input("recurrentWeight")!),
        Optional(lowering, op.Input("bias")),
        Optional(lowering, op.Input("recurrentBias")));

    private static CpuValue? Optional(CpuLowering lowering, MLOperand? operand) => operand is null ? null : lowering.Value(operand);

    /// <summary>The input is [steps, batch, inputSize], or a cell's [batch, inputSize].</summary>
    private static RecurrentDimensions Dimensions(CpuValue input, int steps, int hiddenSize, MLRecurrentNetworkDirection direction) =>
        new(steps, input.Shape[^2], input.Shape[^1], hiddenSize, direction);

    private static UnaryKind Activation(MLRecurrentNetworkActivation activation) => activation switch
    {
        MLRecurrentNetworkActivation.Relu => UnaryKind.Relu,
        MLRecurrentNetworkActivation.Sigmoid => UnaryKind.Sigmoid,
        MLRecurrentNetworkActivation.Tanh => UnaryKind.Tanh,
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };
}
