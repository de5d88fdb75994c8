using WebNN.Backends;
using WebNN.Cuda.Interop;
using WebNN.Cuda.Kernels;
using WebNN.Graph;

namespace WebNN.Cuda;

/// <summary>
/// Where a value of a compiled graph lives: a graph input or output (bound to the caller's tensor at dispatch,
/// <see cref="BoundSlot"/>), a constant in memory of its own, or a block of the graph's arena (intermediates and
/// scratch space, placed by <see cref="ArenaPlan"/> so that values whose lifetimes do not overlap share memory).
/// </summary>
internal sealed class CudaValue(MLOperandDataType dataType, int[] shape)
{
    public MLOperandDataType DataType { get; } = dataType;

    public int[] Shape { get; } = shape;

    public long ElementCount => Shapes.ElementCount(Shape);

    public long ByteLength => ElementCount * DataType.ByteSize();

    /// <summary>The index of the dispatch's tensor this value is, or -1 for the graph's own memory.</summary>
    public int BoundSlot { get; init; } = -1;

    /// <summary>The offset in the arena, or -1 outside it.</summary>
    public long ArenaOffset { get; set; } = -1;

    /// <summary>The device address of the graph's own memory (a constant's, or the arena's plus <see cref="ArenaOffset"/>).</summary>
    public ulong Pointer { get; set; }
}

/// <summary>One thing a dispatch does on the stream: a kernel launch, a cuDNN or cuBLAS call, a copy.</summary>
internal abstract class CudaStep : IDisposable
{
    public abstract void Run(CudaRun run);

    public virtual void Dispose()
    {
    }
}

/// <summary>What steps read while a graph runs: the context's handles, the dispatch's tensors and the graph's workspace.</summary>
internal sealed class CudaRun(CudaContext context, int boundCount)
{
    public CudaContext Context { get; } = context;

    /// <summary>The device addresses of the dispatch's tensors, by <see cref="CudaValue.BoundSlot"/>.</summary>
    public ulong[] Bound { get; } = new ulong[boundCount];

    /// <summary>cuDNN's workspace, shared by the graph's convolutions (they run one after another on the stream).</summary>
    public ulong Workspace { get; set; }

    public nuint WorkspaceBytes { get; set; }

    public ulong Pointer(CudaValue value) => value.BoundSlot >= 0 ? Bound[value.BoundSlot] : value.Pointer;
}

/// <summary>
/// Places blocks in one arena: each block goes at the lowest offset where it fits between the live ones, so that
/// a value's memory is reused once its last reader has run. The arena's size is the highest end reached.
/// </summary>
internal sealed class ArenaPlan
{
    /// <summary>Blocks are aligned to 256 bytes, as cuMemAlloc aligns allocations (and vectorized kernels assume).</summary>
    private const long Alignment = 256;

    private readonly List<(long Offset, long Size)> _live = [];

    public long Size { get; private set; }

    public long Allocate(long byteLength)
    {
        long size = Math.Max(Alignment, (byteLength + Alignment - 1) / Alignment * Alignment);
        long offset = 0;
        foreach (var block in _live.OrderBy(b => b.Offset))
        {
            if (block.Offset - offset >= size)
            {
                break;
            }
            offset = Math.Max(offset, block.Offset + block.Size);
        }
        _live.Add((offset, size));
        Size = Math.Max(Size, offset + size);
        return offset;
    }

    public void Free(long offset) => _live.RemoveAt(_live.FindIndex(b => b.Offset == offset));
}

/// <summary>
/// A graph compiled for a CUDA context. Compiling plans all device memory once (constants, one arena for
/// intermediates and scratch, one cuDNN workspace), compiles every generated kernel in one NVRTC program and
/// chooses each convolution's algorithm on the real shapes; a dispatch only issues the steps on the stream.
/// A graph of more than one step is captured into a CUDA graph per set of bound tensors (the steps' addresses are
/// fixed in it) and replayed with one launch, which spares the GPU the gaps between the steps' launches.
/// </summary>
internal sealed class CudaGraph : IBackendGraph
{
    /// <summary>How many sets of bound tensors keep their captured CUDA graph (applications usually alternate between a few).</summary>
    private const int CapturedGraphs = 8;

    private readonly List<(ulong[] Bound, nint Executable)> _captured = [];
    private readonly CudaContext _context;
    private readonly List<CudaStep> _steps;
    private readonly string[] _boundNames;
    private readonly CudaRun _run;
    private readonly List<CudaTensor> _memory;
    private readonly CudaProgram? _program;

    private CudaGraph(CudaContext context, List<CudaStep> steps, string[] boundNames, CudaRun run, List<CudaTensor> memory, CudaProgram? program)
    {
        _context = context;
        _steps = steps;
        _boundNames = boundNames;
        _run = run;
        _memory = memory;
        _program = program;
    }

