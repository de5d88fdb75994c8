namespace WebNN.Tests.Cpu;

/// <summary>Builds a graph on a CPU context, runs it on given inputs and returns its outputs.</summary>
internal static class CpuGraphRunner
{
    private static readonly Lazy<Task<MLContext>> Context = new(() => ML.CreateContextAsync(new MLContextOptions { Accelerated = false }));

    /// <summary>An input of the graph: its data type, shape and values (an array of the type's element).</summary>
    public sealed record Input(MLOperandDataType DataType, int[] Shape, Array Values)
    {
        public static Input Floats(int[] shape, float[] values) => new(MLOperandDataType.Float32, shape, values);
    }

    public static async Task<Array> RunAsync(Func<MLGraphBuilder, MLOperand[], MLOperand> build, params Input[] inputs) =>
        (await RunOutputsAsync((g, x) => [build(g, x)], inputs))[0];

    /// <summary>Runs a graph whose outputs are the operands <paramref name="build"/> returns, in that order.</summary>
    public static async Task<Array[]> RunOutputsAsync(Func<MLGraphBuilder, MLOperand[], MLOperand[]> build, params Input[] inputs) =>
        await RunOutputsAsync(await Context.Value, build, inputs);

    /// <summary>Builds the graph on <paramref name="context"/> (inputs x0, x1, ...; outputs y0, y1, ...), runs it and returns its outputs in order.</summary>
    public static async Task<Array[]> RunOutputsAsync(MLContext context, Func<MLGraphBuilder, MLOperand[], MLOperand[]> build, params Input[] inputs)
    {
        var builder = new MLGraphBuilder(context);
        var operands = inputs.Select((input, i) => builder.Input($"x{i}", new MLOperandDescriptor(input.DataType, input.Shape))).ToArray();
        var outputs = build(builder, operands);
        using var graph = await builder.BuildAsync(outputs.Select((output, i) => (Name: $"y{i}", output)).ToDictionary(p => p.Name, p => p.output));
        var results = await context.ComputeAsync(graph, inputs.Select((input, i) => (Name: $"x{i}", input.Values)).ToDictionary(p => p.Name, p => p.Values));
        return [.. outputs.Select((_, i) => results[$"y{i}"])];
    }

    public static async Task<float[]> RunFloatsAsync(Func<MLGraphBuilder, MLOperand[], MLOperand> build, params Input[] inputs) =>
        (float[])await RunAsync(build, inputs);

    /// <summary>A float output's values as float32 (float16 widened exactly).</summary>
    public static float[] Floats(Array values) => values switch
    {
        float[] floats => floats,
        Half[] halves => [.. halves.Select(v => (float)v)],
        _ => throw new ArgumentException($"unexpected output type {values.GetType()}"),
    };

    public static float[] RandomFloats(int seed, int length, float min = -1, float max = 1)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = min + (float)random.NextDouble() * (max - min);
        }
        return values;
    }

    /// <summary>Asserts element-wise closeness: |actual − expected| ≤ tolerance · (1 + |expected|); NaN matches NaN.</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (double.IsNaN(expected[i]))
            {
                Assert.True(float.IsNaN(actual[i]), $"element {i}: expected NaN, got {actual[i]}");
                continue;
            }
            if (double.IsInfinity(expected[i]))
            {
                Assert.Equal(expected[i], actual[i]);
                continue;
            }
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(error <= tolerance * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {actual[i]} (error {error:E2})");
        }
    }

    /// <summary>Reorders row-major <paramref name="values"/> of <paramref name="shape"/> so that output dimension i is input dimension permutation[i].</summary>
    public static float[] Permute(float[] values, int[] shape, int[] permutation)
    {
        var strides = Shapes.Strides(shape);
        var outputShape = permutation.Select(p => shape[p]).ToArray();
        var result = new float[values.Length];
        var index = new int[shape.Length];
        for (int o = 0; o < result.Length; o++)
        {
            int source = 0;
            for (int d = 0; d < shape.Length; d++)
            {
                source += index[d] * strides[permutation[d]];
            }
            result[o] = values[source];
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                if (++index[d] < outputShape[d])
                {
                    break;
                }
                index[d] = 0;
            }
        }
        return result;
    }
}
