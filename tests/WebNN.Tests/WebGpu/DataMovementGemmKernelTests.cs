using static WebNN.Tests.Cpu.CpuGraphRunner;
using static WebNN.Tests.WebGpu.TypedArrays;

namespace WebNN.Tests.WebGpu;

/// <summary>
/// The WebGPU backend's data movement, gemm, prelu, convTranspose2d and cast kernels agree with the CPU backend:
/// exactly where no arithmetic happens (moves, casts), within float32 tolerances otherwise.
/// </summary>
[Collection(GpuContextCollection.Name)]
public sealed class DataMovementGemmKernelTests(GpuContextFixture fixture)
{
    private static void AssertAgree(float[] cpu, float[] gpu, double tolerance) =>
        AssertClose(cpu.Select(v => (double)v).ToArray(), gpu, tolerance);

    private static Input Ints(int[] shape, int seed) =>
        new(MLOperandDataType.Int32, shape, Enumerable.Range(0, (int)Shapes.ElementCount(shape)).Select(i => new Random(seed + i).Next(-1000, 1000)).ToArray());

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Concat_agrees_along_every_axis(int axis)
    {
        int[] Shape(int size) => [.. new[] { 2, 3, 4 }.Select((s, d) => d == axis ? size : s)];
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.Concat(x, axis)],
            Input.Floats(Shape(1), RandomFloats(1, (int)Shapes.ElementCount(Shape(1)))),
            Input.Floats(Shape(3), RandomFloats(2, (int)Shapes.ElementCount(Shape(3)))),
            Input.Floats(Shape(2), RandomFloats(3, (int)Shapes.ElementCount(Shape(2)))));
        AssertIdentical(cpu, gpu);
    }

    [Theory]
    [InlineData(new[] { 3, 1 }, new[] { 2, 3, 4 })]
    [InlineData(new int[0], new[] { 5 })]
    [InlineData(new[] { 1, 4 }, new[] { 3, 4 })]
    public async Task Expand_agrees(int[] shape, int[] newShape)
    {
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => [g.Expand(x[0], newShape)], Ints(shape, 4));
        AssertIdentical(cpu, gpu);
    }

    [Theory]
    [InlineData(MLOperandDataType.Int32, 0)]
    [InlineData(MLOperandDataType.Int32, 1)]
    [InlineData(MLOperandDataType.Uint32, 2)]
    [InlineData(MLOperandDataType.Int64, 1)]
    [InlineData(MLOperandDataType.Int64, 0)]
    public async Task Gather_takes_negative_and_out_of_range_indices_like_the_cpu(MLOperandDataType indexType, int axis)
    {
        int[] shape = [4, 5, 3];
        // In range, negative from the end, -size, below -size, beyond the size, and (int64) beyond 32 bits either way.
        long[] indices = [0, 2, -1, -3, -shape[axis], -shape[axis] - 1, shape[axis], 7, int.MinValue, int.MaxValue];
        if (indexType == MLOperandDataType.Int64)
        {
            indices = [.. indices, 1L << 32, (1L << 32) + 1, -(1L << 32), -(1L << 32) + 1, long.MinValue, long.MaxValue];
        }
        Array values = indexType switch
        {
            MLOperandDataType.Int32 => indices.Select(i => (int)i).ToArray(),
            MLOperandDataType.Uint32 => indices.Select(i => unchecked((uint)i)).ToArray(),
            _ => indices,
        };
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.Gather(x[0], x[1], new MLGatherOptions { Axis = axis })],
            Input.Floats(shape, RandomFloats(5, 60)), new Input(indexType, [2, values.Length / 2], values));
        AssertIdentical(cpu, gpu);
    }

    [Fact]
    public async Task Gather_reads_int64_indices_from_a_constant()
    {
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) =>
            {
                long[] indices = [-1, 3, long.MinValue, 1];
                var constant = g.Constant(new MLOperandDescriptor(MLOperandDataType.Int64, [4]), System.Runtime.InteropServices.MemoryMarshal.AsBytes(indices.AsSpan()));
                return [g.Gather(x[0], constant)];
            },
            Ints([5, 2], 6));
        AssertIdentical(cpu, gpu);
    }

    [Theory]
    [InlineData(MLPaddingMode.Constant)]
    [InlineData(MLPaddingMode.Edge)]
    [InlineData(MLPaddingMode.Reflection)]
    public async Task Pad_agrees_in_every_mode(MLPaddingMode mode)
    {
        var options = new MLPadOptions { Mode = mode, Value = 2.75 };
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.Pad(x[0], [1, 0, 2], [2, 1, 3], options), g.Pad(x[1], [0, 3], [2, 1], options)],
            Input.Floats([3, 2, 4], RandomFloats(7, 24)), Ints([3, 4], 8));
        AssertIdentical(cpu, gpu);
    }

    [Fact]
    public async Task Pad_fills_float16_values_with_the_half_of_the_value()
    {
        // 0.1 is not a half: the fill must be the half nearest to it, like the CPU's.
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.Cast(g.Pad(g.Cast(x[0], MLOperandDataType.Float16), [1, 1], [1, 1], new MLPadOptions { Value = 0.1 }), MLOperandDataType.Float32)],
            Input.Floats([2, 3], RandomFloats(9, 6)));
        AssertIdentical(cpu, gpu);
        Assert.NotEqual(0.1f, ((float[])gpu[0])[0]);
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2 }, new[] { 4, 3, 5 }, new[] { 1, 1, 1 })]
    [InlineData(new[] { 1, 0, 0 }, new[] { 3, 4, 7 }, new[] { 2, 3, 4 })]
    [InlineData(new[] { 0, 2, 1 }, new[] { 5, 2, 6 }, new[] { 3, 1, 2 })]
    public async Task Slice_agrees_with_strides(int[] starts, int[] sizes, int[] strides)
    {
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.Slice(x[0], starts, sizes, new MLSliceOptions { Strides = strides })], Ints([5, 4, 7], 10));
        AssertIdentical(cpu, gpu);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Split_fills_every_output(int axis)
    {
        int[] shape = [6, 6, 6];
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [.. g.Split(x[0], [1, 3, 2], new MLSplitOptions { Axis = axis }), .. g.Split(x[0], 2, new MLSplitOptions { Axis = axis })],
            Input.Floats(shape, RandomFloats(11, 216)));
        Assert.Equal(5, gpu.Length);
        AssertIdentical(cpu, gpu);
    }

    [Fact]
    public async Task Reshape_and_transpose_move_int32_and_uint32_elements()
    {
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.Transpose(g.Reshape(x[0], [2, 3, 4]), new MLTransposeOptions { Permutation = [1, 2, 0] }), g.Transpose(x[1])],
            Ints([24], 12), new Input(MLOperandDataType.Uint32, [2, 3], new uint[] { 0, 1, uint.MaxValue, 3, 4, 0x80000000 }));
        AssertIdentical(cpu, gpu);
    }

    [Theory]
    [InlineData(false, false, null)]
    [InlineData(true, false, new[] { 6 })]
    [InlineData(false, true, new[] { 5, 1 })]
    [InlineData(true, true, new[] { 5, 6 })]
    [InlineData(false, false, new int[0])]
    public async Task Gemm_agrees_with_transposes_and_broadcast_c(bool aTranspose, bool bTranspose, int[]? cShape)
    {
        int m = 5, k = 7, n = 6;
        int[] aShape = aTranspose ? [k, m] : [m, k];
        int[] bShape = bTranspose ? [n, k] : [k, n];
        var inputs = new List<Input> { Input.Floats(aShape, RandomFloats(13, m * k)), Input.Floats(bShape, RandomFloats(14, k * n)) };
        if (cShape is not null)
        {
            inputs.Add(Input.Floats(cShape, RandomFloats(15, (int)Shapes.ElementCount(cShape))));
        }
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.Gemm(x[0], x[1], new MLGemmOptions { ATranspose = aTranspose, BTranspose = bTranspose, Alpha = 0.75, Beta = -1.5, C = x.Length > 2 ? x[2] : null })],
            [.. inputs]);
        AssertAgree((float[])cpu[0], (float[])gpu[0], 1e-5);
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4 }, new[] { 4 })]
    [InlineData(new[] { 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 3, 1 })]
    public async Task Prelu_broadcasts_the_slope(int[] inputShape, int[] slopeShape)
    {
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => g.Prelu(x[0], x[1]),
            (inputShape, RandomFloats(16, (int)Shapes.ElementCount(inputShape), -2, 2)), (slopeShape, RandomFloats(17, (int)Shapes.ElementCount(slopeShape))));
        AssertAgree(cpu, gpu, 1e-6);
    }

    [Theory]
    [InlineData(MLInputOperandLayout.Nchw, MLConvTranspose2dFilterOperandLayout.Iohw, 1, false)]
    [InlineData(MLInputOperandLayout.Nhwc, MLConvTranspose2dFilterOperandLayout.Ohwi, 2, true)]
    [InlineData(MLInputOperandLayout.Nhwc, MLConvTranspose2dFilterOperandLayout.Hwoi, 3, false)]
    [InlineData(MLInputOperandLayout.Nchw, MLConvTranspose2dFilterOperandLayout.Ohwi, 6, true)]
    public async Task ConvTranspose2d_agrees_in_every_layout_with_groups_dilations_and_output_padding(
        MLInputOperandLayout inputLayout, MLConvTranspose2dFilterOperandLayout filterLayout, int groups, bool outputSizes)
    {
        int n = 2, cin = 6, h = 4, w = 5, coutPerGroup = 2, kh = 3, kw = 2;
        bool nhwc = inputLayout == MLInputOperandLayout.Nhwc;
        int[] inputShape = nhwc ? [n, h, w, cin] : [n, cin, h, w];
        int[] filterShape = filterLayout switch
        {
            MLConvTranspose2dFilterOperandLayout.Iohw => [cin, coutPerGroup, kh, kw],
            MLConvTranspose2dFilterOperandLayout.Hwoi => [kh, kw, coutPerGroup, cin],
            _ => [coutPerGroup, kh, kw, cin],
        };
        int cout = coutPerGroup * groups;
        // Without padding the output is 3·3 + 2·2 + 1 = 14 rows by 4·2 + 1·3 + 1 = 12 columns; padding takes 1 + 2 and 0 + 1.
        MLConvTranspose2dOptions Options(MLOperand? bias) => new()
        {
            Padding = [1, 2, 0, 1], Strides = [3, 2], Dilations = [2, 3], Groups = groups, InputLayout = inputLayout, FilterLayout = filterLayout,
            OutputPadding = outputSizes ? null : [2, 1], OutputSizes = outputSizes ? [12, 12] : null, Bias = bias,
        };
        var input = (inputShape, RandomFloats(18, (int)Shapes.ElementCount(inputShape)));
        var filter = (filterShape, RandomFloats(19, (int)Shapes.ElementCount(filterShape)));
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => g.ConvTranspose2d(x[0], x[1], Options(x[2])), input, filter, ([cout], RandomFloats(20, cout)));
        AssertAgree(cpu, gpu, 1e-5);
        var (gpuWithoutBias, cpuWithoutBias) = await fixture.RunBothAsync((g, x) => g.ConvTranspose2d(x[0], x[1], Options(null)), input, filter);
        AssertAgree(cpuWithoutBias, gpuWithoutBias, 1e-5);
    }

    /// <summary>Values whose float16 rounding, integer truncation or saturation differ in telling ways.</summary>
    private static readonly float[] CastValues =
    [
        0f, -0f, 1f, -2.5f, 2.5f, 0.7f, -0.7f, 1f + 1f / 2048, 1f + 3f / 2048, 1f + 1f / 4096, 2049f, 2051f, 65504f, 65519f, 65520f, -65520f, 1e6f,
        6e-5f, 3e-5f, 1e-6f, -1e-7f, 2.9802322e-8f, 5.9604645e-8f, 8.940697e-8f, 1e-9f, float.Epsilon,
        float.NaN, float.PositiveInfinity, float.NegativeInfinity, 3e9f, -3e9f, 2147483520f, 2147483648f, -2147483648f, 4294967040f, 4294967296f, 123456.789f,
    ];

    [Theory]
    [InlineData(MLOperandDataType.Float16, MLOperandDataType.Float32)]
    [InlineData(MLOperandDataType.Int32, MLOperandDataType.Int32)]
    [InlineData(MLOperandDataType.Uint32, MLOperandDataType.Uint32)]
    [InlineData(MLOperandDataType.Float16, MLOperandDataType.Int32)]
    [InlineData(MLOperandDataType.Float16, MLOperandDataType.Uint32)]
    [InlineData(MLOperandDataType.Float32, MLOperandDataType.Float32)]
    [InlineData(MLOperandDataType.Int8, MLOperandDataType.Float32)]
    [InlineData(MLOperandDataType.Uint8, MLOperandDataType.Float16)]
    [InlineData(MLOperandDataType.Float16, MLOperandDataType.Int8)]
    [InlineData(MLOperandDataType.Float32, MLOperandDataType.Uint8)]
    public async Task Cast_from_float32_agrees(MLOperandDataType through, MLOperandDataType to)
    {
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => [g.Cast(g.Cast(x[0], through), to)], Input.Floats([CastValues.Length], CastValues));
        AssertIdentical(cpu, gpu);
    }

    [Theory]
    [InlineData(MLOperandDataType.Int32, MLOperandDataType.Float32)]
    [InlineData(MLOperandDataType.Int32, MLOperandDataType.Uint32)]
    [InlineData(MLOperandDataType.Int32, MLOperandDataType.Float16)]
    [InlineData(MLOperandDataType.Uint32, MLOperandDataType.Float32)]
    [InlineData(MLOperandDataType.Uint32, MLOperandDataType.Int32)]
    [InlineData(MLOperandDataType.Uint32, MLOperandDataType.Float16)]
    [InlineData(MLOperandDataType.Int32, MLOperandDataType.Int8)]
    [InlineData(MLOperandDataType.Int32, MLOperandDataType.Uint8)]
    [InlineData(MLOperandDataType.Uint32, MLOperandDataType.Int8)]
    [InlineData(MLOperandDataType.Uint32, MLOperandDataType.Uint8)]
    public async Task Cast_from_integers_agrees(MLOperandDataType from, MLOperandDataType to)
    {
        // Beyond 2^24 integers round to float32 (16777217 ties to 16777216, 16777219 to 16777220), beyond 65520 to a half's infinity.
        int[] ints = [0, 1, -1, 2049, 2051, 65504, 65519, 65520, -65536, 16777217, 16777219, int.MaxValue, int.MinValue, 123456789];
        Array values = from == MLOperandDataType.Int32 ? ints : ints.Select(i => unchecked((uint)i)).ToArray();
        // Back to the input's type (or float32 from float16) so the output is a type the graph boundary takes.
        var back = to == MLOperandDataType.Float16 ? MLOperandDataType.Float32 : from;
        var (gpu, cpu) = await fixture.RunBothAsync(
            (g, x) => { var cast = g.Cast(x[0], to); return to == MLOperandDataType.Float16 ? [g.Cast(cast, back)] : [cast, g.Cast(cast, back)]; },
            new Input(from, [ints.Length], values));
        AssertIdentical(cpu, gpu);
    }

    [Theory]
    [InlineData(MLOperandDataType.Int8)]
    [InlineData(MLOperandDataType.Uint8)]
    public async Task Cast_from_8_bit_integers_to_every_type_agrees(MLOperandDataType from)
    {
        double[] values = from == MLOperandDataType.Int8 ? [-128, -1, 0, 1, 127, -77, 45] : [0, 1, 127, 128, 255, 200, 9];
        MLOperandDataType[] targets = [MLOperandDataType.Float32, MLOperandDataType.Float16, MLOperandDataType.Int32, MLOperandDataType.Uint32, MLOperandDataType.Int8, MLOperandDataType.Uint8];
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) => [.. targets.Select(to => g.Cast(x[0], to))], new Input(from, [values.Length], Typed(from, values)));
        AssertIdentical(cpu, gpu);
    }

    [Theory]
    [InlineData(MLOperandDataType.Int8, -3)]
    [InlineData(MLOperandDataType.Uint8, 200)]
    public async Task Data_movement_runs_on_8_bit_values(MLOperandDataType type, double fill)
    {
        var random = new Random(9);
        double[] values = [.. Enumerable.Range(0, 2 * 3 * 5).Select(_ => (double)(type == MLOperandDataType.Int8 ? random.Next(-128, 128) : random.Next(256)))];
        var input = new Input(type, [2, 3, 5], Typed(type, values));
        var indices = new Input(MLOperandDataType.Int32, [3], new[] { 2, 0, -1 });
        var (gpu, cpu) = await fixture.RunBothAsync((g, x) =>
        [
            g.Reshape(x[0], [5, 6]), g.Transpose(x[0]), g.Expand(g.Slice(x[0], [0, 1, 0], [2, 1, 5]), [3, 2, 1, 5]),
            g.Slice(x[0], [1, 0, 1], [1, 3, 3], new MLSliceOptions { Strides = [1, 2, 2] }), g.Concat([x[0], x[0]], 2), .. g.Split(x[0], 3, new MLSplitOptions { Axis = 1 }),
            g.Pad(x[0], [0, 1, 2], [1, 0, 1], new MLPadOptions { Value = fill }), g.Pad(x[0], [0, 1, 2], [1, 0, 1], new MLPadOptions { Mode = MLPaddingMode.Reflection }),
            g.Gather(x[0], x[1], new MLGatherOptions { Axis = 2 }),
            // Inside the graph the fill is held sign- or zero-extended, as a cast to int32 shows.
            g.Cast(g.Pad(x[0], [0, 0, 1], [0, 0, 0], new MLPadOptions { Value = fill }), MLOperandDataType.Int32),
        ], input, indices);
        AssertIdentical(cpu, gpu);
        Assert.Equal(Typed(type, [fill]).GetValue(0), gpu[8].GetValue(0));
        Assert.Equal((int)fill, gpu[11].GetValue(0));
    }

    [Fact]
    public void Limits_report_the_types_each_kernel_runs()
    {
        var limits = fixture.Gpu.OpSupportLimits();
        MLOperandDataType[] words =
        [
            MLOperandDataType.Float32, MLOperandDataType.Float16, MLOperandDataType.Int32,
            MLOperandDataType.Uint32, MLOperandDataType.Int8, MLOperandDataType.Uint8,
        ];
        Assert.Equal([MLOperandDataType.Int32, MLOperandDataType.Uint32, MLOperandDataType.Int64], limits["gather"]!["indices"].DataTypes);
        foreach (var op in new[] { "concat", "expand", "gather", "pad", "slice", "split", "reshape", "transpose" })
        {
            var input = limits[op]!.TryGetValue("input", out var single) ? single : limits[op]!["inputs"];
            Assert.Equal(words, input.DataTypes);
        }
        Assert.Equal(words, limits["cast"]!["input"].DataTypes);
        Assert.Equal(words, limits["cast"]!["output"].DataTypes);
        foreach (var op in new[] { "gemm", "convTranspose2d" })
        {
            Assert.All(limits[op]!.Values, argument => Assert.Equal([MLOperandDataType.Float32, MLOperandDataType.Float16], argument.DataTypes));
        }
        Assert.Contains(MLOperandDataType.Int64, limits.Input.DataTypes);
    }
}
