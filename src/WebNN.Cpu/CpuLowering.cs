using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using WebNN.Graph;

namespace WebNN.Cpu;

/// <summary>Turns one operator into a step; registered per operator in <see cref="CpuOperators"/>.</summary>
internal delegate CpuStep OperatorLowering(MLOperator op, CpuLowering lowering);

/// <summary>
/// Compiles a graph's operators into steps: assigns every value a slot (graph inputs and outputs are
/// bound per run; constants and intermediates own buffers), reuses an intermediate's buffer once its
/// last reader has run, and runs float32-only kernels on float16 values through float32 copies.
/// </summary>
internal sealed class CpuLowering
{
    private readonly List<Memory<byte>> _slots = [];
    private readonly List<CpuStep> _steps = [];
    private readonly Dictionary<MLOperand, CpuValue> _values = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<MLOperand, int> _lastUse = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<MLOperand> _graphOutputs = new(ReferenceEqualityComparer.Instance);
    private readonly List<int> _freeSlots = [];
    private readonly Dictionary<MLOperand, CpuValue> _float32Views = new(ReferenceEqualityComparer.Instance);
    private readonly List<CpuStep> _afterStep = [];
    private readonly List<int> _temporarySlots = [];
    private bool _computeInFloat32;
    private MLOperator? _current;
    private int _operatorIndex;

    public CpuLowering(GraphDescription graph)
    {
        for (int i = 0; i < graph.Operators.Count; i++)
        {
            foreach (var input in graph.Operators[i].Inputs)
            {
                _lastUse[input.Operand] = i;
            }
        }
        foreach (var (name, input) in graph.Inputs)
        {
            int slot = NewSlot(Memory<byte>.Empty);
            InputSlots[name] = slot;
            _values[input] = new CpuValue(slot, input.DataType, input.Dimensions);
        }
        foreach (var constant in graph.Constants)
        {
            byte[] bytes = constant.ConstantData ?? ((CpuTensor)constant.ConstantTensor!.Backend).Data.ToArray();
            _values[constant] = new CpuValue(NewSlot(bytes), constant.DataType, constant.Dimensions);
        }
        var outputOwners = new Dictionary<MLOperand, string>(ReferenceEqualityComparer.Instance);
        var aliases = new List<(string, string, int)>();
        foreach (var (name, output) in graph.Outputs)
        {
            if (outputOwners.TryGetValue(output, out string? owner))
            {
                aliases.Add((owner, name, (int)(output.ElementCount * output.DataType.ByteSize())));
                continue;
            }
            outputOwners[output] = name;
            int slot = NewSlot(Memory<byte>.Empty);
            OutputSlots[name] = slot;
            _values[output] = new CpuValue(slot, output.DataType, output.Dimensions);
            _graphOutputs.Add(output);
        }
        OutputAliases = [.. aliases];
    }

