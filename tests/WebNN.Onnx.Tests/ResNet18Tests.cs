using System.Reflection;

namespace WebNN.Onnx.Tests;

/// <summary>ResNet18 from the Microsoft.ML.DnnImageFeaturizer.ResNet18 package, on the CPU backend against ONNX Runtime.</summary>
public sealed class ResNet18Tests(ITestOutputHelper output)
{
    /// <summary>The model inside the NuGet package, whose folder the build writes into this assembly's metadata.</summary>
    public static string ModelPath { get; } = typeof(ResNet18Tests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ResNet18Path").Value!;

    [Fact]
    public async Task MatchesOnnxRuntimeOnSeededInput()
    {
        var comparison = Assert.Single(await OnnxReference.CompareAsync(await File.ReadAllBytesAsync(ModelPath, TestContext.Current.CancellationToken), "cpu", seed: 18));
        output.WriteLine($"{comparison.Output} {string.Join("×", comparison.Shape)}: max |ours − ORT| = {comparison.MaxAbsDifference:E2}, max |ORT| = {comparison.Scale:G4}");
        Assert.Equal([1, 512, 1, 1], comparison.Shape);
        Assert.True(comparison.MaxAbsDifference <= 1e-3 * comparison.Scale, $"ResNet18 differs from ONNX Runtime by {comparison.MaxAbsDifference:E2} at scale {comparison.Scale:G4}.");
    }

    [Fact]
    public void DeclaresItsInputAndOutput()
    {
        var model = OnnxModel.Load(ModelPath);
        Assert.Equal("1,3,224,224", string.Join(",", Assert.Single(model.Inputs).Shape!));
        Assert.Equal("1,512,1,1", string.Join(",", Assert.Single(model.Outputs).Shape!));
    }
}