    public static CudaGraph Compile(CudaContext context, GraphDescription graph)
    {
        var builder = new CudaGraphBuilder(context);
        try
        {
            return builder.Build(graph);
        }
        catch
        {
            builder.DisposeAll();
            throw;
        }
    }

    public void Run(IReadOnlyDictionary<string, IBackendTensor> inputs, IReadOnlyDictionary<string, IBackendTensor> outputs)
    {
        for (int slot = 0; slot < _boundNames.Length; slot++)
        {
            string name = _boundNames[slot];
            var tensor = (CudaTensor)(inputs.TryGetValue(name, out var input) ? input : outputs[name]);
            tensor.PrepareForCuda("dispatch");
            _run.Bound[slot] = tensor.DevicePointer;
        }
        if (_steps.Count == 1)
        {
            _steps[0].Run(_run);
            return;
        }
        CudaDriver.Check(CudaDriver.cuGraphLaunch(Captured(), _context.Stream), "cuGraphLaunch");
    }

    /// <summary>The CUDA graph of the steps on the bound tensors, captured from the stream the first time they are bound.</summary>
    private nint Captured()
    {
        foreach (var (bound, executable) in _captured)
        {
            if (bound.AsSpan().SequenceEqual(_run.Bound))
            {
                return executable;
            }
        }
        CudaDriver.Check(CudaDriver.cuStreamBeginCapture_v2(_context.Stream, CudaDriver.CaptureModeThreadLocal), "cuStreamBeginCapture");
        nint graph;
        try
        {
            foreach (var step in _steps)
            {
                step.Run(_run);
            }
        }
        finally
        {
            CudaDriver.Check(CudaDriver.cuStreamEndCapture(_context.Stream, out graph), "cuStreamEndCapture");
        }
        try
        {
            CudaDriver.Check(CudaDriver.cuGraphInstantiateWithFlags(out nint executable, graph, 0), "cuGraphInstantiateWithFlags");
            if (_captured.Count == CapturedGraphs)
            {
                _context.Synchronize();
                _ = CudaDriver.cuGraphExecDestroy(_captured[0].Executable);
                _captured.RemoveAt(0);
            }
            _captured.Add(([.. _run.Bound], executable));
            return executable;
        }
        finally
        {
            _ = CudaDriver.cuGraphDestroy(graph);
        }
    }

    public void Dispose()
    {
        _context.MakeCurrent();
        _context.Synchronize();
        foreach (var (_, executable) in _captured)
        {
            _ = CudaDriver.cuGraphExecDestroy(executable);
        }
        foreach (var step in _steps)
        {
            step.Dispose();
        }
        foreach (var memory in _memory)
        {
            memory.Dispose();
        }
        _program?.Dispose();
    }

    /// <summary>Lowers a graph's operators to steps, plans its memory and compiles its kernels.</summary>
    internal sealed class CudaGraphBuilder(CudaContext context)
    {
        private readonly Dictionary<MLOperand, CudaValue> _values = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<MLOperand> _constants = new(ReferenceEqualityComparer.Instance);
        private readonly List<string> _boundNames = [];
        private readonly List<CudaStep> _steps = [];
        private readonly List<CudaStep> _buildSteps = [];
        private readonly List<CudaTensor> _memory = [];
        private readonly List<CudaValue> _arenaValues = [];
        private readonly List<CudaValue> _scratch = [];
        private readonly ArenaPlan _arena = new();
        private nuint _workspaceBytes;

        public CudaContext Context { get; } = context;

        /// <summary>The NVRTC program every generated kernel of the graph goes into.</summary>
        public CudaProgram Program { get; } = new();

        public CudaValue Value(MLOperand operand) => _values[operand];

        public bool IsConstant(MLOperand operand) => _constants.Contains(operand);

        /// <summary>Arena memory that lives while the current operator runs: its steps' scratch space.</summary>
        public CudaValue Scratch(MLOperandDataType dataType, int[] shape)
        {
            var value = new CudaValue(dataType, shape);
            value.ArenaOffset = _arena.Allocate(value.ByteLength);
            _arenaValues.Add(value);
            _scratch.Add(value);
            return value;
        }

        /// <summary>Memory of the graph's own for as long as the graph lives (a constant prepared at build, such as a transposed filter).</summary>
        public CudaValue Constant(MLOperandDataType dataType, int[] shape, ReadOnlySpan<byte> bytes = default)
        {
            var value = new CudaValue(dataType, shape);
            var tensor = Context.Allocate(value.ByteLength);
            _memory.Add(tensor);
            value.Pointer = tensor.DevicePointer;
            if (bytes.IsEmpty)
            {
                CudaDriver.Check(CudaDriver.cuMemsetD8Async(tensor.DevicePointer, 0, (nuint)value.ByteLength, Context.Stream), "cuMemsetD8Async");
            }
            else
            {
                Context.Write(tensor, bytes);
            }
            return value;
        }

