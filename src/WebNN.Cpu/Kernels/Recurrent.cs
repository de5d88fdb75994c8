using System.Numerics.Tensors;

namespace WebNN.Cpu.Kernels;

/// <summary>The sizes of a recurrent network run and its direction; a cell is one forward step.</summary>
/// <param name="Steps">Time steps.</param>
/// <param name="BatchSize">Rows of every step's input and state.</param>
/// <param name="InputSize">Features of the input.</param>
/// <param name="HiddenSize">Features of the hidden (and cell) state.</param>
/// <param name="Direction">Forward, backward, or both (two directions stacked).</param>
internal readonly record struct RecurrentDimensions(int Steps, int BatchSize, int InputSize, int HiddenSize, MLRecurrentNetworkDirection Direction)
{
    public int Directions => Direction == MLRecurrentNetworkDirection.Both ? 2 : 1;

    /// <summary>The input step that direction <paramref name="direction"/> reads at its <paramref name="step"/>-th step: backward runs last to first.</summary>
    public int StepIndex(int direction, int step) =>
        Direction == MLRecurrentNetworkDirection.Backward || direction == 1 ? Steps - 1 - step : step;
}

/// <summary>
/// gru, gruCell, lstm and lstmCell as the spec decomposes them. Per direction, one GEMM projects every
/// step's input (x·Wᵀ + bias); per step, one GEMM makes the recurrent product (h·Rᵀ + recurrentBias),
/// then the gates are activated and the states updated row by row. The running hidden (and cell) state
/// lives in the output, so sequence outputs are copies of it.
/// </summary>
internal static class Recurrent
{
    public const int GruGates = 3;
    public const int LstmGates = 4;

    /// <summary>Floats of workspace a run needs: every step's projected gates, and one step's recurrent gates.</summary>
    public static int WorkspaceLength(RecurrentDimensions dimensions, int gates) =>
        checked((dimensions.Steps + 1) * dimensions.BatchSize * gates * dimensions.HiddenSize);

    /// <summary>
    /// gru: per step z = f(x·Wzᵀ + bz + h·Rzᵀ + rbz), r likewise, n = g(x·Wnᵀ + bn + r ⊙ (h·Rnᵀ + rbn)) when
    /// <paramref name="resetAfter"/>, else g(x·Wnᵀ + bn + (r ⊙ h)·Rnᵀ + rbn); then h = z ⊙ h + (1 − z) ⊙ n.
    /// </summary>
    /// <param name="input">[steps, batch, inputSize].</param>
    /// <param name="weight">[directions, 3·hidden, inputSize], gates in <paramref name="layout"/> order.</param>
    /// <param name="recurrentWeight">[directions, 3·hidden, hidden].</param>
    /// <param name="bias">Empty (0) or [directions, 3·hidden].</param>
    /// <param name="recurrentBias">Empty (0) or [directions, 3·hidden].</param>
    /// <param name="initialHiddenState">Empty (0) or [directions, batch, hidden].</param>
    /// <param name="dimensions">Sizes and direction.</param>
    /// <param name="layout">Where the update and reset gates are (the new gate is always third).</param>
    /// <param name="resetAfter">Apply the reset gate after the recurrent product.</param>
    /// <param name="gate">Activation f of the update and reset gates.</param>
    /// <param name="candidate">Activation g of the new gate.</param>
    /// <param name="hiddenState">[directions, batch, hidden]: the last hidden state.</param>
    /// <param name="sequence">Empty, or [steps, directions, batch, hidden]: every step's hidden state, by input step.</param>
    /// <param name="workspace"><see cref="WorkspaceLength"/> floats.</param>
    public static void Gru(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> recurrentWeight,
        ReadOnlySpan<float> bias, ReadOnlySpan<float> recurrentBias, ReadOnlySpan<float> initialHiddenState,
        RecurrentDimensions dimensions, MLGruWeightLayout layout, bool resetAfter, UnaryKind gate, UnaryKind candidate,
        Span<float> hiddenState, Span<float> sequence, Span<float> workspace)
    {
        int batch = dimensions.BatchSize, hidden = dimensions.HiddenSize, width = GruGates * hidden;
        int update = layout == MLGruWeightLayout.Zrn ? 0 : hidden, reset = hidden - update, next = 2 * hidden;
        Span<float> projected = workspace[..(dimensions.Steps * batch * width)];
        Span<float> recurrent = workspace.Slice(projected.Length, batch * width);
        // With the reset gate applied before the product, only the update and reset gates (the first two) take h·Rᵀ at first.
        int recurrentColumns = resetAfter ? width : next;
        for (int d = 0; d < dimensions.Directions; d++)
        {
            ReadOnlySpan<float> directionRecurrentWeight = recurrentWeight.Slice(d * width * hidden, width * hidden);
            ReadOnlySpan<float> directionRecurrentBias = OptionalSlice(recurrentBias, d * width, width);
            Span<float> h = StartState(initialHiddenState, hiddenState, d, batch * hidden);
            ProjectInputs(input, weight, bias, dimensions, d, width, projected);
            for (int s = 0; s < dimensions.Steps; s++)
            {
                int t = dimensions.StepIndex(d, s);
                Span<float> gates = projected.Slice(t * batch * width, batch * width);
                Gemm.Multiply(batch, recurrentColumns, hidden, h, hidden, false, directionRecurrentWeight, hidden, true, recurrent, width,
                    bias: OptionalSlice(directionRecurrentBias, 0, recurrentColumns));
                for (int b = 0; b < batch; b++)
                {
                    Span<float> row = gates.Slice(b * width, width), recurrentRow = recurrent.Slice(b * width, width);
                    TensorPrimitives.Add(row[..next], recurrentRow[..next], row[..next]);
                    UnaryKernel.Run(gate, row[..next], row[..next]);
                    if (resetAfter)
                    {
                        Span<float> recurrentNext = recurrentRow.Slice(next, hidden);
                        TensorPrimitives.MultiplyAdd(row.Slice(reset, hidden), recurrentNext, row.Slice(next, hidden), row.Slice(next, hidden));
                    }
                    else
                    {
                        // r ⊙ h goes where this row's recurrent update and reset gates were, as the next product's left operand.
                        TensorPrimitives.Multiply(row.Slice(reset, hidden), h.Slice(b * hidden, hidden), recurrentRow[..hidden]);
                    }
                }
                if (!resetAfter)
                {
                    Gemm.Multiply(batch, hidden, hidden, recurrent, width, false, directionRecurrentWeight[(next * hidden)..], hidden, true,
                        recurrent[next..], width, bias: OptionalSlice(directionRecurrentBias, next, hidden));
                }
                for (int b = 0; b < batch; b++)
                {
                    Span<float> row = gates.Slice(b * width, width), recurrentRow = recurrent.Slice(b * width, width);
                    Span<float> n = row.Slice(next, hidden), hRow = h.Slice(b * hidden, hidden), recurrentNext = recurrentRow.Slice(next, hidden);
                    if (!resetAfter)
                    {
                        TensorPrimitives.Add(n, recurrentNext, n);
                    }
                    UnaryKernel.Run(candidate, n, n);
                    // z ⊙ h + (1 − z) ⊙ n = z ⊙ (h − n) + n, with h − n where the spent recurrent new gate was.
                    Span<float> difference = recurrentNext;
                    TensorPrimitives.Subtract(hRow, n, difference);
                    TensorPrimitives.MultiplyAdd(difference, row.Slice(update, hidden), n, hRow);
                }
                WriteSequence(h, sequence, dimensions, d, t);
            }
        }
    }

