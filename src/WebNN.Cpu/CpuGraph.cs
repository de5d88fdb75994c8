using WebNN.Backends;
using WebNN.Graph;

namespace WebNN.Cpu;

/// <summary>
/// A graph compiled for the CPU: steps in topological order over a fixed set of buffers. Intermediate
/// values share buffers once they are dead, and every buffer is allocated here, so a dispatch
/// allocates nothing.
/// </summary>
internal sealed class CpuGraph : IBackendGraph
{
    private readonly CpuStep[] _steps;
    private readonly Memory<byte>[] _slots;
    private readonly CpuRun _run;
    private readonly Dictionary<string, int> _inputSlots;
    private readonly Dictionary<string, int> _outputSlots;
    private readonly (string From, string To, int ByteLength)[] _outputAliases;
    private readonly Lock _running = new();

    private CpuGraph(CpuStep[] steps, Memory<byte>[] slots, Dictionary<string, int> inputSlots, Dictionary<string, int> outputSlots, (string, string, int)[] outputAliases)
    {
        _steps = steps;
        _slots = slots;
        _run = new CpuRun(slots);
        _inputSlots = inputSlots;
        _outputSlots = outputSlots;
        _outputAliases = outputAliases;
    }

    /// <summary>How many buffers the plan uses: bound inputs and outputs, constants and intermediates.</summary>
    public int BufferCount => _slots.Length;

    public static CpuGraph Compile(GraphDescription graph)
    {
        var lowering = new CpuLowering(graph);
        foreach (var op in graph.Operators)
        {
            lowering.Lower(op);
        }
        var (steps, slots) = lowering.Finish();
        return new CpuGraph(steps, slots, lowering.InputSlots, lowering.OutputSlots, lowering.OutputAliases);
    }

    public void Run(IReadOnlyDictionary<string, IBackendTensor> inputs, IReadOnlyDictionary<string, IBackendTensor> outputs)
    {
        // Bound slots are per run; one run of a graph at a time.
        lock (_running)
        {
            foreach (var (name, slot) in _inputSlots)
            {
                _slots[slot] = ((CpuTensor)inputs[name]).Data;
            }
            foreach (var (name, slot) in _outputSlots)
            {
                _slots[slot] = ((CpuTensor)outputs[name]).Data;
            }
            foreach (var step in _steps)
            {
                step.Execute(_run);
            }
            foreach (var (from, to, byteLength) in _outputAliases)
            {
                ((CpuTensor)outputs[from]).Data.Span[..byteLength].CopyTo(((CpuTensor)outputs[to]).Data.Span);
            }
        }
    }

    public void Dispose()
    {
    }
}
