using System.Runtime.InteropServices;
using Google.Protobuf;

namespace WebNN.Onnx.Tests;

/// <summary>Small ONNX models written with the generated protobuf classes: float inputs and outputs, any nodes and initializers.</summary>
internal static class TestModels
{
    public static ModelProto Model(NodeProto[] nodes, (string Name, int[] Shape)[] inputs, string[] outputs, TensorProto[]? initializers = null, int opset = 17,
        TensorProto.Types.DataType outputType = TensorProto.Types.DataType.Float)
    {
        var graph = new GraphProto { Name = "test" };
        graph.Node.AddRange(nodes);
        graph.Initializer.AddRange(initializers ?? []);
        graph.Input.AddRange(inputs.Select(i => ValueInfo(i.Name, i.Shape.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }))));
        // Outputs without a shape: ONNX Runtime infers them, and the importer does not need them.
        graph.Output.AddRange(outputs.Select(o => new ValueInfoProto { Name = o, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)outputType } } }));
        return new ModelProto { IrVersion = 8, Graph = graph, OpsetImport = { new OperatorSetIdProto { Domain = "", Version = opset } } };
    }

    /// <summary>One node, input x (and y when <paramref name="inputs"/> has two), output z.</summary>
    public static ModelProto Single(string opType, (string Name, int[] Shape)[] inputs, AttributeProto[]? attributes = null, TensorProto[]? initializers = null,
        string[]? nodeInputs = null, int opset = 17, TensorProto.Types.DataType outputType = TensorProto.Types.DataType.Float) =>
        Model([Node(opType, nodeInputs ?? [.. inputs.Select(i => i.Name)], ["z"], attributes ?? [])], inputs, ["z"], initializers, opset, outputType);

    public static ValueInfoProto ValueInfo(string name, IEnumerable<TensorShapeProto.Types.Dimension> dims, TensorProto.Types.DataType type = TensorProto.Types.DataType.Float)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims);
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    public static NodeProto Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType.ToLowerInvariant()}_node" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    public static TensorProto Floats(string name, float[] values, params int[] shape) => Tensor(name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values.AsSpan()), shape);

    public static TensorProto Int64s(string name, long[] values, params int[] shape) => Tensor(name, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values.AsSpan()), shape);

    /// <summary>Seeded values in [-1, 1).</summary>
    public static float[] Random(int seed, int count)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = random.NextSingle() * 2 - 1;
        return values;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Subgraph(string name, GraphProto graph) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Graph, G = graph };

    public static AttributeProto Strings(string name, params string[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>A tensor of any element type from its little-endian bytes (bool and int8 one byte each).</summary>
    public static TensorProto Tensor(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> bytes, params int[] shape)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(shape.Select(d => (long)d));
        return tensor;
    }
}
