using WebNN.Graph;

namespace WebNN.Cuda.Kernels;

/// <summary>
/// gru, gruCell, lstm and lstmCell as the spec decomposes them (and as the CPU backend runs them), lowered to steps:
/// per direction one cuBLAS product projects every step's input (x·Wᵀ + bias) into float32 scratch; per step one
/// product makes the recurrent gates (h·Rᵀ + recurrentBias), then a generated kernel activates the gates and updates
/// the states in place in the outputs, and a copy adds the hidden state to the sequence. Steps are unrolled at build
/// (a CUDA graph replays them). float32 only.
/// </summary>
internal static class RecurrentKernels
{
    /// <summary>The sizes of a run and the values every network reads.</summary>
    private sealed record Network(CudaValue Input, CudaValue Weight, CudaValue RecurrentWeight, CudaValue? Bias, CudaValue? RecurrentBias,
        int Steps, int Batch, int InputSize, int Hidden, MLRecurrentNetworkDirection Direction)
    {
        public int Directions => Direction == MLRecurrentNetworkDirection.Both ? 2 : 1;

        /// <summary>The input step that <paramref name="direction"/> reads at its <paramref name="step"/>-th step: backward runs last to first.</summary>
        public int StepIndex(int direction, int step) => Direction == MLRecurrentNetworkDirection.Backward || direction == 1 ? Steps - 1 - step : step;
    }

    public static void LowerGru(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var attributes = op.AttributesAs<GruAttributes>();
        var network = Describe(op, b, attributes.Steps, attributes.HiddenSize, attributes.Direction);
        int batch = network.Batch, hidden = network.Hidden, width = 3 * hidden;
        int update = attributes.Layout == MLGruWeightLayout.Zrn ? 0 : hidden, reset = hidden - update, next = 2 * hidden;
        var h = b.Value(op.Outputs[0]);
        var sequence = attributes.ReturnSequence ? b.Value(op.Outputs[1]) : null;
        string gate = Activation(attributes.Activations[0]), candidate = Activation(attributes.Activations[1]);
        var projected = b.Scratch(MLOperandDataType.Float32, [network.Steps, batch, width]);
        var recurrent = b.Scratch(MLOperandDataType.Float32, [batch, width]);
        // With the reset gate applied before the product, (r ⊙ h)·Rnᵀ + rbn is a second product, from r ⊙ h.
        var resetHidden = attributes.ResetAfter ? null : b.Scratch(MLOperandDataType.Float32, [batch, hidden]);
        var recurrentNext = attributes.ResetAfter ? null : b.Scratch(MLOperandDataType.Float32, [batch, hidden]);
        for (int d = 0; d < network.Directions; d++)
        {
            Project(b, network, d, width, projected);
            StartState(b, op.Input("initialHiddenState") ?? op.Input("hiddenState"), h, d, batch * hidden);
            for (int s = 0; s < network.Steps; s++)
            {
                int t = network.StepIndex(d, s);
                Recurrent(b, network, h, d, recurrent);
                // Thread (row, j): proj at the step's row, rec, and h at the direction's row.
                string prelude = $"const long long row = i / {hidden}, j = i % {hidden};\n" +
                    $"const long long p = {(long)t * batch * width} + row * {width}, q = row * {width}, hh = {(long)d * batch * hidden} + i;\n" +
                    $"float z, r, n;\n{Activate(gate, "z", $"in0[p + {update} + j] + in1[q + {update} + j]")}\n" +
                    $"{Activate(gate, "r", $"in0[p + {reset} + j] + in1[q + {reset} + j]")}\n";
                if (attributes.ResetAfter)
                {
                    Elementwise(b, batch * hidden, [projected, recurrent, h], prelude +
                        $"{Activate(candidate, "n", $"in0[p + {next} + j] + r * in1[q + {next} + j]")}\n" +
                        "out2[hh] = z * (out2[hh] - n) + n;");
                }
                else
                {
                    // The activated update gate is kept where its projection was, for the second kernel.
                    Elementwise(b, batch * hidden, [projected, recurrent, h, resetHidden!], prelude +
                        $"out3[i] = r * out2[hh];\nout0[p + {update} + j] = z;");
                    CublasGemm.ProductWithTransposed(b, resetHidden!, 0, network.RecurrentWeight, ((long)d * width + next) * hidden, recurrentNext!, batch, hidden, hidden,
                        BroadcastBias(b, network.RecurrentBias, (long)d * width + next, recurrentNext!));
                    Elementwise(b, batch * hidden, [projected, recurrentNext!, h],
                        $"const long long row = i / {hidden}, j = i % {hidden};\n" +
                        $"const long long p = {(long)t * batch * width} + row * {width}, hh = {(long)d * batch * hidden} + i;\n" +
                        $"float n;\n{Activate(candidate, "n", $"in0[p + {next} + j] + in1[i]")}\n" +
                        $"out2[hh] = in0[p + {update} + j] * (out2[hh] - n) + n;");
                }
                WriteSequence(b, network, h, sequence, d, t);
            }
        }
    }