    /// <summary>
    /// lstm: per step i = f(x·Wiᵀ + bi + h·Riᵀ + rbi + pi ⊙ c), forget and output gates likewise, cell gate
    /// g = g(x·Wgᵀ + bg + h·Rgᵀ + rbg) (no peephole); then c = f ⊙ c + i ⊙ g and h = o ⊙ h(c).
    /// </summary>
    /// <param name="input">[steps, batch, inputSize].</param>
    /// <param name="weight">[directions, 4·hidden, inputSize], gates in <paramref name="layout"/> order.</param>
    /// <param name="recurrentWeight">[directions, 4·hidden, hidden].</param>
    /// <param name="bias">Empty (0) or [directions, 4·hidden].</param>
    /// <param name="recurrentBias">Empty (0) or [directions, 4·hidden].</param>
    /// <param name="peepholeWeight">Empty (0) or [directions, 3·hidden]: input, output, forget, in that order whatever the layout.</param>
    /// <param name="initialHiddenState">Empty (0) or [directions, batch, hidden].</param>
    /// <param name="initialCellState">Empty (0) or [directions, batch, hidden].</param>
    /// <param name="dimensions">Sizes and direction.</param>
    /// <param name="layout">The order of the gates.</param>
    /// <param name="gate">Activation f of the input, forget and output gates.</param>
    /// <param name="candidate">Activation g of the cell gate.</param>
    /// <param name="cellOutput">Activation h applied to the new cell state for the hidden state.</param>
    /// <param name="hiddenState">[directions, batch, hidden]: the last hidden state.</param>
    /// <param name="cellState">[directions, batch, hidden]: the last cell state.</param>
    /// <param name="sequence">Empty, or [steps, directions, batch, hidden]: every step's hidden state, by input step.</param>
    /// <param name="workspace"><see cref="WorkspaceLength"/> floats.</param>
    public static void Lstm(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> recurrentWeight,
        ReadOnlySpan<float> bias, ReadOnlySpan<float> recurrentBias, ReadOnlySpan<float> peepholeWeight,
        ReadOnlySpan<float> initialHiddenState, ReadOnlySpan<float> initialCellState,
        RecurrentDimensions dimensions, MLLstmWeightLayout layout, UnaryKind gate, UnaryKind candidate, UnaryKind cellOutput,
        Span<float> hiddenState, Span<float> cellState, Span<float> sequence, Span<float> workspace)
    {
        int batch = dimensions.BatchSize, hidden = dimensions.HiddenSize, width = LstmGates * hidden;
        bool iofg = layout == MLLstmWeightLayout.Iofg;
        int inputGate = 0, outputGate = (iofg ? 1 : 3) * hidden, forgetGate = (iofg ? 2 : 1) * hidden, cellGate = (iofg ? 3 : 2) * hidden;
        Span<float> projected = workspace[..(dimensions.Steps * batch * width)];
        Span<float> recurrent = workspace.Slice(projected.Length, batch * width);
        for (int d = 0; d < dimensions.Directions; d++)
        {
            ReadOnlySpan<float> directionRecurrentWeight = recurrentWeight.Slice(d * width * hidden, width * hidden);
            ReadOnlySpan<float> directionRecurrentBias = OptionalSlice(recurrentBias, d * width, width);
            ReadOnlySpan<float> peephole = OptionalSlice(peepholeWeight, d * 3 * hidden, 3 * hidden);
            Span<float> h = StartState(initialHiddenState, hiddenState, d, batch * hidden);
            Span<float> c = StartState(initialCellState, cellState, d, batch * hidden);
            ProjectInputs(input, weight, bias, dimensions, d, width, projected);
            for (int s = 0; s < dimensions.Steps; s++)
            {
                int t = dimensions.StepIndex(d, s);
                Span<float> gates = projected.Slice(t * batch * width, batch * width);
                Gemm.Multiply(batch, width, hidden, h, hidden, false, directionRecurrentWeight, hidden, true, recurrent, width, bias: directionRecurrentBias);
                TensorPrimitives.Add(gates, recurrent, gates);
                for (int b = 0; b < batch; b++)
                {
                    Span<float> row = gates.Slice(b * width, width), cRow = c.Slice(b * hidden, hidden);
                    Span<float> i = row.Slice(inputGate, hidden), o = row.Slice(outputGate, hidden), f = row.Slice(forgetGate, hidden), g = row.Slice(cellGate, hidden);
                    if (!peephole.IsEmpty)
                    {
                        TensorPrimitives.MultiplyAdd(cRow, peephole[..hidden], i, i);
                        TensorPrimitives.MultiplyAdd(cRow, peephole.Slice(hidden, hidden), o, o);
                        TensorPrimitives.MultiplyAdd(cRow, peephole.Slice(2 * hidden, hidden), f, f);
                    }
                    UnaryKernel.Run(gate, i, i);
                    UnaryKernel.Run(gate, o, o);
                    UnaryKernel.Run(gate, f, f);
                    UnaryKernel.Run(candidate, g, g);
                    // This row's recurrent product is spent: its first gate's columns hold i ⊙ g, then h(c).
                    Span<float> temporary = recurrent.Slice(b * width, hidden);
                    TensorPrimitives.Multiply(i, g, temporary);
                    TensorPrimitives.MultiplyAdd(f, cRow, temporary, cRow);
                    UnaryKernel.Run(cellOutput, cRow, temporary);
                    TensorPrimitives.Multiply(o, temporary, h.Slice(b * hidden, hidden));
                }
                WriteSequence(h, sequence, dimensions, d, t);
            }
        }
    }

