using WebNN.Graph;

namespace WebNN.WebGpu.Kernels;

/// <summary>
/// gru, gruCell, lstm and lstmCell as the spec decomposes them, unrolled over the steps (known when the graph
/// compiles); a cell is one forward step from its state arguments. The hidden (and cell) state outputs hold the
/// running state. First each state is set to its initial value (zeros when none is given) and one product projects
/// every direction's and step's input (x·Wᵀ + bias) into scratch space; then per step, both directions in the same
/// dispatches, the recurrent product (h·Rᵀ + recurrentBias) goes into a second scratch buffer, an update activates the
/// gates and writes the new states, and when the sequence is wanted the hidden state is copied into it. An absent
/// optional input is flagged in the parameters and another read-only value stands in at its binding (never read).
/// </summary>
internal static class RecurrentKernels
{
    public static IEnumerable<KeyValuePair<string, GpuOperator>> Operators() =>
    [
        new("gru", new GpuOperator(WebGpuOperators.Floats, Gru)),
        new("gruCell", new GpuOperator(WebGpuOperators.Floats, Gru)),
        new("lstm", new GpuOperator(WebGpuOperators.Floats, Lstm)),
        new("lstmCell", new GpuOperator(WebGpuOperators.Floats, Lstm)),
    ];

    /// <summary>
    /// Per step: z and r's recurrent products, then the new gate's (of h, or of r ⊙ h before resetAfter's product),
    /// then z, r = f(·), n = g(x·Wnᵀ + bn + r ⊙ (h·Rnᵀ + rbn)) or g(x·Wnᵀ + bn + (r ⊙ h)·Rnᵀ + rbn), h = z ⊙ h + (1 − z) ⊙ n.
    /// </summary>
    private static IEnumerable<GpuKernel> Gru(MLOperator op, KernelBuilder b)
    {
        var a = op.AttributesAs<GruAttributes>();
        string gate = Activation(a.Activations[0]), candidate = Activation(a.Activations[1]);
        var run = Run.Of(op, b, a.Steps, a.HiddenSize, a.Direction, gates: 3, gate);
        var hidden = b.Value(op.Outputs[0]);
        var sequence = a.ReturnSequence ? b.Value(op.Outputs[1]) : null;
        int h = a.HiddenSize, update = a.Layout == MLGruWeightLayout.Zrn ? 0 : h, reset = h - update, next = 2 * h;
        yield return StartState(b, run, Optional(b, op.Input("initialHiddenState") ?? op.Input("hiddenState")), hidden);
        yield return run.Projection(b);
        for (int s = 0; s < a.Steps; s++)
        {
            yield return run.RecurrentProduct(b, hidden, s, first: 0, columns: next);
            // resetAfter scales the new gate's product by r afterwards (in the update); otherwise r scales h inside it.
            yield return run.RecurrentProduct(b, hidden, s, first: next, columns: h, resetColumn: a.ResetAfter ? null : reset);
            uint[] parameters = [.. run.StepWords(s), (uint)update, (uint)reset, a.ResetAfter ? 1u : 0u];
            yield return b.Kernel("gru update", GruUpdateWgsl(gate, candidate), parameters, [run.Projected, run.Recurrent, hidden], run.Units);
            if (sequence is not null)
            {
                yield return run.SequenceStep(b, hidden, sequence, s);
            }
        }
    }

    /// <summary>
    /// Per step: every gate's recurrent product, then i, o, f = f(· + peephole ⊙ c), g = g(·), c = f ⊙ c + i ⊙ g, h = o ⊙ h(c).
    /// The peephole weights are [input, output, forget] whatever the layout.
    /// </summary>
    private static IEnumerable<GpuKernel> Lstm(MLOperator op, KernelBuilder b)
    {
        var a = op.AttributesAs<LstmAttributes>();
        string gate = Activation(a.Activations[0]);
        var run = Run.Of(op, b, a.Steps, a.HiddenSize, a.Direction, gates: 4, gate);
        var hidden = b.Value(op.Outputs[0]);
        var cell = b.Value(op.Outputs[1]);
        var sequence = a.ReturnSequence ? b.Value(op.Outputs[2]) : null;
        var peephole = Optional(b, op.Input("peepholeWeight"));
        int h = a.HiddenSize;
        bool iofg = a.Layout == MLLstmWeightLayout.Iofg;
        uint[] columns = [0, (uint)((iofg ? 1 : 3) * h), (uint)((iofg ? 2 : 1) * h), (uint)((iofg ? 3 : 2) * h)];
        string wgsl = LstmUpdateWgsl(gate, Activation(a.Activations[1]), Activation(a.Activations[2]));
        yield return StartState(b, run, Optional(b, op.Input("initialHiddenState") ?? op.Input("hiddenState")), hidden);
        yield return StartState(b, run, Optional(b, op.Input("initialCellState") ?? op.Input("cellState")), cell);
        yield return run.Projection(b);
        for (int s = 0; s < a.Steps; s++)
        {
            yield return run.RecurrentProduct(b, hidden, s, first: 0, columns: 4 * h);
            uint[] parameters = [.. run.StepWords(s), .. columns, Flag(peephole)];
            yield return b.Kernel("lstm update", wgsl, parameters, [run.Projected, run.Recurrent, peephole ?? run.Projected, hidden, cell], run.Units);
            if (sequence is not null)
            {
                yield return run.SequenceStep(b, hidden, sequence, s);
            }
        }
    }

