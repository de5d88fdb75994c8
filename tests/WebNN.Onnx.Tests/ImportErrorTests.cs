using Google.Protobuf;
using static WebNN.Onnx.Tests.TestModels;

namespace WebNN.Onnx.Tests;

/// <summary>What the importer refuses, and how: malformed files, unsupported operators and attributes, missing free dimensions.</summary>
public sealed class ImportErrorTests
{
    private static OnnxModel Load(ModelProto model) => OnnxModel.Load(new MemoryStream(model.ToByteArray()));

    private static async Task BuildAsync(ModelProto model) => (await Load(model).BuildAsync(await OnnxReference.CpuContext.Value)).Dispose();

    private static ModelProto ConvModel() => Single("Conv", [("x", [1, 4, 9, 8])], [], [Floats("w", Random(2, 6 * 4 * 9), 6, 4, 3, 3)], ["x", "w"]);

    [Fact]
    public void UnsupportedOperatorNamesTheNodeAndOperatorAtLoad()
    {
        var model = Model([Node("Relu", ["x"], ["r"]), new NodeProto { Name = "nms", OpType = "NonMaxSuppression", Input = { "r" }, Output = { "z" } }], [("x", [2, 3])], ["z"]);
        var e = Assert.Throws<OnnxUnsupportedException>(() => Load(model));
        Assert.Equal(("nms", "NonMaxSuppression"), (e.NodeName, e.OperatorType));
        Assert.Equal("Node 'nms' (NonMaxSuppression): operator NonMaxSuppression is not supported.", e.Message);
    }

    [Fact]
    public void UnknownAttributeIsRefusedAtLoad()
    {
        var model = Single("Relu", [("x", [2, 3])], [Int("threshold", 1)]);
        var e = Assert.Throws<OnnxUnsupportedException>(() => Load(model));
        Assert.Contains("attribute 'threshold' is not supported", e.Message);
    }

    [Fact]
    public void OperatorOfAnotherDomainIsRefusedAtLoad()
    {
        var model = Single("Relu", [("x", [2, 3])]);
        model.Graph.Node[0].Domain = "com.microsoft";
        Assert.Contains("domain 'com.microsoft'", Assert.Throws<OnnxUnsupportedException>(() => Load(model)).Message);
    }

    [Fact]
    public async Task UnsupportedAttributeValueNamesTheNodeAndWhatIsMissing()
    {
        var model = Single("Resize", [("x", [1, 2, 3, 4])], [String("mode", "cubic")], [Floats("scales", [1, 1, 2, 2], 4)], ["x", "", "scales"]);
        var e = await Assert.ThrowsAsync<OnnxUnsupportedException>(() => BuildAsync(model));
        Assert.StartsWith("Node 'resize_node' (Resize): mode 'cubic' with coordinate_transformation_mode 'half_pixel' is not supported", e.Message);
    }

    [Fact]
    public async Task ShapeComputedAtRunTimeIsRefused()
    {
        var model = Single("Reshape", [("x", [2, 3]), ("shape", [2])]);
        var e = await Assert.ThrowsAsync<OnnxUnsupportedException>(() => BuildAsync(model));
        Assert.Contains("input 1 (shape) must be a constant", e.Message);
    }

    [Fact]
    public async Task UnmappedSecondOutputIsRefused()
    {
        var model = Model([Node("MaxPool", ["x"], ["z", "indices"], Ints("kernel_shape", 2, 2))], [("x", [1, 1, 4, 4])], ["z"]);
        var e = await Assert.ThrowsAsync<OnnxUnsupportedException>(() => BuildAsync(model));
        Assert.Contains("output 1 ('indices') is not supported", e.Message);
    }

    [Fact]
    public async Task ThreeDimensionalConvolutionIsRefused()
    {
        var model = Single("Conv", [("x", [1, 2, 4, 5, 6])], [], [Floats("w", Random(2, 3 * 2 * 8), 3, 2, 2, 2, 2)], ["x", "w"]);
        var e = await Assert.ThrowsAsync<OnnxUnsupportedException>(() => BuildAsync(model));
        Assert.Equal("Node 'conv_node' (Conv): only 1-D and 2-D spatial inputs (rank 3 NCL, rank 4 NCHW) are supported; WebNN has no 3-D convolution or pooling, and the input is float32[1, 2, 4, 5, 6].", e.Message);
    }

    [Fact]
    public async Task LpPoolOtherThanL2IsRefused()
    {
        var model = Single("LpPool", [("x", [1, 2, 4, 4])], [Ints("kernel_shape", 2, 2), Int("p", 3)]);
        var e = await Assert.ThrowsAsync<OnnxUnsupportedException>(() => BuildAsync(model));
        Assert.Equal("Node 'lppool_node' (LpPool): p=3 is not supported; only p=2 (WebNN's l2Pool2d) is.", e.Message);
    }

