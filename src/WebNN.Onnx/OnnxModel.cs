using Google.Protobuf;

namespace WebNN.Onnx;

/// <summary>
/// An ONNX model read from a file or stream, ready to be built into an <see cref="MLGraph"/> on any context.
/// <see cref="Load(Stream)"/> checks the file and every node's operator and attribute names, so a model the importer
/// cannot map fails there; what depends on shapes and constant values (an attribute value, a dynamic shape) fails in
/// <see cref="BuildAsync"/>. Both throw <see cref="OnnxFormatException"/> for a malformed model and
/// <see cref="OnnxUnsupportedException"/> for what WebNN or the importer does not support.
/// </summary>
public sealed class OnnxModel
{
    private readonly ModelProto _model;

    private OnnxModel(ModelProto model, long opsetVersion)
    {
        _model = model;
        OpsetVersion = opsetVersion;
        var initializerNames = model.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        // Models of IR version < 4 list their initializers among the inputs too; those are weights, not inputs.
        Inputs = [.. model.Graph.Input.Where(v => !initializerNames.Contains(v.Name)).Select(ValueInfo)];
        Outputs = [.. model.Graph.Output.Select(ValueInfo)];
    }

    /// <summary>The graph inputs the caller provides, with free dimensions named by their <c>dim_param</c>.</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }

    /// <summary>The graph outputs as the model declares them.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs { get; }

    /// <summary>The version of the default (<c>ai.onnx</c>) operator set the model imports.</summary>
    public long OpsetVersion { get; }

    /// <summary>The model's <c>producer_name</c> and <c>producer_version</c>, e.g. "pytorch 2.1".</summary>
    public string Producer => $"{_model.ProducerName} {_model.ProducerVersion}".Trim();

    /// <summary>Reads the model at <paramref name="path"/>, and the weights it keeps in external files of its directory.</summary>
    /// <exception cref="OnnxFormatException">The file is not a well-formed ONNX model, or an external weight file is missing, too short or outside the model's directory.</exception>
    /// <exception cref="OnnxUnsupportedException">A node uses an operator, domain or attribute the importer does not map.</exception>
    public static OnnxModel Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>Reads a model from <paramref name="stream"/> (to its end).</summary>
    /// <param name="stream">The model's bytes.</param>
    /// <param name="externalDataDirectory">
    /// The directory external weight files are relative to (the model file's); without it, a model with external weights
    /// is refused.
    /// </param>
    /// <exception cref="OnnxFormatException">The bytes are not a well-formed ONNX model, or an external weight file is missing, too short or outside <paramref name="externalDataDirectory"/>.</exception>
    /// <exception cref="OnnxUnsupportedException">A node uses an operator, domain or attribute the importer does not map, or the model has external weights and no directory is given.</exception>
    public static OnnxModel Load(Stream stream, string? externalDataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxFormatException($"The data is not an ONNX model (the protobuf does not parse: {e.Message})", e);
        }
        // Protobuf parses many byte strings into a message of unknown fields; a model has an IR version and a graph.
        if (!model.HasIrVersion || model.Graph is null)
        {
            throw new OnnxFormatException($"The data is not an ONNX model: it has no {(model.HasIrVersion ? "graph" : "IR version")}.");
        }
        var opset = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")
            ?? throw new OnnxFormatException("The model imports no version of the default operator set (ai.onnx).");
        foreach (var node in model.Graph.Node)
        {
            OnnxOperators.CheckSupported(node);
        }
        ExternalData.Embed(model.Graph, externalDataDirectory);
        return new OnnxModel(model, opset.Version);
    }

    /// <summary>
    /// Builds the model on <paramref name="context"/>: initializers become constants, nodes become WebNN operations, and
    /// the graph's inputs and outputs keep their ONNX names (see <see cref="MLGraph.InputDescriptors"/> and
    /// <see cref="MLGraph.OutputDescriptors"/> for their resolved types and shapes; ONNX bool is uint8).
    /// </summary>
    /// <param name="context">The context to build on.</param>
    /// <param name="freeDimensions">The size of each free dimension (<c>dim_param</c>) the inputs use, e.g. {"batch": 1}.</param>
    /// <exception cref="OnnxFormatException">The model is inconsistent (a value used before it is produced, data that does not fit its shape).</exception>
    /// <exception cref="OnnxUnsupportedException">An attribute value, data type or dynamic value has no WebNN mapping, or a free dimension is not given.</exception>
    public Task<MLGraph> BuildAsync(MLContext context, IReadOnlyDictionary<string, int>? freeDimensions = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var builder = new MLGraphBuilder(context);
        var converter = new OnnxGraphConverter(builder, OpsetVersion);
        foreach (var initializer in _model.Graph.Initializer)
        {
            converter.AddInitializer(initializer);
        }
        foreach (var input in Inputs)
        {
            converter.AddInput(input.Name, InputDescriptor(input, freeDimensions ?? new Dictionary<string, int>()));
        }
        foreach (var node in _model.Graph.Node)
        {
            converter.Convert(node);
        }
        return builder.BuildAsync(converter.Outputs(Outputs.Select(o => o.Name)));
    }

    private static MLOperandDescriptor InputDescriptor(OnnxValueInfo input, IReadOnlyDictionary<string, int> freeDimensions)
    {
        var dataType = ConstantTensor.WebNNType(input.ElementType)
            ?? throw new OnnxUnsupportedException("", "", $"Input '{input.Name}' has element type {input.ElementType}, which WebNN has no data type for.");
        if (input.Shape is null)
        {
            throw new OnnxUnsupportedException("", "", $"Input '{input.Name}' has no shape in the model; WebNN needs every input's shape.");
        }
        var shape = new int[input.Shape.Count];
        for (int i = 0; i < shape.Length; i++)
        {
            var dimension = input.Shape[i];
            if (dimension.Value is { } value)
            {
                shape[i] = checked((int)value);
            }
            else if (dimension.Parameter is { } name && freeDimensions.TryGetValue(name, out int given))
            {
                shape[i] = given;
            }
            else
            {
                throw new OnnxUnsupportedException("", "", dimension.Parameter is null
                    ? $"Input '{input.Name}' has an unnamed dimension {i} of unknown size; WebNN needs fixed shapes."
                    : $"Input '{input.Name}' has free dimension '{dimension.Parameter}' (dimension {i}); give its size in freeDimensions.");
            }
        }
        return new MLOperandDescriptor(dataType, shape);
    }

    private static OnnxValueInfo ValueInfo(ValueInfoProto value)
    {
        var tensorType = value.Type?.TensorType;
        if (tensorType is null)
        {
            return new OnnxValueInfo(value.Name, TensorProto.Types.DataType.Undefined, null);
        }
        IReadOnlyList<OnnxDimension>? shape = tensorType.Shape is null ? null :
            [.. tensorType.Shape.Dim.Select(d => new OnnxDimension(d.HasDimValue ? d.DimValue : null, d.HasDimParam && d.DimParam.Length > 0 ? d.DimParam : null))];
        return new OnnxValueInfo(value.Name, (TensorProto.Types.DataType)tensorType.ElemType, shape);
    }
}