    /// <summary>Every step's x·Wᵀ + bias for direction <paramref name="direction"/>: [steps · batch, width].</summary>
    private static void ProjectInputs(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        RecurrentDimensions dimensions, int direction, int width, Span<float> projected)
    {
        int inputSize = dimensions.InputSize;
        Gemm.Multiply(dimensions.Steps * dimensions.BatchSize, width, inputSize, input, inputSize, false,
            weight.Slice(direction * width * inputSize, width * inputSize), inputSize, true, projected, width, bias: OptionalSlice(bias, direction * width, width));
    }

    /// <summary>Direction <paramref name="direction"/>'s state in <paramref name="state"/>, set to its initial value (0 when none is given).</summary>
    private static Span<float> StartState(ReadOnlySpan<float> initial, Span<float> state, int direction, int length)
    {
        Span<float> directionState = state.Slice(direction * length, length);
        if (initial.IsEmpty)
        {
            directionState.Clear();
        }
        else
        {
            initial.Slice(direction * length, length).CopyTo(directionState);
        }
        return directionState;
    }

    /// <summary>Copies a direction's hidden state to sequence[step, direction] when the sequence is wanted.</summary>
    private static void WriteSequence(ReadOnlySpan<float> h, Span<float> sequence, RecurrentDimensions dimensions, int direction, int step)
    {
        if (!sequence.IsEmpty)
        {
            h.CopyTo(sequence.Slice((step * dimensions.Directions + direction) * h.Length, h.Length));
        }
    }

    /// <summary>A slice of an optional operand's values; an absent operand (empty) stays empty.</summary>
    private static ReadOnlySpan<float> OptionalSlice(ReadOnlySpan<float> values, int start, int length) =>
        values.IsEmpty ? values : values.Slice(start, length);
}