    [Fact]
    public async Task IfWithAConditionComputedAtRunTimeIsRefused()
    {
        var branch = Model([Node("Relu", ["x"], ["r"])], [], ["r"]).Graph;
        var model = Model([Node("Greater", ["x", "y"], ["c"]), Node("If", ["c"], ["z"], Subgraph("then_branch", branch), Subgraph("else_branch", branch))],
            [("x", []), ("y", [])], ["z"]);
        var e = await Assert.ThrowsAsync<OnnxUnsupportedException>(() => BuildAsync(model));
        Assert.StartsWith("Node 'if_node' (If): its condition is computed at run time; WebNN graphs have no control flow", e.Message);
    }

    [Fact]
    public void UnsupportedOperatorInsideAnIfBranchIsRefusedAtLoad()
    {
        var branch = Model([Node("NonMaxSuppression", ["x"], ["r"])], [], ["r"]).Graph;
        var model = Model([Node("If", ["c"], ["z"], Subgraph("then_branch", branch), Subgraph("else_branch", branch))], [("x", [2])], ["z"]);
        var e = Assert.Throws<OnnxUnsupportedException>(() => Load(model));
        Assert.Equal("Node 'nonmaxsuppression_node' (NonMaxSuppression): operator NonMaxSuppression is not supported.", e.Message);
    }

    [Fact]
    public async Task LstmPeepholesAreRefused()
    {
        var model = Single("LSTM", [("x", [2, 1, 3])], [Int("hidden_size", 2)],
            [Floats("w", Random(2, 8 * 3), 1, 8, 3), Floats("r", Random(3, 8 * 2), 1, 8, 2), Floats("p", Random(4, 6), 1, 6)], ["x", "w", "r", "", "", "", "", "p"]);
        var e = await Assert.ThrowsAsync<OnnxUnsupportedException>(() => BuildAsync(model));
        Assert.Equal("Node 'lstm_node' (LSTM): peephole weights (P) are not supported: ONNX's output gate peeks at the new cell state, WebNN's lstm at the previous one.", e.Message);
    }

    [Theory]
    [InlineData("ii->i", "term 'ii' must name each of the 2 dimensions of float32[3, 3] by its own letter (repeated labels, diagonals, are not supported).")]
    [InlineData("...i->...", "equation '...i->...' is not supported; only one or two operands without ellipsis are.")]
    public async Task EinsumOutsideItsMappingIsRefused(string equation, string problem)
    {
        var model = Single("Einsum", [("x", [3, 3])], [String("equation", equation)]);
        var e = await Assert.ThrowsAsync<OnnxUnsupportedException>(() => BuildAsync(model));
        Assert.Equal($"Node 'einsum_node' (Einsum): {problem}", e.Message);
    }

    [Fact]
    public void LoopIsRefusedAtLoad()
    {
        var model = Model([Node("Loop", ["n", "c"], ["z"])], [("x", [2])], ["z"]);
        var e = Assert.Throws<OnnxUnsupportedException>(() => Load(model));
        Assert.Equal("Node 'loop_node' (Loop): operator Loop is not supported; WebNN graphs have no control flow (only an If whose condition is known while building is folded).", e.Message);
    }

    [Fact]
    public void TruncatedFileIsAFormatError()
    {
        byte[] bytes = ConvModel().ToByteArray();
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(new MemoryStream(bytes[..(bytes.Length / 2)])));
        Assert.StartsWith("The data is not an ONNX model", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello, this is a text file and not a model")]
    public void NotAModelIsAFormatError(string text) =>
        Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text))));

    [Fact]
    public async Task WeightOfTheWrongSizeIsAFormatError()
    {
        var model = ConvModel();
        model.Graph.Initializer[0].Dims[0] = 7;
        var e = await Assert.ThrowsAsync<OnnxFormatException>(() => BuildAsync(model));
        Assert.Equal("tensor 'w' has 864 bytes of raw data; float32[7, 4, 3, 3] needs 1008.", e.Message);
    }

    [Fact]
    public async Task ValueUsedBeforeItIsProducedIsAFormatError()
    {
        var model = Model([Node("Relu", ["r"], ["z"]), Node("Relu", ["x"], ["r"])], [("x", [2, 3])], ["z"]);
        var e = await Assert.ThrowsAsync<OnnxFormatException>(() => BuildAsync(model));
        Assert.Contains("uses value 'r' before any node produces it", e.Message);
    }

    [Fact]
    public async Task FreeDimensionsAreFixedByTheCaller()
    {
        var model = Single("Relu", [("x", [1, 3])]);
        model.Graph.Input[0] = ValueInfo("x", [new() { DimParam = "batch" }, new() { DimValue = 3 }]);
        var onnx = Load(model);
        Assert.Equal("x: float[batch,3]", onnx.Inputs[0].ToString());
        var context = await OnnxReference.CpuContext.Value;
        var missing = await Assert.ThrowsAsync<OnnxUnsupportedException>(() => onnx.BuildAsync(context));
        Assert.Equal("Input 'x' has free dimension 'batch' (dimension 0); give its size in freeDimensions.", missing.Message);
        using var graph = await onnx.BuildAsync(context, new Dictionary<string, int> { ["batch"] = 5 });
        Assert.Equal([5, 3], graph.InputDescriptors["x"].Shape);
        Assert.Equal([5, 3], graph.OutputDescriptors["z"].Shape);
    }
}
