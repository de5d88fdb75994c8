using Google.Protobuf;
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
        ["Conv 1-D pads strides dilations bias"] = () => Single("Conv", [("x", [2, 4, 13])], [Ints("pads", 1, 2), Ints("strides", 2), Ints("dilations", 2), Ints("kernel_shape", 3)],
            [Floats("w", Random(2, 6 * 4 * 3), 6, 4, 3), Floats("b", Random(3, 6), 6)], ["x", "w", "b"]),
        ["Conv 1-D group auto_pad SAME_LOWER"] = () => Single("Conv", [("x", [1, 4, 10])], [Int("group", 2), String("auto_pad", "SAME_LOWER"), Ints("strides", 3)],
            [Floats("w", Random(2, 6 * 2 * 4), 6, 2, 4)], ["x", "w"]),
        ["ConvTranspose 1-D pads strides output_padding"] = () => Single("ConvTranspose", [("x", [1, 4, 6])], [Ints("pads", 1, 0), Ints("strides", 3), Ints("output_padding", 2)],
            [Floats("w", Random(2, 4 * 3 * 3), 4, 3, 3), Floats("b", Random(3, 3), 3)], ["x", "w", "b"]),
        ["ConvTranspose 1-D output_shape"] = () => Single("ConvTranspose", [("x", [1, 2, 5])], [Ints("strides", 2), Ints("output_shape", 10)],
            [Floats("w", Random(2, 2 * 3 * 3), 2, 3, 3)], ["x", "w"]),
        ["MaxPool 1-D ceil_mode pads stride 2"] = () => Single("MaxPool", [("x", [2, 3, 10])], [Ints("kernel_shape", 3), Ints("strides", 2), Ints("pads", 1, 1), Int("ceil_mode", 1)]),
        ["AveragePool 1-D count_include_pad=1"] = () => Single("AveragePool", [("x", [1, 3, 9])], [Ints("kernel_shape", 4), Ints("strides", 2), Ints("pads", 2, 1), Int("count_include_pad", 1)]),
        ["GlobalAveragePool 1-D"] = () => Single("GlobalAveragePool", [("x", [2, 3, 7])]),
        ["LpPool p=2 pads strides"] = () => Single("LpPool", [("x", [1, 2, 7, 6])], [Ints("kernel_shape", 3, 2), Ints("strides", 2, 2), Ints("pads", 1, 0, 1, 1)]),
        ["LpPool 1-D"] = () => Single("LpPool", [("x", [1, 2, 9])], [Ints("kernel_shape", 3), Ints("strides", 2), Int("p", 2)]),
        ["GlobalLpPool"] = () => Single("GlobalLpPool", [("x", [2, 3, 5, 4])]),
        ["LRN size 5"] = () => Single("LRN", [("x", [2, 7, 3, 4])], [Int("size", 5), Float("alpha", 0.1f), Float("beta", 0.6f), Float("bias", 1.5f)]),
        ["LRN size 3, defaults"] = () => Single("LRN", [("x", [1, 6, 2, 3])], [Int("size", 3)]),
        ["LogSoftmax axis 1 (opset 13)"] = () => Single("LogSoftmax", [("x", [2, 3, 4])], [Int("axis", 1)]),
        ["LogSoftmax default axis (opset 11, flattened)"] = () => Single("LogSoftmax", [("x", [2, 3, 4])], opset: 11),
        ["LogSoftmax of large values"] = () => Model([Node("Mul", ["x", "big"], ["y"]), Node("LogSoftmax", ["y"], ["z"])], [("x", [3, 5])], ["z"], [Floats("big", [1000])]),
        ["Tile"] = () => Single("Tile", [("x", [2, 3])], [], [Int64s("r", [2, 3], 2)], ["x", "r"]),
        ["Trilu lower k=-1"] = () => Single("Trilu", [("x", [2, 3, 4])], [Int("upper", 0)], [Int64s("k", [-1])], ["x", "k"]),
        ["Trilu upper k=2"] = () => Single("Trilu", [("x", [4, 5])], [], [Int64s("k", [2])], ["x", "k"]),
        ["Trilu upper, no k"] = () => Single("Trilu", [("x", [4, 3])]),
        ["CumSum"] = () => Single("CumSum", [("x", [3, 4])], [], [Int64s("axis", [1])], ["x", "axis"]),
        ["CumSum exclusive reverse, negative axis"] = () => Single("CumSum", [("x", [3, 4, 2])], [Int("exclusive", 1), Int("reverse", 1)], [Int64s("axis", [-2])], ["x", "axis"]),
        ["GatherElements negative indices"] = () => Single("GatherElements", [("x", [3, 4])], [Int("axis", 1)], [Int64s("i", [0, -1, 3, 1, -4, 2], 3, 2)], ["x", "i"]),
        ["GatherND"] = () => Single("GatherND", [("x", [3, 4, 2])], [], [Int64s("i", [1, 2, 0, -1, 2, 0], 3, 2)], ["x", "i"]),
        ["ScatterElements axis 1"] = () => Single("ScatterElements", [("x", [2, 4]), ("y", [2, 3])], [Int("axis", 1)], [Int64s("i", [0, 3, -3, 2, 1, 0], 2, 3)], ["x", "i", "y"]),
        ["ScatterND"] = () => Single("ScatterND", [("x", [4, 3, 2]), ("y", [2, 3, 2])], [], [Int64s("i", [1, -1], 2, 1)], ["x", "i", "y"]),
        ["QuantizeLinear then DequantizeLinear, per axis int8"] = () => Model(
            [Node("QuantizeLinear", ["x", "s", "zp"], ["q"], Int("axis", 1)), Node("DequantizeLinear", ["q", "s", "zp"], ["z"], Int("axis", 1))],
            [("x", [2, 3, 4])], ["z"], [Floats("s", [0.01f, 0.02f, 0.005f], 3), Tensor("zp", OnnxType.Int8, [unchecked((byte)-3), 0, 5], 3)]),
        ["QuantizeLinear then DequantizeLinear, per tensor uint8 without zero point"] = () => Model(
            [Node("QuantizeLinear", ["x", "s"], ["q"]), Node("DequantizeLinear", ["q", "s"], ["z"])], [("x", [3, 5])], ["z"], [Floats("s", [0.007f])]),
        ["IsNaN of a logarithm"] = () => Model([Node("Log", ["x"], ["l"]), Node("IsNaN", ["l"], ["z"])], [("x", [3, 4])], ["z"], outputType: OnnxType.Bool),
        ["IsInf"] = () => Model([Node("Div", ["x", "c"], ["q"]), Node("IsInf", ["q"], ["z"])], [("x", [3, 4])], ["z"], [Floats("c", [0, 1, 0, -1], 4)], outputType: OnnxType.Bool),
        ["IsInf positive only"] = () => Model([Node("Div", ["x", "c"], ["q"]), Node("IsInf", ["q"], ["z"], Int("detect_negative", 0))], [("x", [3, 4])], ["z"],
            [Floats("c", [0, 1, 0, -1], 4)], outputType: OnnxType.Bool),
        ["DepthToSpace DCR"] = () => Single("DepthToSpace", [("x", [2, 8, 2, 3])], [Int("blocksize", 2)]),
        ["DepthToSpace CRD"] = () => Single("DepthToSpace", [("x", [1, 18, 2, 2])], [Int("blocksize", 3), String("mode", "CRD")]),
        ["SpaceToDepth"] = () => Single("SpaceToDepth", [("x", [2, 3, 4, 6])], [Int("blocksize", 2)]),
        ["LSTM forward, bias, initial states, every output"] = () => Model(
            [Node("LSTM", ["x", "w", "r", "b", "", "h0", "c0"], ["y", "yh", "yc"], Int("hidden_size", 4))],
            [("x", [5, 2, 3]), ("h0", [1, 2, 4]), ("c0", [1, 2, 4])], ["y", "yh", "yc"],
            [Floats("w", Random(2, 16 * 3), 1, 16, 3), Floats("r", Random(3, 16 * 4), 1, 16, 4), Floats("b", Random(4, 32), 1, 32)]),
        ["LSTM bidirectional, Y_h only"] = () => Model(
            [Node("LSTM", ["x", "w", "r", "b"], ["", "yh"], Int("hidden_size", 3), String("direction", "bidirectional"))],
            [("x", [4, 2, 3])], ["yh"],
            [Floats("w", Random(2, 2 * 12 * 3), 2, 12, 3), Floats("r", Random(3, 2 * 12 * 3), 2, 12, 3), Floats("b", Random(4, 2 * 24), 2, 24)]),
        ["GRU reverse, reset before the recurrent product"] = () => Model(
            [Node("GRU", ["x", "w", "r", "b", "", "h0"], ["y", "yh"], Int("hidden_size", 4), String("direction", "reverse"))],
            [("x", [5, 2, 3]), ("h0", [1, 2, 4])], ["y", "yh"],
            [Floats("w", Random(2, 12 * 3), 1, 12, 3), Floats("r", Random(3, 12 * 4), 1, 12, 4), Floats("b", Random(4, 24), 1, 24)]),
        ["GRU bidirectional, linear_before_reset, Relu"] = () => Model(
            [Node("GRU", ["x", "w", "r"], ["y"], Int("hidden_size", 3), String("direction", "bidirectional"), Int("linear_before_reset", 1),
                Strings("activations", "Sigmoid", "Relu", "Sigmoid", "Relu"))],
            [("x", [3, 2, 4])], ["y"], [Floats("w", Random(2, 2 * 9 * 4), 2, 9, 4), Floats("r", Random(3, 2 * 9 * 3), 2, 9, 3)]),
        ["Mean of three, broadcasting"] = () => Single("Mean", [("x", [2, 3]), ("y", [3]), ("w", [2, 1])]),
        ["GroupNormalization (opset 21, per-channel scale)"] = () => Single("GroupNormalization", [("x", [2, 6, 3, 4])], [Int("num_groups", 3), Float("epsilon", 1e-3f)],
            [Floats("s", Random(2, 6), 6), Floats("b", Random(3, 6), 6)], ["x", "s", "b"], opset: 21),
        ["GroupNormalization (opset 18, per-group scale)"] = () => Single("GroupNormalization", [("x", [2, 6, 5])], [Int("num_groups", 2)],
            [Floats("s", Random(2, 2), 2), Floats("b", Random(3, 2), 2)], ["x", "s", "b"], opset: 18),
        ["LpNormalization p=2 default axis"] = () => Single("LpNormalization", [("x", [3, 5])]),
        ["LpNormalization p=1 axis 0, a zero column"] = () => Model([Node("Mul", ["x", "mask"], ["m"]), Node("LpNormalization", ["m"], ["z"], Int("axis", 0), Int("p", 1))],
            [("x", [3, 4])], ["z"], [Floats("mask", [1, 0, 1, 1], 4)]),
        ["Einsum batched matmul"] = () => Single("Einsum", [("x", [2, 3, 4]), ("y", [2, 4, 5])], [String("equation", "bij,bjk->bik")]),
        ["Einsum attention scores, transposed output"] = () => Single("Einsum", [("x", [2, 3, 4, 5]), ("y", [2, 3, 6, 5])], [String("equation", "bhqd, bhkd -> bkhq")]),
        ["Einsum implicit output, a summed own label"] = () => Single("Einsum", [("x", [3, 4, 2]), ("y", [4, 5])], [String("equation", "ijc,jk")]),
        ["Einsum outer product"] = () => Single("Einsum", [("x", [3]), ("y", [4])], [String("equation", "i,j->ij")]),
        ["Einsum dot product"] = () => Single("Einsum", [("x", [6]), ("y", [6])], [String("equation", "i,i->")]),
        ["Einsum transpose and sum of one operand"] = () => Single("Einsum", [("x", [2, 3, 4])], [String("equation", "abc->ca")]),
        ["Range of floats, folded"] = () => Model([Node("Range", ["start", "limit", "delta"], ["r"]), Node("Add", ["x", "r"], ["z"])], [("x", [2, 7])], ["z"],
            [Floats("start", [0.5f]), Floats("limit", [3.1f]), Floats("delta", [0.4f])]),
        ["Range of integers and Size, folded"] = () => Model(
            [Node("Range", ["start", "limit", "delta"], ["r"]), Node("Size", ["x"], ["n"]), Node("Add", ["r", "n"], ["rn"]), Node("Cast", ["rn"], ["f"], Int("to", (long)OnnxType.Float)),
             Node("Mul", ["x", "f"], ["z"])],
            [("x", [2, 3])], ["z"], [Int64s("start", [10]), Int64s("limit", [1]), Int64s("delta", [-3])]),
        ["If with a constant condition (then)"] = () => IfModel([], [Tensor("c", OnnxType.Bool, [1])]),
        ["If with a constant condition (else)"] = () => IfModel([], [Tensor("c", OnnxType.Bool, [0])]),
        ["If on a shape comparison, folded"] = () => IfModel(
            [Node("Shape", ["x"], ["s"]), Node("Gather", ["s", "zero"], ["rows"]), Node("Equal", ["rows", "three"], ["equal"]), Node("Not", ["equal"], ["c"])],
            [Int64s("zero", [0]), Int64s("three", [3])]),
    };

    /// <summary>An If on condition c (computed by <paramref name="condition"/> from x and <paramref name="initializers"/>), whose branches read the outer input x.</summary>
    private static ModelProto IfModel(NodeProto[] condition, TensorProto[] initializers)
    {
        var thenBranch = Model([Node("Relu", ["x"], ["r"]), Node("Mul", ["r", "two"], ["t"])], [], ["t"], [Floats("two", [2])]).Graph;
        var elseBranch = Model([Node("Neg", ["x"], ["e"])], [], ["e"]).Graph;
        return Model([.. condition, Node("If", ["c"], ["y"], Subgraph("then_branch", thenBranch), Subgraph("else_branch", elseBranch)), Node("Add", ["y", "x"], ["z"])],
            [("x", [3, 4])], ["z"], initializers);
    }

    public static TheoryData<string, string> CasesPerBackend =>
        [.. Cases.Keys.Select(name => ("cpu", name)), .. Cases.Keys.Select(name => ("webgpu", name))];

    [Theory]
    [MemberData(nameof(CasesPerBackend))]
    public Task MatchesOnnxRuntime(string backend, string name) => OnnxReference.AssertMatchesAsync(Cases[name](), backend);

    /// <summary>
    /// ONNX defines LRN for an even size too (the window reaches one channel further after c than before it), which
    /// ONNX Runtime refuses; checked against the ONNX formula in double precision instead.
    /// </summary>
    [Theory]
    [InlineData("cpu")]
    [InlineData("webgpu")]
    public async Task LrnOfEvenSizeFollowsTheOnnxFormula(string backend)
    {
        const int channels = 6, pixels = 5, size = 4;
        const double alpha = 0.3, beta = 0.7, bias = 2;
        var model = Single("LRN", [("x", [1, channels, 1, pixels])], [Int("size", size), Float("alpha", (float)alpha), Float("beta", (float)beta), Float("bias", (float)bias)]);
        float[] x = Random(11, channels * pixels);
        var context = await OnnxReference.Context(backend);
        using var graph = await OnnxModel.Load(new MemoryStream(model.ToByteArray())).BuildAsync(context);
        var z = (float[])(await context.ComputeAsync(graph, new Dictionary<string, Array> { ["x"] = x }))["z"];
        for (int c = 0; c < channels; c++)
        {
            for (int p = 0; p < pixels; p++)
            {
                double sum = 0;
                for (int i = Math.Max(0, c - (size - 1) / 2); i <= Math.Min(channels - 1, c + size / 2); i++)
                {
                    sum += (double)x[i * pixels + p] * x[i * pixels + p];
                }
                double expected = x[c * pixels + p] / Math.Pow(bias + alpha / size * sum, beta);
                Assert.True(Math.Abs(z[c * pixels + p] - expected) <= 1e-6, $"channel {c}, pixel {p}: {z[c * pixels + p]} against {expected}.");
            }
        }
    }
}