        /// <summary>Adds a step to every dispatch.</summary>
        public void Step(CudaStep step) => _steps.Add(step);

        /// <summary>Adds a step that runs once, at the end of the build (preparing constants).</summary>
        public void BuildStep(CudaStep step) => _buildSteps.Add(step);

        /// <summary>Asks for cuDNN workspace; the graph has one, as large as its largest request.</summary>
        public void Workspace(nuint bytes) => _workspaceBytes = Math.Max(_workspaceBytes, bytes);

        public CudaGraph Build(GraphDescription graph)
        {
            foreach (var (name, input) in graph.Inputs)
            {
                _values[input] = Bound(input, name);
            }
            foreach (var (name, output) in graph.Outputs)
            {
                _values.TryAdd(output, Bound(output, name));
            }
            foreach (var constant in graph.Constants)
            {
                _constants.Add(constant);
                _values[constant] = Constant(constant.DataType, constant.Dimensions, constant.ConstantData ?? ReadConstantTensor(constant));
            }
            var lastUse = new Dictionary<MLOperand, int>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < graph.Operators.Count; i++)
            {
                foreach (var input in graph.Operators[i].Inputs)
                {
                    lastUse[input.Operand] = i;
                }
            }
            for (int i = 0; i < graph.Operators.Count; i++)
            {
                var op = graph.Operators[i];
                foreach (var output in op.Outputs)
                {
                    if (!_values.ContainsKey(output))
                    {
                        var value = new CudaValue(output.DataType, output.Dimensions);
                        value.ArenaOffset = _arena.Allocate(value.ByteLength);
                        _arenaValues.Add(value);
                        _values[output] = value;
                    }
                }
                CudaOperators.Lower(op, this);
                foreach (var scratch in _scratch)
                {
                    _arena.Free(scratch.ArenaOffset);
                }
                _scratch.Clear();
                foreach (var output in op.Outputs)
                {
                    // An output nothing reads dies at once (an unused result of split, say).
                    FreeIfDead(output, lastUse.GetValueOrDefault(output, i), i);
                }
                foreach (var input in op.Inputs.Select(x => x.Operand).Distinct(ReferenceEqualityComparer.Instance).Cast<MLOperand>())
                {
                    FreeIfDead(input, lastUse[input], i);
                }
            }
            var program = Program.IsEmpty ? null : Program;
            program?.Compile(Context.Device);
            if (_arena.Size > 0)
            {
                var arena = Context.Allocate(_arena.Size);
                _memory.Add(arena);
                foreach (var value in _arenaValues)
                {
                    value.Pointer = arena.DevicePointer + (ulong)value.ArenaOffset;
                }
            }
            var run = new CudaRun(Context, _boundNames.Count);
            if (_workspaceBytes > 0)
            {
                var workspace = Context.Allocate((long)_workspaceBytes);
                _memory.Add(workspace);
                run.Workspace = workspace.DevicePointer;
                run.WorkspaceBytes = _workspaceBytes;
            }
            foreach (var step in _buildSteps)
            {
                step.Run(run);
            }
            Context.Synchronize();
            foreach (var step in _buildSteps)
            {
                step.Dispose();
            }
            return new CudaGraph(Context, _steps, [.. _boundNames], run, _memory, program);
        }

        private void FreeIfDead(MLOperand operand, int lastUse, int index)
        {
            if (lastUse == index && _values.TryGetValue(operand, out var value) && value.ArenaOffset >= 0)
            {
                _arena.Free(value.ArenaOffset);
            }
        }

        private CudaValue Bound(MLOperand operand, string name)
        {
            _boundNames.Add(name);
            return new CudaValue(operand.DataType, operand.Dimensions) { BoundSlot = _boundNames.Count - 1 };
        }

        private byte[] ReadConstantTensor(MLOperand constant)
        {
            var bytes = new byte[constant.ElementCount * constant.DataType.ByteSize()];
            Context.ReadAsync(constant.ConstantTensor!.Backend, bytes).GetAwaiter().GetResult();
            return bytes;
        }

        /// <summary>Releases what a failed build made.</summary>
        public void DisposeAll()
        {
            foreach (var step in _steps.Concat(_buildSteps))
            {
                step.Dispose();
            }
            foreach (var memory in _memory)
            {
                memory.Dispose();
            }
            Program.Dispose();
        }
    }
}
