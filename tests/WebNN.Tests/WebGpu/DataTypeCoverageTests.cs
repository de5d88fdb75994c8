using WebNN.Validation;

namespace WebNN.Tests.WebGpu;

/// <summary>
/// Every operation on every backend, every data type (issue 5): against the spec's tensor limits tables, the CPU
/// backend supports every allowed data type of every argument; the WebGPU backend supports every required one, and
/// every allowed one except <see cref="GpuExceptions"/>.
/// </summary>
[Collection(GpuContextCollection.Name)]
public sealed class DataTypeCoverageTests(GpuContextFixture fixture)
{
    /// <summary>
    /// The allowed types the WebGPU backend does not run: WGSL has no 64-bit integers, so int64 and uint64 run only
    /// where a kernel reads or writes them as pairs of words (README: "Operations and data types").
    /// </summary>
    private static readonly MLOperandDataType[] GpuExceptions = [MLOperandDataType.Int64, MLOperandDataType.Uint64];

    /// <summary>"op argument: types" for each argument whose <paramref name="expected"/> types <paramref name="context"/> does not support.</summary>
    private static List<string> Missing(MLContext context, Func<SpecOperandLimits[], SpecOperandLimits, IEnumerable<MLOperandDataType>> expected)
    {
        var limits = context.OpSupportLimits();
        var missing = new List<string>();
        foreach (var (name, rows) in SpecTensorLimits.ByOperator)
        {
            var supported = limits[name];
            foreach (var row in rows)
            {
                var types = expected(rows, row).Where(t => supported?[row.Argument].DataTypes.Contains(t) != true).ToList();
                if (types.Count > 0)
                {
                    missing.Add($"{name} {row.Argument}: {SpecTensorLimits.FormatTypes(types)}");
                }
            }
        }
        return missing;
    }

    private static void AssertNone(List<string> missing, string what) =>
        Assert.True(missing.Count == 0, $"{what} ({missing.Count}):\n{string.Join("\n", missing)}");

    [Fact]
    public void Cpu_supports_every_allowed_data_type() =>
        AssertNone(Missing(fixture.Cpu, SpecTensorLimits.ResolveTypes), "Allowed data types the CPU backend does not support");

    [Fact]
    public void Gpu_supports_every_required_data_type() =>
        AssertNone(Missing(fixture.Gpu, (_, row) => row.RequiredDataTypes), "Required data types the WebGPU backend does not support");

    [Fact]
    public void Gpu_supports_every_allowed_data_type_but_the_documented_exceptions() =>
        AssertNone(Missing(fixture.Gpu, (rows, row) => SpecTensorLimits.ResolveTypes(rows, row).Except(GpuExceptions)), "Allowed data types the WebGPU backend does not support");

    [Fact]
    public async Task An_allowed_type_the_gpu_does_not_run_fails_at_build()
    {
        var builder = new MLGraphBuilder(fixture.Gpu);
        var x = builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Int64, 2));
        var e = await Assert.ThrowsAsync<NotSupportedException>(() => builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = builder.Prelu(x, x) }));
        Assert.Contains("data type int64", e.Message);
    }
}