    /// <summary>
    /// The values and sizes of one recurrent operator's run, its two scratch buffers, the parameter words its kernels share
    /// and its products. <paramref name="Gate"/> is the WGSL of the gate activation (gru's reset gate scales h with it).
    /// </summary>
    private sealed record Run(GpuValue Input, GpuValue Weight, GpuValue RecurrentWeight, GpuValue? Bias, GpuValue? RecurrentBias,
        int Steps, int Batch, int InputSize, int Hidden, int Directions, bool Backward, int Width, string Gate)
    {
        /// <summary>The run of <paramref name="op"/>: a cell's input is [batch, inputSize] and its weights have no direction dimension.</summary>
        public static Run Of(MLOperator op, KernelBuilder b, int steps, int hiddenSize, MLRecurrentNetworkDirection direction, int gates, string gate)
        {
            var input = b.Value(op.Input("input")!);
            int batch = input.Shape[^2], directions = direction == MLRecurrentNetworkDirection.Both ? 2 : 1, width = gates * hiddenSize;
            return new Run(input, b.Value(op.Input("weight")!), b.Value(op.Input("recurrentWeight")!), Optional(b, op.Input("bias")), Optional(b, op.Input("recurrentBias")),
                steps, batch, input.Shape[^1], hiddenSize, directions, direction == MLRecurrentNetworkDirection.Backward, width, gate)
            {
                Projected = b.Buffer(MLOperandDataType.Float32, [directions, steps, batch, width], $"{op.Name} projected inputs"),
                Recurrent = b.Buffer(MLOperandDataType.Float32, [directions, batch, width], $"{op.Name} recurrent products"),
            };
        }

        /// <summary>[directions, steps, batch, width]: every step's x·Wᵀ + bias, by input step.</summary>
        public required GpuValue Projected { get; init; }

        /// <summary>[directions, batch, width]: the current step's h·Rᵀ + recurrentBias.</summary>
        public required GpuValue Recurrent { get; init; }

        /// <summary>Invocations of the per-element kernels: one per direction, batch row and hidden unit.</summary>
        public long Units => (long)Directions * Batch * Hidden;

        /// <summary>The input step that direction <paramref name="direction"/> reads at its <paramref name="step"/>-th step: backward runs last to first.</summary>
        private int StepIndex(int direction, int step) => Backward || direction == 1 ? Steps - 1 - step : step;

        /// <summary>
        /// [directions, batch, hidden, width, projected row of direction 0's step, of direction 1's]: the words every per-step
        /// kernel starts with. A row is a batch row of the projected gates; direction 1's word is unused with one direction.
        /// </summary>
        public uint[] StepWords(int step) =>
        [
            (uint)Directions, (uint)Batch, (uint)Hidden, (uint)Width,
            (uint)(StepIndex(0, step) * Batch), (uint)((Steps + StepIndex(1, step)) * Batch),
        ];

        /// <summary>
        /// Copies every direction's hidden state after step <paramref name="step"/> to sequence[t, d], t the input step it read.
        /// Parameters: [directions, batch, hidden, sequence row of direction 0's step, of direction 1's] (rows of hidden).
        /// </summary>
        public GpuKernel SequenceStep(KernelBuilder b, GpuValue hidden, GpuValue sequence, int step)
        {
            uint[] parameters = [(uint)Directions, (uint)Batch, (uint)Hidden, (uint)(StepIndex(0, step) * Directions * Batch), (uint)((StepIndex(1, step) * Directions + 1) * Batch)];
            return b.Kernel("recurrent sequence step", SequenceStepWgsl, parameters, [hidden, sequence], Units);
        }

        /// <summary>Every direction's and step's x·Wᵀ + bias into <see cref="Projected"/>, the input's rows shared by the directions.</summary>
        public GpuKernel Projection(KernelBuilder b) => Product(b, "project inputs",
            [(uint)Directions, (uint)(Steps * Batch), (uint)InputSize, (uint)Width, 0, (uint)Width, Flag(Bias), 0, 0, 0, 0, 0],
            [Input, Weight, Bias ?? Weight, Input, Projected], (long)Directions * Steps * Batch * Width);

        /// <summary>
        /// Columns [first, first + columns) of the step's recurrent product into <see cref="Recurrent"/>. With <paramref name="resetColumn"/>
        /// (the reset gate's column), h is scaled by the activated reset gate first (gru before resetAfter).
        /// </summary>
        public GpuKernel RecurrentProduct(KernelBuilder b, GpuValue hidden, int step, int first, int columns, int? resetColumn = null)
        {
            var words = StepWords(step);
            return Product(b, "recurrent product",
                [(uint)Directions, (uint)Batch, (uint)Hidden, (uint)Width, (uint)first, (uint)columns, Flag(RecurrentBias), (uint)(Batch * Hidden),
                    words[4], words[5], resetColumn is null ? 0u : 1u, (uint)(resetColumn ?? 0)],
                [hidden, RecurrentWeight, RecurrentBias ?? RecurrentWeight, Projected, Recurrent], (long)Directions * Batch * columns);
        }

        private GpuKernel Product(KernelBuilder b, string label, uint[] parameters, GpuValue[] bindings, long invocations)
        {
            return b.Kernel(label, ProductWgsl(Gate), parameters, bindings, invocations);
        }
    }

