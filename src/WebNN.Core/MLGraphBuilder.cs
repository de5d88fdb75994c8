using System.Runtime.InteropServices;
using WebNN.Graph;
using WebNN.Validation;

namespace WebNN;

/// <summary>
/// Builds a graph of operations for one context, then compiles it with <see cref="BuildAsync"/>
/// (spec: <c>MLGraphBuilder</c>). Every operation validates its arguments as the spec's method
/// steps say and throws at once: <see cref="ArgumentException"/> for the spec's TypeError,
/// <see cref="InvalidOperationException"/> for InvalidStateError. A builder builds once.
/// Not thread-safe: build a graph from one thread at a time.
/// </summary>
public sealed partial class MLGraphBuilder
{
    private readonly MLContext _context;
    private readonly Dictionary<string, MLOperand> _inputs = new(StringComparer.Ordinal);
    private int _nextOperandId;
    private bool _hasBuilt;

    /// <summary>Creates a builder for <paramref name="context"/> (spec: <c>new MLGraphBuilder(context)</c>).</summary>
    /// <exception cref="ObjectDisposedException">The context is lost or destroyed.</exception>
    public MLGraphBuilder(MLContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.ThrowIfLost("MLGraphBuilder");
        _context = context;
    }

    /// <summary>The spec names of the 95 operations a builder offers ("abs", "add", ... "where"), sorted: an extension of the spec.</summary>
    public static IReadOnlyList<string> OperationNames { get; } = SpecTensorLimits.ByOperator.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The context this builder builds for.</summary>
    public MLContext Context => _context;

    /// <summary>Declares a graph input (spec: <c>input(name, descriptor)</c>).</summary>
    public MLOperand Input(string name, MLOperandDescriptor descriptor)
    {
        ThrowIfCannotBuild("input");
        ArgumentNullException.ThrowIfNull(descriptor);
        if (string.IsNullOrEmpty(name))
        {
            throw Errors.Type("input", "name must not be empty.");
        }
        if (_inputs.ContainsKey(name))
        {
            throw Errors.Type("input", $"an input named '{name}' already exists in this graph.");
        }
        _context.CheckDimensions($"input '{name}'", descriptor);
        var operand = new MLOperand(this, descriptor.DataType, (int[])descriptor.Shape.Clone()) { InputName = name };
        _inputs.Add(name, operand);
        return operand;
    }

    /// <summary>Declares a constant holding a copy of <paramref name="buffer"/> (spec: <c>constant(descriptor, buffer)</c>).</summary>
    public MLOperand Constant(MLOperandDescriptor descriptor, ReadOnlySpan<byte> buffer)
    {
        ThrowIfCannotBuild("constant");
        ArgumentNullException.ThrowIfNull(descriptor);
        _context.CheckDimensions("constant", descriptor);
        if (buffer.Length != descriptor.ByteLength)
        {
            throw Errors.Type("constant", $"the buffer's byte length ({buffer.Length}) must equal the byte length of {descriptor} ({descriptor.ByteLength}).");
        }
        return new MLOperand(this, descriptor.DataType, (int[])descriptor.Shape.Clone()) { ConstantData = buffer.ToArray() };
    }