    public Dictionary<string, int> InputSlots { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> OutputSlots { get; } = new(StringComparer.Ordinal);

    public (string From, string To, int ByteLength)[] OutputAliases { get; }

    /// <summary>
    /// The value of <paramref name="operand"/>: its slot, type and shape. For an operator's outputs the
    /// first call allocates. Inside a float32-only operator a float16 operand appears as a float32 copy.
    /// </summary>
    public CpuValue Value(MLOperand operand)
    {
        if (!_values.TryGetValue(operand, out var value))
        {
            value = new CpuValue(AllocateSlot(operand.ElementCount * operand.DataType.ByteSize()), operand.DataType, operand.Dimensions);
            _values[operand] = value;
        }
        if (_computeInFloat32 && value.DataType == MLOperandDataType.Float16)
        {
            return Float32View(operand, value);
        }
        return value;
    }

    /// <summary>
    /// A copy of a constant operand's values in float32, for a kernel to rearrange once at build; null when
    /// <paramref name="operand"/> is not a constant (or not float32 inside this operator).
    /// </summary>
    public float[]? ConstantFloats(MLOperand operand)
    {
        if (!operand.IsConstant)
        {
            return null;
        }
        var value = Value(operand);
        return value.DataType == MLOperandDataType.Float32
            ? MemoryMarshal.Cast<byte, float>(_slots[value.Slot].Span[..value.ByteLength]).ToArray()
            : null;
    }

    /// <summary>A scratch buffer for the operator being lowered, shared with later operators once it has run.</summary>
    public CpuValue Scratch(MLOperandDataType dataType, int[] shape)
    {
        int slot = AllocateSlot(Shapes.ElementCount(shape) * dataType.ByteSize());
        _temporarySlots.Add(slot);
        return new CpuValue(slot, dataType, shape);
    }

    public void Lower(MLOperator op)
    {
        if (!CpuOperators.Registry.TryGetValue(op.Name, out var entry))
        {
            throw new NotSupportedException($"{op.DisplayName}: the cpu backend has no kernel for {op.Name}.");
        }
        _current = op;
        _computeInFloat32 = entry.ComputeInFloat32 && UsesFloat16(op);
        var step = entry.Lower(op, this);
        _steps.Add(step);
        _steps.AddRange(_afterStep);
        _afterStep.Clear();
        _float32Views.Clear();
        _freeSlots.AddRange(_temporarySlots);
        _temporarySlots.Clear();
        _computeInFloat32 = false;
        _current = null;
        foreach (var input in op.Inputs)
        {
            ReleaseIfDead(input.Operand);
        }
        foreach (var output in op.Outputs)
        {
            Value(output);
            ReleaseIfDead(output);
        }
        _operatorIndex++;
    }

    public (CpuStep[] Steps, Memory<byte>[] Slots) Finish() => ([.. _steps], [.. _slots]);

    private static bool UsesFloat16(MLOperator op) =>
        op.Inputs.Any(i => i.Operand.DataType == MLOperandDataType.Float16) || op.Outputs.Any(o => o.DataType == MLOperandDataType.Float16);

    private CpuValue Float32View(MLOperand operand, CpuValue half)
    {
        if (_float32Views.TryGetValue(operand, out var view))
        {
            return view;
        }
        if (operand.IsConstant)
        {
            var floats = new float[half.ElementCount];
            TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(_slots[half.Slot].Span[..half.ByteLength]), floats);
            view = new CpuValue(NewSlot(MemoryMarshal.AsBytes(floats.AsSpan()).ToArray()), MLOperandDataType.Float32, half.Shape);
            _float32Views[operand] = view;
            return view;
        }
        int slot = AllocateSlot((long)half.ElementCount * sizeof(float));
        _temporarySlots.Add(slot);
        view = new CpuValue(slot, MLOperandDataType.Float32, half.Shape);
        _float32Views[operand] = view;
        var target = view;
        if (_current is { } op && op.Outputs.Contains(operand))
        {
            _afterStep.Add(new DelegateStep(run => TensorPrimitives.ConvertToHalf(run.Floats(target), run.Span<Half>(half))));
        }
        else
        {
            _steps.Add(new DelegateStep(run => TensorPrimitives.ConvertToSingle(run.Span<Half>(half), run.Floats(target))));
        }
        return view;
    }

    private void ReleaseIfDead(MLOperand operand)
    {
        if (operand.IsInput || operand.IsConstant || _graphOutputs.Contains(operand))
        {
            return;
        }
        if (_lastUse.TryGetValue(operand, out int last) && last > _operatorIndex)
        {
            return;
        }
        if (_values.TryGetValue(operand, out var value) && !_freeSlots.Contains(value.Slot))
        {
            _freeSlots.Add(value.Slot);
        }
    }

    private int AllocateSlot(long byteLength)
    {
        int best = -1;
        for (int i = 0; i < _freeSlots.Count; i++)
        {
            int candidate = _freeSlots[i];
            if (_slots[candidate].Length >= byteLength && (best < 0 || _slots[candidate].Length < _slots[_freeSlots[best]].Length))
            {
                best = i;
            }
        }
        if (best >= 0)
        {
            int slot = _freeSlots[best];
            _freeSlots.RemoveAt(best);
            return slot;
        }
        return NewSlot(AlignedMemory.Allocate(byteLength, zeroed: false));
    }

    private int NewSlot(Memory<byte> buffer)
    {
        _slots.Add(buffer);
        return _slots.Count - 1;
    }
}
