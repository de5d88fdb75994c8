using static WebNN.Onnx.Tests.TestModels;
using OnnxType = WebNN.Onnx.TensorProto.Types.DataType;

namespace WebNN.Onnx.Tests;

/// <summary>Each operator mapping on a small model, run by the importer on each backend and by ONNX Runtime on the same seeded inputs.</summary>
public sealed class OperatorMappingTests
{
    private static readonly Dictionary<string, Func<ModelProto>> Cases = new()
    {
        ["Conv pads strides dilations bias"] = () => Single("Conv", [("x", [1, 4, 9, 8])], [Ints("pads", 1, 0, 2, 1), Ints("strides", 2, 1), Ints("dilations", 1, 2), Ints("kernel_shape", 3, 3)],
            [Floats("w", Random(2, 6 * 4 * 9), 6, 4, 3, 3), Floats("b", Random(3, 6), 6)], ["x", "w", "b"]),
        ["Conv group auto_pad SAME_UPPER stride 2"] = () => Single("Conv", [("x", [1, 4, 8, 7])], [Int("group", 2), String("auto_pad", "SAME_UPPER"), Ints("strides", 2, 2)],
            [Floats("w", Random(2, 6 * 2 * 9), 6, 2, 3, 3)], ["x", "w"]),
        ["Conv depthwise auto_pad SAME_LOWER"] = () => Single("Conv", [("x", [1, 3, 6, 6])], [Int("group", 3), String("auto_pad", "SAME_LOWER"), Ints("strides", 2, 2)],
            [Floats("w", Random(2, 3 * 4), 3, 1, 2, 2)], ["x", "w"]),
        ["Conv auto_pad VALID"] = () => Single("Conv", [("x", [2, 2, 5, 5])], [String("auto_pad", "VALID")], [Floats("w", Random(2, 3 * 2 * 9), 3, 2, 3, 3)], ["x", "w"]),
        ["ConvTranspose pads strides output_padding group bias"] = () => Single("ConvTranspose", [("x", [1, 4, 5, 6])],
            [Ints("pads", 1, 0, 0, 1), Ints("strides", 2, 3), Ints("output_padding", 1, 2), Int("group", 2), Ints("dilations", 1, 2)],
            [Floats("w", Random(2, 4 * 3 * 9), 4, 3, 3, 3), Floats("b", Random(3, 6), 6)], ["x", "w", "b"]),
        ["ConvTranspose output_shape"] = () => Single("ConvTranspose", [("x", [1, 2, 4, 4])], [Ints("strides", 2, 2), Ints("output_shape", 9, 8)],
            [Floats("w", Random(2, 2 * 3 * 9), 2, 3, 3, 3)], ["x", "w"]),
        ["ConvTranspose auto_pad SAME_UPPER"] = () => Single("ConvTranspose", [("x", [1, 2, 4, 5])], [Ints("strides", 2, 2), String("auto_pad", "SAME_UPPER")],
            [Floats("w", Random(2, 2 * 3 * 16), 2, 3, 4, 4)], ["x", "w"]),
        ["BatchNormalization"] = () => Single("BatchNormalization", [("x", [2, 3, 4, 5])], [Float("epsilon", 1e-3f)],
            [Floats("s", Random(2, 3), 3), Floats("b", Random(3, 3), 3), Floats("m", Random(4, 3), 3), Floats("v", [0.5f, 1.5f, 2], 3)], ["x", "s", "b", "m", "v"]),
        ["Relu"] = () => Single("Relu", [("x", [3, 7])]),
        ["Sigmoid"] = () => Single("Sigmoid", [("x", [3, 7])]),
        ["Tanh"] = () => Single("Tanh", [("x", [3, 7])]),
        ["LeakyRelu"] = () => Single("LeakyRelu", [("x", [3, 7])], [Float("alpha", 0.2f)]),
        ["HardSigmoid"] = () => Single("HardSigmoid", [("x", [3, 7])], [Float("alpha", 0.3f), Float("beta", 0.4f)]),
        ["Elu"] = () => Single("Elu", [("x", [3, 7])], [Float("alpha", 0.7f)]),
        ["MaxPool ceil_mode pads stride 2"] = () => Single("MaxPool", [("x", [1, 2, 8, 8])], [Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1), Int("ceil_mode", 1)]),
        ["MaxPool ceil_mode drops a window that starts in padding"] = () => Single("MaxPool", [("x", [1, 1, 5, 5])], [Ints("kernel_shape", 2, 2), Ints("strides", 3, 3), Ints("pads", 0, 0, 1, 1), Int("ceil_mode", 1)]),
        // Not with dilations: ONNX Runtime then pads for the undilated window, against the ONNX spec's output = ceil(input / stride).
        ["MaxPool auto_pad SAME_UPPER"] = () => Single("MaxPool", [("x", [1, 2, 7, 8])], [Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), String("auto_pad", "SAME_UPPER")]),
        ["MaxPool dilations"] = () => Single("MaxPool", [("x", [1, 2, 7, 8])], [Ints("kernel_shape", 3, 2), Ints("dilations", 2, 3), Ints("pads", 1, 0, 2, 1)]),
        ["AveragePool count_include_pad=0"] = () => Single("AveragePool", [("x", [1, 2, 7, 6])], [Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1)]),
        ["AveragePool count_include_pad=1 ceil_mode"] = () => Single("AveragePool", [("x", [1, 2, 7, 6])], [Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", 1, 0, 1, 1), Int("count_include_pad", 1), Int("ceil_mode", 1)]),
        ["GlobalAveragePool"] = () => Single("GlobalAveragePool", [("x", [2, 3, 5, 4])]),
        ["Add broadcasting"] = () => Single("Add", [("x", [2, 3, 4, 5]), ("y", [3, 1, 5])]),
        ["Sub broadcasting"] = () => Single("Sub", [("x", [4, 1]), ("y", [2, 1, 3])]),
        ["Mul by an initializer"] = () => Single("Mul", [("x", [2, 3, 4])], initializers: [Floats("c", Random(5, 4), 4)], nodeInputs: ["x", "c"]),
        ["Div broadcasting"] = () => Single("Div", [("x", [2, 3]), ("y", [3])]),
        ["Flatten then Gemm transB alpha beta"] = () => Model(
            [Node("Flatten", ["x"], ["f"], Int("axis", 1)), Node("Gemm", ["f", "w", "c"], ["z"], Int("transB", 1), Float("alpha", 0.5f), Float("beta", 2))],
            [("x", [2, 3, 2, 2])], ["z"], [Floats("w", Random(6, 5 * 12), 5, 12), Floats("c", Random(7, 5), 5)]),
        ["Gemm transA, C of one row"] = () => Single("Gemm", [("a", [4, 3]), ("b", [4, 5]), ("c", [1, 5])], [Int("transA", 1)]),
        ["MatMul batched"] = () => Single("MatMul", [("x", [2, 3, 4]), ("y", [4, 5])]),
        ["MatMul vector by batch"] = () => Single("MatMul", [("x", [4]), ("y", [2, 4, 3])]),
        ["Shape Gather Unsqueeze Concat Reshape folded"] = () => Model(
            [Node("Shape", ["x"], ["s"]), Node("Gather", ["s", "zero"], ["n"], Int("axis", 0)), Node("Unsqueeze", ["n", "axes"], ["n1"]),
             Node("Concat", ["n1", "minus1"], ["shape"], Int("axis", 0)), Node("Reshape", ["x", "shape"], ["z"])],
            [("x", [2, 3, 4])], ["z"], [Int64s("zero", [0]), Int64s("axes", [0], 1), Int64s("minus1", [-1], 1)]),
        ["Resize linear half_pixel by scales"] = () => Single("Resize", [("x", [1, 2, 3, 4])], [String("mode", "linear")],
            [Floats("scales", [1, 1, 2, 1.5f], 4)], ["x", "", "scales"]),
        ["Resize nearest by sizes"] = () => Single("Resize", [("x", [1, 2, 3, 4])], [], [Int64s("sizes", [1, 2, 7, 5], 4)], ["x", "", "", "sizes"]),
        ["Resize nearest asymmetric floor ×2"] = () => Single("Resize", [("x", [1, 2, 3, 4])], [String("coordinate_transformation_mode", "asymmetric"), String("nearest_mode", "floor")],
            [Floats("scales", [1, 1, 2, 2], 4)], ["x", "", "scales"]),
        ["Softmax axis 1 (opset 13)"] = () => Single("Softmax", [("x", [2, 3, 4])], [Int("axis", 1)]),
        ["Softmax axis 1 (opset 11, flattened)"] = () => Single("Softmax", [("x", [2, 3, 4])], [Int("axis", 1)], opset: 11),
        ["Transpose"] = () => Single("Transpose", [("x", [2, 3, 4])], [Ints("perm", 1, 2, 0)]),
        ["Clip by inputs"] = () => Single("Clip", [("x", [3, 5])], initializers: [Floats("lo", [-0.3f]), Floats("hi", [0.6f])], nodeInputs: ["x", "lo", "hi"]),
        ["Clip by attributes (opset 6)"] = () => Single("Clip", [("x", [3, 5])], [Float("min", -0.2f), Float("max", 0.1f)], opset: 6),
        ["Identity"] = () => Single("Identity", [("x", [3, 5])]),
        ["Dropout"] = () => Single("Dropout", [("x", [3, 5])], opset: 12),
        ["Unsqueeze Squeeze by attributes (opset 11)"] = () => Model([Node("Unsqueeze", ["x"], ["u"], Ints("axes", 0, 3)), Node("Squeeze", ["u"], ["z"], Ints("axes", 0))],
            [("x", [2, 3])], ["z"], opset: 11),
        ["Concat"] = () => Single("Concat", [("x", [2, 3]), ("y", [2, 4])], [Int("axis", -1)]),
        ["Split by sizes"] = () => Model([Node("Split", ["x", "sizes"], ["a", "b", "c"], Int("axis", 1))], [("x", [2, 7])], ["a", "b", "c"], [Int64s("sizes", [1, 4, 2], 3)]),
        ["Split in equal parts"] = () => Model([Node("Split", ["x"], ["a", "b"], Int("axis", -1))], [("x", [3, 2, 6])], ["a", "b"]),
        ["Gather negative indices"] = () => Single("Gather", [("x", [3, 4, 2])], [Int("axis", 1)], [Int64s("i", [-1, 0, 2, -2], 2, 2)], ["x", "i"]),
        ["Slice of a constant, folded"] = () => Model([Node("Slice", ["c", "s", "e", "a", "t"], ["sliced"]), Node("Mul", ["x", "sliced"], ["z"])], [("x", [2, 2])], ["z"],
            [Floats("c", Random(4, 30), 5, 6), Int64s("s", [1, -5], 2), Int64s("e", [100, 5], 2), Int64s("a", [0, 1], 2), Int64s("t", [2, 3], 2)]),
        ["Slice with steps"] = () => Single("Slice", [("x", [5, 6])], [], [Int64s("s", [1, -5], 2), Int64s("e", [100, 5], 2), Int64s("a", [0, 1], 2), Int64s("t", [2, 3], 2)], ["x", "s", "e", "a", "t"]),
        ["Pad reflect"] = () => Single("Pad", [("x", [2, 4])], [String("mode", "reflect")], [Int64s("p", [0, 2, 1, 1], 4)], ["x", "p"]),
        ["ReduceMean axes keepdims=0"] = () => Single("ReduceMean", [("x", [2, 3, 4])], [Ints("axes", 1, -1), Int("keepdims", 0)]),
        ["Less then Where"] = () => Model([Node("Less", ["x", "y"], ["c"]), Node("Where", ["c", "x", "y"], ["z"])], [("x", [3, 4]), ("y", [4])], ["z"]),
        ["ArgMax"] = () => Single("ArgMax", [("x", [3, 5])], [Int("axis", 1), Int("keepdims", 0)], outputType: OnnxType.Int64),
        ["Constant of float_data, shape from int64_data"] = () =>
        {
            var values = new TensorProto { DataType = (int)OnnxType.Float, Dims = { 2 }, FloatData = { 0.5f, -2 } };
            var shape = new TensorProto { Name = "shape", DataType = (int)OnnxType.Int64, Dims = { 2 }, Int64Data = { 3, 2 } };
            return Model([new NodeProto { OpType = "Constant", Output = { "c" }, Attribute = { new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = values } } },
                Node("Reshape", ["x", "shape"], ["r"]), Node("Mul", ["r", "c"], ["z"])], [("x", [2, 3])], ["z"], [shape]);
        },
        ["LayerNormalization"] = () => Single("LayerNormalization", [("x", [2, 3, 4])], [Int("axis", -1), Float("epsilon", 1e-4f)],
            [Floats("s", Random(8, 4), 4), Floats("b", Random(9, 4), 4)], ["x", "s", "b"]),
    };

    public static TheoryData<string, string> CasesPerBackend =>
        [.. Cases.Keys.Select(name => ("cpu", name)), .. Cases.Keys.Select(name => ("webgpu", name))];

    [Theory]
    [MemberData(nameof(CasesPerBackend))]
    public Task MatchesOnnxRuntime(string backend, string name) => OnnxReference.AssertMatchesAsync(Cases[name](), backend);
}