    /// <summary>Declares a constant from typed values; <typeparamref name="T"/> must match the descriptor's data type.</summary>
    public MLOperand Constant<T>(MLOperandDescriptor descriptor, ReadOnlySpan<T> values) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (MLOperandDataTypes.Of<T>() != descriptor.DataType)
        {
            throw Errors.Type("constant", $"elements of {typeof(T).Name} do not match data type {descriptor.DataType.SpecName()}.");
        }
        return Constant(descriptor, MemoryMarshal.AsBytes(values));
    }

    /// <summary>Declares a constant from typed values; <typeparamref name="T"/> must match the descriptor's data type.</summary>
    public MLOperand Constant<T>(MLOperandDescriptor descriptor, T[] values) where T : unmanaged =>
        Constant(descriptor, (ReadOnlySpan<T>)values);

    /// <summary>Declares a scalar constant of <paramref name="dataType"/> (spec: <c>constant(dataType, value)</c>); the value is cast to the type.</summary>
    public MLOperand Constant(MLOperandDataType dataType, MLNumber value)
    {
        ThrowIfCannotBuild("constant");
        if (!Enum.IsDefined(dataType))
        {
            throw Errors.Type("constant", $"data type ({(int)dataType}) is not an MLOperandDataType.");
        }
        var bytes = new byte[dataType.ByteSize()];
        value.WriteAs(dataType, bytes);
        return new MLOperand(this, dataType, []) { ConstantData = bytes };
    }

    /// <summary>Declares a constant backed by a constant tensor of the same context (spec: <c>constant(tensor)</c>).</summary>
    public MLOperand Constant(MLTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!ReferenceEquals(tensor.Context, _context))
        {
            throw Errors.Type("constant", "the tensor belongs to another context.");
        }
        if (tensor.IsDestroyed)
        {
            throw Errors.Type("constant", "the tensor has been destroyed.");
        }
        if (!tensor.Constant)
        {
            throw Errors.Type("constant", "the tensor is not a constant tensor; create it with MLContext.CreateConstantTensorAsync.");
        }
        ThrowIfCannotBuild("constant");
        return new MLOperand(this, tensor.DataType, tensor.Shape) { ConstantTensor = tensor };
    }

    /// <summary>
    /// Compiles the graph that computes <paramref name="outputs"/> (spec: <c>build(outputs)</c>).
    /// The builder cannot be used afterwards.
    /// </summary>
    /// <exception cref="ArgumentException">An output is invalid (empty name, another builder's operand, an input or a constant).</exception>
    /// <exception cref="NotSupportedException">The context's backend cannot run an operation of the graph (see <see cref="MLContext.OpSupportLimits"/>).</exception>
    public async Task<MLGraph> BuildAsync(IReadOnlyDictionary<string, MLOperand> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ThrowIfCannotBuild("build");
        if (outputs.Count == 0)
        {
            throw Errors.Type("build", "outputs must not be empty.");
        }
        foreach (var (name, operand) in outputs)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw Errors.Type("build", "an output name must not be empty.");
            }
            ArgumentNullException.ThrowIfNull(operand, name);
            if (!ReferenceEquals(operand.Builder, this))
            {
                throw Errors.Type("build", $"output '{name}' was made by another MLGraphBuilder.");
            }
            if (operand.IsInput || operand.IsConstant)
            {
                throw Errors.Type("build", $"output '{name}' is a graph {(operand.IsInput ? "input" : "constant")}; an output must be computed by an operation.");
            }
        }
        var description = GraphDescription.Collect(new Dictionary<string, MLOperand>(outputs, StringComparer.Ordinal));
        foreach (var constant in description.Constants)
        {
            if (constant.ConstantTensor is { IsDestroyed: true })
            {
                throw Errors.Type("build", $"constant {constant} is backed by a tensor that has been destroyed.");
            }
        }
        _hasBuilt = true;
        BackendSupport.Check(_context, description);
        var optimized = Optimization.Conv2dSummandFusion.Apply(
            Optimization.ChannelsLastLayout.Apply(
                Optimization.Conv2dFusion.Apply(Optimization.BatchNormalizationFolding.Apply(description)), _context.OpSupportLimits().PreferredInputLayout),
            _context.Backend.FusesConv2dSummand);
        var backendGraph = await Task.Run(() => _context.Compile(optimized)).ConfigureAwait(false);
        return _context.AddGraph(backendGraph, description);
    }

    internal int NextOperandId() => _nextOperandId++;

    /// <summary>Spec "can not build": the builder has built, or its context is lost.</summary>
    private void ThrowIfCannotBuild(string where)
    {
        if (_hasBuilt)
        {
            throw Errors.InvalidState(where, "this MLGraphBuilder has already built a graph; create a new builder.");
        }
        _context.ThrowIfLost(where);
    }

    /// <summary>
    /// The first steps of every operation: the builder can build, then the display name
    /// (operator and label) that its error messages start with.
    /// </summary>
    private string BeginOperator(string operatorName, MLOperatorOptions? options)
    {
        string where = Errors.DisplayName(operatorName, options?.Label);
        ThrowIfCannotBuild(where);
        return where;
    }

    /// <summary>
    /// Spec "validating operand" for each given operand (null ones are options not passed, and are
    /// skipped), then the operator's tensor-limits table (allowed data types and ranks).
    /// Returns the operands as operator inputs.
    /// </summary>
    private OperatorInput[] ValidateInputs(string where, string operatorName, params ReadOnlySpan<(string Argument, MLOperand? Operand)> operands)
    {
        var inputs = new List<OperatorInput>(operands.Length);
        foreach (var (argument, operand) in operands)
        {
            if (operand is null)
            {
                continue;
            }
            if (!ReferenceEquals(operand.Builder, this))
            {
                throw Errors.Type(where, $"{argument} was made by another MLGraphBuilder.");
            }
            inputs.Add(new OperatorInput(argument, operand));
        }
        SpecTensorLimits.Validate(where, operatorName, inputs);
        return [.. inputs];
    }

    /// <summary>Validates a required operand argument is not null (C# callers can pass null where the spec's IDL cannot).</summary>
    private static MLOperand Required(MLOperand? operand, string argument) =>
        operand ?? throw new ArgumentNullException(argument);

    /// <summary>Adds an operator with one output of <paramref name="dataType"/> and <paramref name="shape"/>.</summary>
    private MLOperand AddOperator(string operatorName, MLOperatorOptions? options, OperatorInput[] inputs, object? attributes, MLOperandDataType dataType, int[] shape) =>
        AddOperator(operatorName, options, inputs, attributes, [(dataType, shape)])[0];

    /// <summary>
    /// The spec's "make graph connections": checks that each output shape has valid dimensions, then
    /// creates the operator and its output operands.
    /// </summary>
    private MLOperand[] AddOperator(string operatorName, MLOperatorOptions? options, OperatorInput[] inputs, object? attributes, ReadOnlySpan<(MLOperandDataType DataType, int[] Shape)> outputs)
    {
        string where = Errors.DisplayName(operatorName, options?.Label);
        var op = new MLOperator(operatorName, options?.Label ?? "", inputs, attributes);
        var operands = new MLOperand[outputs.Length];
        for (int i = 0; i < outputs.Length; i++)
        {
            CheckOutputShape(where, outputs[i].Shape);
            operands[i] = new MLOperand(this, outputs[i].DataType, outputs[i].Shape) { Operator = op };
        }
        op.Outputs = operands;
        return operands;
    }

    /// <summary>Spec "valid dimension" for an inferred shape, and the element count in range.</summary>
    private static void CheckOutputShape(string where, int[] shape)
    {
        long elements = 1;
        foreach (int dimension in shape)
        {
            if (dimension <= 0)
            {
                throw Errors.Type(where, $"the output shape {Shapes.Format(shape)} has a dimension that is not greater than zero.");
            }
            elements *= dimension;
            if (elements > int.MaxValue)
            {
                throw Errors.Type(where, $"the output shape {Shapes.Format(shape)} has more elements than this implementation supports ({int.MaxValue}).");
            }
        }
    }
}