    /// <summary>Sets a state output to its initial value, or zeros. Parameters: [count, hasInitial].</summary>
    private static GpuKernel StartState(KernelBuilder b, Run run, GpuValue? initial, GpuValue state)
    {
        return b.Kernel("recurrent start state", StartStateWgsl, [(uint)state.ElementCount, Flag(initial)], [initial ?? run.Input, state], state.ElementCount);
    }

    private static GpuValue? Optional(KernelBuilder b, MLOperand? operand) => operand is null ? null : b.Value(operand);

    private static uint Flag(GpuValue? optional) => optional is null ? 0u : 1u;

    private static string Activation(MLRecurrentNetworkActivation activation) => WgslKernels.UnaryExpressions[activation switch
    {
        MLRecurrentNetworkActivation.Relu => "relu",
        MLRecurrentNetworkActivation.Sigmoid => "sigmoid",
        _ => "tanh",
    }];

    private const string StartStateWgsl = WgslKernels.Header + """
        @group(0) @binding(1) var<storage, read> initial: array<f32>;
        @group(0) @binding(2) var<storage, read_write> state: array<f32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let i = invocation(g, n);
            if (i >= p[0]) { return; }
            state[i] = select(0.0, initial[i], p[1] != 0u);
        }
        """;

    /// <summary>
    /// product[d, row, c] = Σk left(d, row, k) · weight[d, c, k] + bias[d, c] for the columns c in [first, first + columns), one
    /// invocation each; left(d, row, k) is the left operand's row of direction d (a direction stride of 0 shares the rows), and when
    /// reset is set also times gate(projected + product) at the reset gate's column k (outside the columns written).
    /// Parameters: [directions, rows, K, width, first, columns, hasBias, left direction stride, projected row of direction 0's step,
    /// of direction 1's, reset, reset column].
    /// </summary>
    private static string ProductWgsl(string gate) => WgslKernels.Header + $$"""
        @group(0) @binding(1) var<storage, read> left: array<f32>;
        @group(0) @binding(2) var<storage, read> weight: array<f32>;
        @group(0) @binding(3) var<storage, read> bias: array<f32>;
        @group(0) @binding(4) var<storage, read> projected: array<f32>;
        @group(0) @binding(5) var<storage, read_write> product: array<f32>;

        fn gate(v: f32) -> f32 { return {{gate}}; }

        fn left_value(d: u32, row: u32, k: u32) -> f32 {
            let value = left[d * p[7] + row * p[2] + k];
            if (p[10] == 0u) { return value; }
            let column = p[11] + k;
            return value * gate(projected[(p[8u + d] + row) * p[3] + column] + product[(d * p[1] + row) * p[3] + column]);
        }

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let t = invocation(g, n);
            let columns = p[5];
            if (t >= p[0] * p[1] * columns) { return; }
            let c = p[4] + t % columns;
            let row = (t / columns) % p[1];
            let d = t / (columns * p[1]);
            let width = p[3];
            let k = p[2];
            var acc = 0.0;
            if (p[6] != 0u) { acc = bias[d * width + c]; }
            let w = (d * width + c) * k;
            for (var q = 0u; q < k; q++) { acc += left_value(d, row, q) * weight[w + q]; }
            product[(d * p[1] + row) * width + c] = acc;
        }
        """;

