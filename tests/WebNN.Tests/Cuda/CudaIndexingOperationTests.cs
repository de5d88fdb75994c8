using static WebNN.Tests.Cpu.CpuGraphRunner;
using static WebNN.Tests.Cuda.CudaContextFixture;

namespace WebNN.Tests.Cuda;

/// <summary>
/// cast, pad, tile, triangular, the gathers and scatters, resample2d, argMin/argMax, cumulativeSum and quantization on the cuda backend give
/// exactly the CPU backend's results, on every type they take (run on an NVIDIA GPU; skipped elsewhere).
/// </summary>
[Collection(CudaContextCollection.Name)]
public sealed class CudaIndexingOperationTests(CudaContextFixture fixture)
{
    /// <summary>Float values at the edges of every cast: halves, the integer types' limits and beyond, NaN and infinities.</summary>
    private static readonly float[] CastEdges =
    [
        float.NaN, float.PositiveInfinity, float.NegativeInfinity, -1e20f, -3e9f, -2147483648f, -300.7f, -128.5f, -1.5f, -0.5f, -0f, 0,
        0.5f, 2.5f, 127.9f, 255.5f, 65519, 65520, 3e9f, 4294967296f, 9.3e18f, 1e20f,
    ];

    [Theory]
    [MemberData(nameof(AllTypes), MemberType = typeof(CudaContextFixture))]
    public async Task Cast_converts_every_type_to_every_type(MLOperandDataType from)
    {
        var values = from is MLOperandDataType.Float32 or MLOperandDataType.Float16 ? FloatValues(from, CastEdges) : Values(from, 1, 40);
        var input = new Input(from, [values.Length], values);
        foreach (var to in MLOperandDataTypes.All)
        {
            await fixture.AssertEqualAsync((g, x) => g.Cast(x[0], to), input);
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes), MemberType = typeof(CudaContextFixture))]
    public async Task Pad_tile_and_triangular_move_every_type(MLOperandDataType dataType)
    {
        var input = new Input(dataType, [2, 3, 4], Values(dataType, 1, 24));
        foreach (var mode in Enum.GetValues<MLPaddingMode>())
        {
            await fixture.AssertEqualAsync((g, x) => g.Pad(x[0], [1, 0, 2], [0, 2, 3], new MLPadOptions { Mode = mode, Value = 3 }), input);
        }
        await fixture.AssertEqualAsync((g, x) => g.Tile(x[0], [2, 1, 3]), input);
        foreach (bool upper in new[] { true, false })
        {
            foreach (int diagonal in new[] { -1, 0, 2 })
            {
                await fixture.AssertEqualAsync((g, x) => g.Triangular(x[0], new MLTriangularOptions { Upper = upper, Diagonal = diagonal }), input);
            }
        }
    }

    public static TheoryData<MLOperandDataType, MLOperandDataType> GatherTypes()
    {
        var data = new TheoryData<MLOperandDataType, MLOperandDataType>();
        foreach (var dataType in MLOperandDataTypes.All)
        {
            data.Add(dataType, MLOperandDataType.Int32);
        }
        data.Add(MLOperandDataType.Float32, MLOperandDataType.Uint32);
        data.Add(MLOperandDataType.Float16, MLOperandDataType.Int64);
        return data;
    }

    /// <summary>Indices of <paramref name="indexType"/> in [−7, 7): negative ones count from the end, those beyond the axis clamp.</summary>
    private static Input Indices(MLOperandDataType indexType, int[] shape, int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, (int)Shapes.ElementCount(shape)).Select(_ => random.Next(-7, 7)).ToArray();
        Array array = indexType switch
        {
            MLOperandDataType.Int64 => values.Select(v => (long)v).ToArray(),
            // uint32 cannot be negative: its indices only clamp.
            MLOperandDataType.Uint32 => values.Select(v => (uint)Math.Abs(v)).ToArray(),
            _ => values,
        };
        return new Input(indexType, shape, array);
    }

    [Theory]
    [MemberData(nameof(GatherTypes))]
    public async Task Gathers_resolve_negative_and_clamp_out_of_range_indices(MLOperandDataType dataType, MLOperandDataType indexType)
    {
        var input = new Input(dataType, [3, 4, 5], Values(dataType, 1, 60));
        foreach (int axis in new[] { 0, 1, 2 })
        {
            await fixture.AssertEqualAsync((g, x) => g.Gather(x[0], x[1], new MLGatherOptions { Axis = axis }), input, Indices(indexType, [2, 3], axis));
        }
        await fixture.AssertEqualAsync((g, x) => g.Gather(x[0], x[1], new MLGatherOptions { Axis = 1 }), input, Indices(indexType, [], 4));
        int[][] elementIndexShapes = [[2, 4, 5], [3, 6, 5], [3, 4, 2]];
        for (int axis = 0; axis < 3; axis++)
        {
            await fixture.AssertEqualAsync((g, x) => g.GatherElements(x[0], x[1], new MLGatherOptions { Axis = axis }), input, Indices(indexType, elementIndexShapes[axis], axis + 5));
        }
        foreach (int[] shape in new[] { new[] { 2, 1 }, [2, 2, 2], [4, 3] })
        {
            await fixture.AssertEqualAsync((g, x) => g.GatherND(x[0], x[1]), input, Indices(indexType, shape, shape.Length + shape[^1]));
        }
    }

    [Theory]
    [MemberData(nameof(GatherTypes))]
    public async Task Scatters_let_the_later_of_two_updates_of_an_element_win(MLOperandDataType dataType, MLOperandDataType indexType)
    {
        // Indices in [−7, 7) along axes of 4 and 5 repeat and clamp, so elements are updated twice or more.
        var input = new Input(dataType, [3, 4, 5], Values(dataType, 1, 60));
        await fixture.AssertEqualAsync((g, x) => g.ScatterElements(x[0], x[1], x[2], new MLScatterOptions { Axis = 1 }),
            input, Indices(indexType, [3, 6, 5], 2), new Input(dataType, [3, 6, 5], Values(dataType, 3, 90)));
        await fixture.AssertEqualAsync((g, x) => g.ScatterElements(x[0], x[1], x[2], new MLScatterOptions { Axis = 2 }),
            input, Indices(indexType, [3, 4, 2], 4), new Input(dataType, [3, 4, 2], Values(dataType, 5, 24)));
        foreach (int[] shape in new[] { new[] { 4, 1 }, [5, 2], [2, 3, 3] })
        {
            int[] updateShape = [.. shape[..^1], .. new[] { 3, 4, 5 }[shape[^1]..]];
            await fixture.AssertEqualAsync((g, x) => g.ScatterND(x[0], x[1], x[2]),
                input, Indices(indexType, shape, shape.Length + shape[^1]), new Input(dataType, updateShape, Values(dataType, 6, (int)Shapes.ElementCount(updateShape))));
        }
    }

    [Theory]
    [InlineData(MLOperandDataType.Float32)]
    [InlineData(MLOperandDataType.Float16)]
    [InlineData(MLOperandDataType.Uint8)]
    [InlineData(MLOperandDataType.Int8)]
    public async Task Resample2d_interpolates_as_the_cpu_does_to_the_bit(MLOperandDataType dataType)
    {
        var input = new Input(dataType, [2, 3, 5, 4], dataType is MLOperandDataType.Float32 or MLOperandDataType.Float16
            ? FloatValues(dataType, RandomFloats(7, 120, -4, 4))
            : Values(dataType, 7, 120));
        foreach (var mode in Enum.GetValues<MLInterpolationMode>())
        {
            MLResample2dOptions[] cases =
            [
                new() { Mode = mode, Scales = [2, 1.5f] },
                new() { Mode = mode, Sizes = [3, 7] },
                new() { Mode = mode, Scales = [0.7f, 3], Axes = [1, 2] },
                new() { Mode = mode, Sizes = [9, 2], Axes = [1, 3] },
            ];
            foreach (var options in cases)
            {
                await fixture.AssertEqualAsync((g, x) => g.Resample2d(x[0], options), input);
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes), MemberType = typeof(CudaContextFixture))]
    public async Task ArgMin_and_argMax_take_the_first_index_on_ties(MLOperandDataType dataType)
    {
        // Values repeats 3 often, so ties occur; for floats NaN comes in too.
        var values = Values(dataType, 3, 60);
        if (values is float[] floats)
        {
            floats[7] = float.NaN;
        }
        var input = new Input(dataType, [3, 4, 5], values);
        foreach (int axis in new[] { 0, 1, 2 })
        {
            foreach (var (keep, output) in new[] { (false, MLOperandDataType.Int32), (true, MLOperandDataType.Int64) })
            {
                var options = new MLArgMinMaxOptions { KeepDimensions = keep, OutputDataType = output };
                await fixture.AssertEqualAsync((g, x) => g.ArgMin(x[0], axis, options), input);
                await fixture.AssertEqualAsync((g, x) => g.ArgMax(x[0], axis, options), input);
            }
        }
    }

    [Theory]
    [InlineData(MLOperandDataType.Float32)]
    [InlineData(MLOperandDataType.Float16)]
    [InlineData(MLOperandDataType.Int32)]
    [InlineData(MLOperandDataType.Int64)]
    [InlineData(MLOperandDataType.Uint64)]
    public async Task CumulativeSum_runs_either_way_inclusive_or_exclusive(MLOperandDataType dataType)
    {
        // Small integers keep float sums exact; 64-bit integers wrap as the CPU's do.
        var input = new Input(dataType, [3, 4, 5], dataType switch
        {
            MLOperandDataType.Float32 or MLOperandDataType.Float16 => FloatValues(dataType, [.. RandomFloats(4, 60, -8, 8).Select(v => MathF.Round(v))]),
            _ => Values(dataType, 4, 60),
        });
        foreach (int axis in new[] { 0, 1, 2 })
        {
            foreach (var (exclusive, reversed) in new[] { (false, false), (true, false), (false, true), (true, true) })
            {
                await fixture.AssertEqualAsync((g, x) => g.CumulativeSum(x[0], axis, new MLCumulativeSumOptions { Exclusive = exclusive, Reversed = reversed }), input);
            }
        }
    }

    public static TheoryData<MLOperandDataType, MLOperandDataType> QuantizationTypes()
    {
        var data = new TheoryData<MLOperandDataType, MLOperandDataType>();
        foreach (var quantized in new[] { MLOperandDataType.Uint8, MLOperandDataType.Int8, MLOperandDataType.Int32 })
        {
            data.Add(MLOperandDataType.Float32, quantized);
            data.Add(MLOperandDataType.Float16, quantized);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(QuantizationTypes))]
    public async Task Quantization_rounds_half_to_even_saturates_and_broadcasts_blockwise(MLOperandDataType floatType, MLOperandDataType quantized)
    {
        // x / scale lands on halves (scale 0.5 with x = k·0.25) and beyond every type's range.
        float[] x = [.. Enumerable.Range(0, 24).Select(i => (i - 12) * 0.25f * (i % 5 == 0 ? 1000 : 1))];
        float[] scales = [0.5f, 0.25f, 2, 0.5f, 1, 0.125f];
        var zeroPoints = quantized switch
        {
            MLOperandDataType.Uint8 => (Array)new byte[] { 128, 0, 3, 255, 10, 1 },
            MLOperandDataType.Int8 => new sbyte[] { -1, 0, 3, 127, -128, 5 },
            _ => new[] { -1, 0, 3, 1 << 30, -7, 5 },
        };
        var quantizeInputs = new[] { new Input(floatType, [4, 6], FloatValues(floatType, x)), new Input(floatType, [2, 3], FloatValues(floatType, scales)), new Input(quantized, [2, 3], zeroPoints) };
        await fixture.AssertEqualAsync((g, x) => g.QuantizeLinear(x[0], x[1], x[2]), quantizeInputs);
        var dequantizeInputs = new[] { new Input(quantized, [4, 6], Values(quantized, 6, 24)), quantizeInputs[1], quantizeInputs[2] };
        await fixture.AssertEqualAsync((g, x) => g.DequantizeLinear(x[0], x[1], x[2]), dequantizeInputs);
    }
}