    public static void LowerLstm(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var attributes = op.AttributesAs<LstmAttributes>();
        var network = Describe(op, b, attributes.Steps, attributes.HiddenSize, attributes.Direction);
        int batch = network.Batch, hidden = network.Hidden, width = 4 * hidden;
        bool iofg = attributes.Layout == MLLstmWeightLayout.Iofg;
        int inputGate = 0, outputGate = (iofg ? 1 : 3) * hidden, forgetGate = (iofg ? 2 : 1) * hidden, cellGate = (iofg ? 3 : 2) * hidden;
        var h = b.Value(op.Outputs[0]);
        var c = b.Value(op.Outputs[1]);
        var sequence = attributes.ReturnSequence ? b.Value(op.Outputs[2]) : null;
        var peephole = op.Input("peepholeWeight") is { } peepholeOperand ? b.Value(peepholeOperand) : null;
        string gate = Activation(attributes.Activations[0]), candidate = Activation(attributes.Activations[1]), cellOutput = Activation(attributes.Activations[2]);
        var projected = b.Scratch(MLOperandDataType.Float32, [network.Steps, batch, width]);
        var recurrent = b.Scratch(MLOperandDataType.Float32, [batch, width]);
        for (int d = 0; d < network.Directions; d++)
        {
            Project(b, network, d, width, projected);
            StartState(b, op.Input("initialHiddenState") ?? op.Input("hiddenState"), h, d, batch * hidden);
            StartState(b, op.Input("initialCellState") ?? op.Input("cellState"), c, d, batch * hidden);
            for (int s = 0; s < network.Steps; s++)
            {
                int t = network.StepIndex(d, s);
                Recurrent(b, network, h, d, recurrent);
                string Gate(int offset) => $"in0[p + {offset} + j] + in1[q + {offset} + j]";
                // The peephole weights hold input, output, forget, in that order whatever the layout, and read the old cell state.
                string Peephole(int k) => peephole is null ? "" : $" + cc * in4[{(long)d * 3 * hidden + k * hidden} + j]";
                CudaValue[] values = peephole is null ? [projected, recurrent, h, c] : [projected, recurrent, h, c, peephole];
                Elementwise(b, batch * hidden, values,
                    $"const long long row = i / {hidden}, j = i % {hidden};\n" +
                    $"const long long p = {(long)t * batch * width} + row * {width}, q = row * {width}, hh = {(long)d * batch * hidden} + i;\n" +
                    "const float cc = out3[hh];\nfloat ig, og, fg, cg, hc;\n" +
                    $"{Activate(gate, "ig", Gate(inputGate) + Peephole(0))}\n" +
                    $"{Activate(gate, "og", Gate(outputGate) + Peephole(1))}\n" +
                    $"{Activate(gate, "fg", Gate(forgetGate) + Peephole(2))}\n" +
                    $"{Activate(candidate, "cg", Gate(cellGate))}\n" +
                    "const float cn = fg * cc + ig * cg;\n" +
                    $"{Activate(cellOutput, "hc", "cn")}\n" +
                    "out3[hh] = cn;\nout2[hh] = og * hc;");
                WriteSequence(b, network, h, sequence, d, t);
            }
        }
    }

    /// <summary>The network's values and sizes: the input is [steps, batch, inputSize], or a cell's [batch, inputSize].</summary>
    private static Network Describe(MLOperator op, CudaGraph.CudaGraphBuilder b, int steps, int hidden, MLRecurrentNetworkDirection direction)
    {
        var input = b.Value(op.Input("input")!);
        CudaValue? Optional(string argument) => op.Input(argument) is { } operand ? b.Value(operand) : null;
        return new Network(input, b.Value(op.Input("weight")!), b.Value(op.Input("recurrentWeight")!), Optional("bias"), Optional("recurrentBias"),
            steps, input.Shape[^2], input.Shape[^1], hidden, direction);
    }