    private const string SequenceStepWgsl = WgslKernels.Header + """
        @group(0) @binding(1) var<storage, read> hidden: array<f32>;
        @group(0) @binding(2) var<storage, read_write> sequence: array<f32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let i = invocation(g, n);
            let hidden_size = p[2];
            if (i >= p[0] * p[1] * hidden_size) { return; }
            let row = i / hidden_size;
            let d = row / p[1];
            sequence[(p[3u + d] + row % p[1]) * hidden_size + i % hidden_size] = hidden[i];
        }
        """;

    /// <summary>The words and indexing every per-step update starts with (see <see cref="Run.StepWords"/>); <c>unit</c> walks (d, b, j).</summary>
    private const string UpdatePrelude = """
        struct Unit { d: u32, b: u32, j: u32, state: u32, gates: u32, recurrent: u32 }

        // Where hidden unit j of batch row b of direction d is in the states, and where its batch row starts in the projected and recurrent gates.
        fn unit(t: u32) -> Unit {
            let hidden = p[2];
            let j = t % hidden;
            let b = (t / hidden) % p[1];
            let d = t / (hidden * p[1]);
            let row = d * p[1] + b;
            return Unit(d, b, j, row * hidden + j, (p[4u + d] + b) * p[3], row * p[3]);
        }

        """;

    /// <summary>Parameters: <see cref="Run.StepWords"/>, [update column, reset column, resetAfter].</summary>
    private static string GruUpdateWgsl(string gate, string candidate) => WgslKernels.Header + UpdatePrelude + $$"""
        @group(0) @binding(1) var<storage, read> projected: array<f32>;
        @group(0) @binding(2) var<storage, read> recurrent: array<f32>;
        @group(0) @binding(3) var<storage, read_write> hidden: array<f32>;

        fn gate(v: f32) -> f32 { return {{gate}}; }
        fn candidate(v: f32) -> f32 { return {{candidate}}; }

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let t = invocation(g, n);
            if (t >= p[0] * p[1] * p[2]) { return; }
            let u = unit(t);
            let z = gate(projected[u.gates + p[6] + u.j] + recurrent[u.recurrent + p[6] + u.j]);
            let r = gate(projected[u.gates + p[7] + u.j] + recurrent[u.recurrent + p[7] + u.j]);
            let next = 2u * p[2] + u.j;
            let recurrentNext = recurrent[u.recurrent + next];
            let candidateValue = candidate(projected[u.gates + next] + select(recurrentNext, r * recurrentNext, p[8] != 0u));
            hidden[u.state] = z * hidden[u.state] + (1.0 - z) * candidateValue;
        }
        """;

    /// <summary>Parameters: <see cref="Run.StepWords"/>, [input, output, forget, cell gate columns, hasPeephole].</summary>
    private static string LstmUpdateWgsl(string gate, string candidate, string cellOutput) => WgslKernels.Header + UpdatePrelude + $$"""
        @group(0) @binding(1) var<storage, read> projected: array<f32>;
        @group(0) @binding(2) var<storage, read> recurrent: array<f32>;
        @group(0) @binding(3) var<storage, read> peephole: array<f32>;
        @group(0) @binding(4) var<storage, read_write> hidden: array<f32>;
        @group(0) @binding(5) var<storage, read_write> cell: array<f32>;

        fn gate(v: f32) -> f32 { return {{gate}}; }
        fn candidate(v: f32) -> f32 { return {{candidate}}; }
        fn cell_output(v: f32) -> f32 { return {{cellOutput}}; }

        fn preactivation(u: Unit, column: u32) -> f32 { return projected[u.gates + column + u.j] + recurrent[u.recurrent + column + u.j]; }

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let t = invocation(g, n);
            if (t >= p[0] * p[1] * p[2]) { return; }
            let u = unit(t);
            let c = cell[u.state];
            var i = preactivation(u, p[6]);
            var o = preactivation(u, p[7]);
            var f = preactivation(u, p[8]);
            if (p[10] != 0u) {
                let base = u.d * 3u * p[2] + u.j;
                i += c * peephole[base];
                o += c * peephole[base + p[2]];
                f += c * peephole[base + 2u * p[2]];
            }
            let newCell = gate(f) * c + gate(i) * candidate(preactivation(u, p[9]));
            cell[u.state] = newCell;
            hidden[u.state] = gate(o) * cell_output(newCell);
        }
        """;
}
