using System.Runtime.InteropServices;
using Google.Protobuf;
using static WebNN.Onnx.Tests.TestModels;

namespace WebNN.Onnx.Tests;

/// <summary>
/// Weights kept in files beside the model (ONNX external data): read from the model's directory and compared with ONNX
/// Runtime loading the same files; a missing file, a range past its end, a path out of the directory or a stream without
/// a directory fail clearly.
/// </summary>
public sealed class ExternalDataTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("webnn-onnx-external-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>
    /// A Conv whose weight and bias live in one file under weights/, after a 16-byte header and at the given offsets;
    /// returns the model's path.
    /// </summary>
    private string WriteConvModel(string location = "weights/conv.bin", long? weightLength = null, string? weightOffset = null)
    {
        float[] weight = Random(2, 6 * 4 * 9), bias = Random(3, 6);
        var model = Single("Conv", [("x", [1, 4, 7, 6])], [Ints("pads", 1, 1, 1, 1)], [External("w", location, 16, weightLength ?? weight.Length * 4L, 6, 4, 3, 3),
            External("b", location, 16 + weight.Length * 4, bias.Length * 4, 6)], ["x", "w", "b"]);
        if (weightOffset is not null)
        {
            model.Graph.Initializer[0].ExternalData.Single(e => e.Key == "offset").Value = weightOffset;
        }
        Directory.CreateDirectory(Path.Combine(_directory, "weights"));
        byte[] header = new byte[16];
        File.WriteAllBytes(Path.Combine(_directory, "weights", "conv.bin"),
            [.. header, .. MemoryMarshal.AsBytes(weight.AsSpan()), .. MemoryMarshal.AsBytes(bias.AsSpan())]);
        string path = Path.Combine(_directory, "conv.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    private static TensorProto External(string name, string location, long offset, long length, params int[] shape)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, DataLocation = TensorProto.Types.DataLocation.External };
        tensor.Dims.AddRange(shape.Select(d => (long)d));
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return tensor;
    }

    private static async Task BuildAsync(OnnxModel model) => (await model.BuildAsync(await OnnxReference.CpuContext.Value)).Dispose();

    [Theory]
    [InlineData("cpu")]
    [InlineData("webgpu")]
    public async Task WeightsInAFileBesideTheModelMatchOnnxRuntime(string backend)
    {
        var comparison = Assert.Single(await OnnxReference.CompareFileAsync(WriteConvModel(), backend));
        Assert.True(comparison.Relative <= 1e-5, $"differs from ONNX Runtime by {comparison.MaxAbsDifference:E2} at scale {comparison.Scale:G3}.");
    }

    [Fact]
    public async Task StreamWithTheModelsDirectoryReadsTheWeights()
    {
        string path = WriteConvModel();
        using var stream = File.OpenRead(path);
        await BuildAsync(OnnxModel.Load(stream, _directory));
    }

    [Fact]
    public void StreamWithoutADirectoryIsRefused()
    {
        using var stream = File.OpenRead(WriteConvModel());
        var e = Assert.Throws<OnnxUnsupportedException>(() => OnnxModel.Load(stream));
        Assert.StartsWith("Tensor 'w' keeps its values in external file 'weights/conv.bin', relative to the model's directory, which a model read from a stream does not have", e.Message);
    }

    [Fact]
    public void MissingFileIsAFormatError()
    {
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(WriteConvModel(location: "weights/other.bin")));
        Assert.Equal($"Tensor 'w' keeps its values in external file 'weights/other.bin', which does not exist in {_directory}.", e.Message);
    }

    [Theory]
    [InlineData("../conv.bin")]
    [InlineData("weights/../../conv.bin")]
    [InlineData("/etc/hostname")]
    public void LocationOutsideTheModelsDirectoryIsRefused(string location)
    {
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(WriteConvModel(location: location)));
        Assert.Equal($"Tensor 'w' names external file '{location}', which lies outside the model's directory ({_directory}).", e.Message);
    }

    [Fact]
    public void LinkOutOfTheModelsDirectoryIsRefused()
    {
        string outside = Directory.CreateTempSubdirectory("webnn-onnx-outside-").FullName;
        try
        {
            string path = WriteConvModel(location: "linked/conv.bin");
            File.Copy(Path.Combine(_directory, "weights", "conv.bin"), Path.Combine(outside, "conv.bin"));
            Directory.CreateSymbolicLink(Path.Combine(_directory, "linked"), outside);
            var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(path));
            Assert.Equal($"Tensor 'w' names external file 'linked/conv.bin', which lies outside the model's directory ({_directory}).", e.Message);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void RangePastTheEndOfTheFileIsAFormatError()
    {
        // The file holds 16 + 864 + 24 bytes.
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(WriteConvModel(weightLength: 900)));
        Assert.Equal("Tensor 'w' reads 900 bytes from offset 16 of external file 'weights/conv.bin', which has 904 bytes.", e.Message);
    }

    [Fact]
    public void MalformedOffsetIsAFormatError()
    {
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(WriteConvModel(weightOffset: "-4")));
        Assert.Equal("Tensor 'w' has external data offset '-4', which is not a non-negative whole number of bytes.", e.Message);
    }

    [Fact]
    public async Task LengthThatDoesNotFitTheShapeIsAFormatError()
    {
        var model = OnnxModel.Load(WriteConvModel(weightLength: 860));
        var e = await Assert.ThrowsAsync<OnnxFormatException>(() => BuildAsync(model));
        Assert.Equal("tensor 'w' has 860 bytes of raw data; float32[6, 4, 3, 3] needs 864.", e.Message);
    }
}