    /// <summary>Every step's x·Wᵀ + bias of <paramref name="direction"/> into <paramref name="projected"/> ([steps · batch, width]).</summary>
    private static void Project(CudaGraph.CudaGraphBuilder b, Network network, int direction, int width, CudaValue projected)
    {
        double beta = BroadcastBias(b, network.Bias, (long)direction * width, projected);
        CublasGemm.ProductWithTransposed(b, network.Input, 0, network.Weight, (long)direction * width * network.InputSize, projected,
            network.Steps * network.Batch, width, network.InputSize, beta);
    }

    /// <summary>h·Rᵀ + recurrentBias of <paramref name="direction"/>, every gate's ([batch, gates · hidden]).</summary>
    private static void Recurrent(CudaGraph.CudaGraphBuilder b, Network network, CudaValue h, int direction, CudaValue recurrent)
    {
        int gates = network.RecurrentWeight.Shape[^2];
        double beta = BroadcastBias(b, network.RecurrentBias, (long)direction * gates, recurrent);
        CublasGemm.ProductWithTransposed(b, h, (long)direction * network.Batch * network.Hidden, network.RecurrentWeight,
            (long)direction * gates * network.Hidden, recurrent, network.Batch, gates, network.Hidden, beta);
    }

    /// <summary>Fills every row of <paramref name="target"/> with the bias's elements from <paramref name="offset"/> and returns the product's beta: 1, or 0 without a bias.</summary>
    private static double BroadcastBias(CudaGraph.CudaGraphBuilder b, CudaValue? bias, long offset, CudaValue target)
    {
        if (bias is null)
        {
            return 0;
        }
        // The target seen as rows of its last axis (the projections are [steps, batch, width]).
        int columns = target.Shape[^1];
        int[] shape = [(int)(target.ElementCount / columns), columns];
        ElementwiseKernels.Add(b, shape, new StridedAccess(target, 0, [columns, 1]), [new StridedAccess(bias, offset, [0, 1])], "y = x0;");
        return 1;
    }

    /// <summary>Sets <paramref name="direction"/>'s state in <paramref name="state"/> to its initial value, or to 0 when none is given.</summary>
    private static void StartState(CudaGraph.CudaGraphBuilder b, MLOperand? initial, CudaValue state, int direction, int length)
    {
        var target = new StridedAccess(state, (long)direction * length, [1]);
        if (initial is null)
        {
            ElementwiseKernels.Add(b, [length], target, [], "y = 0.0f;");
        }
        else
        {
            ElementwiseKernels.Add(b, [length], target, [new StridedAccess(b.Value(initial), (long)direction * length, [1])], "y = x0;");
        }
    }

    /// <summary>Copies <paramref name="direction"/>'s hidden state to sequence[step, direction] when the sequence is wanted.</summary>
    private static void WriteSequence(CudaGraph.CudaGraphBuilder b, Network network, CudaValue h, CudaValue? sequence, int direction, int step)
    {
        if (sequence is null)
        {
            return;
        }
        long length = (long)network.Batch * network.Hidden;
        ElementwiseKernels.Add(b, [(int)length], new StridedAccess(sequence, ((long)step * network.Directions + direction) * length, [1]),
            [new StridedAccess(h, direction * length, [1])], "y = x0;");
    }

    /// <summary>A kernel of one thread per <paramref name="threads"/> that reads and writes <paramref name="values"/> (all float32) as out0, out1, ...; in0, in1, ... name the same.</summary>
    private static void Elementwise(CudaGraph.CudaGraphBuilder b, long threads, CudaValue[] values, string body)
    {
        string parameters = string.Join(", ", values.Select((_, k) => $"float* out{k}"));
        string aliases = string.Join("\n", values.Select((_, k) => $"    const float* in{k} = out{k};"));
        string name = b.Program.Add(kernel => $$"""
            extern "C" __global__ void {{kernel}}({{parameters}})
            {
                const long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
                if (i >= {{threads}}) return;
            {{aliases}}
                {{body.ReplaceLineEndings("\n    ")}}
            }

            """);
        b.Step(new KernelLaunch(b.Program, name, threads, values));
    }

    private static string Activation(MLRecurrentNetworkActivation activation) => activation.ToString().ToLowerInvariant();

    /// <summary>The statement that sets <paramref name="target"/> to the activation of <paramref name="value"/>.</summary>
    private static string Activate(string activation, string target, string value) =>
        $"{{ const float v = {value}; {target} = {CudaOperators.ActivationExpression(activation, null)}; }}";
}
