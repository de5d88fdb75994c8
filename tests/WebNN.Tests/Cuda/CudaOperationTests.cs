using System.Runtime.InteropServices;
using WebNN.Cuda;
using WebNN.Cuda.Kernels;
using static WebNN.Tests.Cpu.CpuGraphRunner;
using static WebNN.Tests.Cuda.CudaContextFixture;

namespace WebNN.Tests.Cuda;

/// <summary>Every operation the cuda backend runs gives the CPU backend's results (run on an NVIDIA GPU; skipped elsewhere).</summary>
[Collection(CudaContextCollection.Name)]
public sealed class CudaOperationTests(CudaContextFixture fixture)
{
    private static MLOperand Constant(MLGraphBuilder g, int seed, params int[] shape) => Constant(g, MLOperandDataType.Float32, seed, shape);

    /// <summary>A constant of random values in [-1, 1), rounded to float16 for a float16 one.</summary>
    private static MLOperand Constant(MLGraphBuilder g, MLOperandDataType dataType, int seed, params int[] shape)
    {
        var values = RandomFloats(seed, (int)Shapes.ElementCount(shape));
        var descriptor = new MLOperandDescriptor(dataType, shape);
        return dataType == MLOperandDataType.Float16 ? g.Constant(descriptor, values.Select(v => (Half)v).ToArray()) : g.Constant(descriptor, values);
    }

    /// <summary>The float types every float operator runs on.</summary>
    private static readonly MLOperandDataType[] FloatDataTypes = [MLOperandDataType.Float32, MLOperandDataType.Float16];

    public static TheoryData<MLOperandDataType> FloatTypes() => [.. FloatDataTypes];

    private static (int[], float[]) Random(int seed, params int[] shape) => (shape, RandomFloats(seed, (int)Shapes.ElementCount(shape)));

    /// <summary>
    /// webnn issue #6: NHWC input and HWIO filter filled with 0.01, bias 0.1, "same" padding, then relu: 0.19 inside, 0.16 on
    /// edges, 0.14 at corners. Returns (expected, actual) at interior, edge and corner points.
    /// </summary>
    private static async Task<(float Expected, float Actual)[]> ReferenceExperimentAsync(MLContext context)
    {
        var input = Enumerable.Repeat(0.01f, 100 * 100 * 100).ToArray();
        var outputs = await RunOutputsAsync(context, (g, x) =>
        {
            var filter = g.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, [3, 3, 100, 100]), Enumerable.Repeat(0.01f, 3 * 3 * 100 * 100).ToArray());
            var bias = g.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, [100]), Enumerable.Repeat(0.1f, 100).ToArray());
            var conv = g.Conv2d(x[0], filter, new MLConv2dOptions
            {
                Padding = [1, 1, 1, 1], InputLayout = MLInputOperandLayout.Nhwc, FilterLayout = MLConv2dFilterOperandLayout.Hwio,
            });
            return [g.Relu(g.Add(conv, bias))];
        }, Input.Floats([1, 100, 100, 100], input));
        var y = (float[])outputs[0];
        float At(int h, int w, int c) => y[((h * 100) + w) * 100 + c];
        return [(0.19f, At(50, 50, 7)), (0.16f, At(0, 50, 99)), (0.16f, At(50, 99, 0)), (0.14f, At(0, 0, 3)), (0.14f, At(99, 99, 42))];
    }

    [Fact]
    public async Task The_reference_experiment_gives_its_exact_values()
    {
        foreach (var (expected, actual) in await ReferenceExperimentAsync(fixture.Cuda))
        {
            Assert.Equal(expected, actual, 5);
        }
    }

    [Fact]
    public async Task The_reference_experiment_with_tf32_gives_its_values_to_tf32_precision()
    {
        // TF32 keeps 10 bits of each product's operands: 0.01 is off by up to 2^-11 relative, which moves the results by less than 1e-3 relative.
        foreach (var (expected, actual) in await ReferenceExperimentAsync(fixture.CudaTf32))
        {
            Assert.True(Math.Abs(actual - expected) <= 1e-3 * expected, $"expected {expected}, got {actual}");
        }
    }

    [Fact]
    public void The_reference_experiment_builds_a_cudnn_graph_plan()
    {
        // The TF32 path falls back to the legacy one where no plan builds: this shape must not.
        var context = (CudaContext)fixture.Cuda.Backend;
        context.MakeCurrent();
        using var step = CudnnGraphConvolution.TryCreate(context, [1, 100, 100, 100], [100, 3, 3, 100], [1, 100, 100, 100], [1, 1, 1, 1], [1, 1], [1, 1], bias: true, relu: true);
        Assert.NotNull(step);
        Assert.True(step.Milliseconds > 0 && step.Milliseconds < 10, $"the plan took {step.Milliseconds} ms");
    }

    public static TheoryData<bool, bool> BiasAndRelu() => new() { { false, false }, { true, false }, { false, true }, { true, true } };

    [Theory]
    [MemberData(nameof(BiasAndRelu))]
    public async Task Conv2d_with_tf32_runs_nhwc_with_strides_dilations_and_uneven_padding(bool bias, bool relu)
    {
        MLOperand Build(MLGraphBuilder g, MLOperand[] x)
        {
            var conv = g.Conv2d(x[0], Constant(g, 2, 12, 3, 2, 8), new MLConv2dOptions
            {
                InputLayout = MLInputOperandLayout.Nhwc, FilterLayout = MLConv2dFilterOperandLayout.Ohwi, Strides = [2, 1], Dilations = [1, 2], Padding = [2, 0, 1, 3],
                Bias = bias ? Constant(g, 3, 12) : null,
            });
            return relu ? g.Relu(conv) : conv;
        }
        var input = Random(1, 2, 9, 10, 8);
        var onCuda = await RunOutputsAsync(fixture.CudaTf32, (g, x) => [Build(g, x)], Input.Floats(input.Item1, input.Item2));
        var onCpu = await RunOutputsAsync(fixture.Cpu, (g, x) => [Build(g, x)], Input.Floats(input.Item1, input.Item2));
        // 48 products of values in [-1, 1) whose operands TF32 rounds to 10 bits: errors of a few 1e-3 at most.
        AssertClose([.. ((float[])onCpu[0]).Select(v => (double)v)], (float[])onCuda[0], 1e-2);
    }

    public static TheoryData<MLInputOperandLayout, MLConv2dFilterOperandLayout, MLOperandDataType> Layouts()
    {
        var data = new TheoryData<MLInputOperandLayout, MLConv2dFilterOperandLayout, MLOperandDataType>();
        foreach (var input in Enum.GetValues<MLInputOperandLayout>())
        {
            foreach (var filter in Enum.GetValues<MLConv2dFilterOperandLayout>())
            {
                data.Add(input, filter, MLOperandDataType.Float32);
                data.Add(input, filter, MLOperandDataType.Float16);
            }
        }
        return data;
    }

    /// <summary>The filter's shape in <paramref name="layout"/> for the given output and input channels (per group) and window.</summary>
    private static int[] FilterShape(MLConv2dFilterOperandLayout layout, int o, int i, int h, int w) => layout switch
    {
        MLConv2dFilterOperandLayout.Oihw => [o, i, h, w],
        MLConv2dFilterOperandLayout.Hwio => [h, w, i, o],
        MLConv2dFilterOperandLayout.Ohwi => [o, h, w, i],
        _ => [i, h, w, o],
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Conv2d_runs_every_layout_with_groups_strides_dilations_and_uneven_padding(MLInputOperandLayout inputLayout, MLConv2dFilterOperandLayout filterLayout, MLOperandDataType dataType)
    {
        int[] inputShape = inputLayout == MLInputOperandLayout.Nchw ? [2, 6, 9, 8] : [2, 9, 8, 6];
        await fixture.AssertSameAsync((g, x) => g.Conv2d(x[0], Constant(g, dataType, 2, FilterShape(filterLayout, 4, 3, 3, 2)), new MLConv2dOptions
        {
            InputLayout = inputLayout, FilterLayout = filterLayout, Groups = 2, Strides = [2, 1], Dilations = [1, 2], Padding = [2, 0, 1, 3],
            Bias = Constant(g, dataType, 3, 4),
        }), 1e-4, dataType, Random(1, inputShape));
    }

    public static TheoryData<MLInputOperandLayout, MLConvTranspose2dFilterOperandLayout, MLOperandDataType> TransposedLayouts()
    {
        var data = new TheoryData<MLInputOperandLayout, MLConvTranspose2dFilterOperandLayout, MLOperandDataType>();
        foreach (var input in Enum.GetValues<MLInputOperandLayout>())
        {
            foreach (var filter in Enum.GetValues<MLConvTranspose2dFilterOperandLayout>())
            {
                data.Add(input, filter, MLOperandDataType.Float32);
                data.Add(input, filter, MLOperandDataType.Float16);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(TransposedLayouts))]
    public async Task ConvTranspose2d_runs_every_layout_with_groups_strides_dilations_uneven_padding_and_output_padding(
        MLInputOperandLayout inputLayout, MLConvTranspose2dFilterOperandLayout filterLayout, MLOperandDataType dataType)
    {
        int[] inputShape = inputLayout == MLInputOperandLayout.Nchw ? [2, 6, 5, 4] : [2, 5, 4, 6];
        // 6 input channels in 2 groups, each giving 2 output channels, through a 3 × 2 window.
        int[] filterShape = filterLayout switch
        {
            MLConvTranspose2dFilterOperandLayout.Iohw => [6, 2, 3, 2],
            MLConvTranspose2dFilterOperandLayout.Hwoi => [3, 2, 2, 6],
            _ => [2, 3, 2, 6],
        };
        await fixture.AssertSameAsync((g, x) => g.ConvTranspose2d(x[0], Constant(g, dataType, 2, filterShape), new MLConvTranspose2dOptions
        {
            InputLayout = inputLayout, FilterLayout = filterLayout, Groups = 2, Strides = [2, 3], Dilations = [1, 2], Padding = [2, 0, 1, 3],
            OutputPadding = [1, 2], Bias = Constant(g, dataType, 3, 4),
        }), 1e-4, dataType, Random(1, inputShape));
        await fixture.AssertSameAsync((g, x) => g.ConvTranspose2d(x[0], Constant(g, dataType, 4, filterShape), new MLConvTranspose2dOptions
        {
            InputLayout = inputLayout, FilterLayout = filterLayout, Groups = 2, Strides = [2, 2], Padding = [1, 1, 0, 0], OutputSizes = [10, 8],
        }), 1e-4, dataType, Random(5, inputShape));
    }

    [Theory]
    [InlineData(MLConv2dFilterOperandLayout.Oihw)]
    [InlineData(MLConv2dFilterOperandLayout.Hwio)]
    public async Task Conv2d_reads_a_filter_given_as_an_input(MLConv2dFilterOperandLayout filterLayout)
    {
        await fixture.AssertSameAsync((g, x) => g.Conv2d(x[0], x[1], new MLConv2dOptions { FilterLayout = filterLayout, Padding = [1, 1, 1, 1] }),
            1e-4, Random(1, 1, 5, 7, 7), Random(2, FilterShape(filterLayout, 3, 5, 3, 3)));
    }

    public static TheoryData<string, MLOperandDataType> FusedActivations()
    {
        var data = new TheoryData<string, MLOperandDataType>();
        foreach (string activation in new[] { "relu", "sigmoid", "clamp", "leakyRelu", "none" })
        {
            data.Add(activation, MLOperandDataType.Float32);
            data.Add(activation, MLOperandDataType.Float16);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(FusedActivations))]
    public async Task Conv2d_fuses_a_bias_and_activation(string activation, MLOperandDataType dataType)
    {
        foreach (bool bias in new[] { true, false })
        {
            await fixture.AssertSameAsync((g, x) =>
            {
                var conv = g.Conv2d(x[0], Constant(g, dataType, 2, 3, 3, 4, 8), new MLConv2dOptions
                {
                    InputLayout = MLInputOperandLayout.Nhwc, FilterLayout = MLConv2dFilterOperandLayout.Hwio, Padding = [1, 1, 1, 1],
                });
                var value = bias ? g.Add(conv, Constant(g, dataType, 3, 8)) : conv;
                return activation switch
                {
                    "relu" => g.Relu(value),
                    "sigmoid" => g.Sigmoid(value),
                    "clamp" => g.Clamp(value, new MLClampOptions { MinValue = -0.5, MaxValue = 0.5 }),
                    "leakyRelu" => g.LeakyRelu(value, new MLLeakyReluOptions { Alpha = 0.1 }),
                    _ => value,
                };
            }, 1e-4, dataType, Random(1, 1, 6, 5, 4));
        }
    }

    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 4, 5 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 4, 5 })]
    [InlineData(new[] { 3, 4 }, new[] { 2, 4, 5 })]
    [InlineData(new[] { 2, 1, 3, 4 }, new[] { 1, 3, 4, 5 })]
    [InlineData(new[] { 2, 3, 3, 4 }, new[] { 2, 1, 4, 5 })]
    [InlineData(new[] { 1, 1, 7, 33 }, new[] { 33, 17 })]
    public async Task Matmul_broadcasts_batches(int[] a, int[] b)
    {
        foreach (var dataType in FloatDataTypes)
        {
            await fixture.AssertSameAsync((g, x) => g.Matmul(x[0], x[1]), 1e-4, dataType, Random(1, a), Random(2, b));
        }
    }

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, true)]
    [InlineData(false, true, false)]
    [InlineData(true, true, true)]
    public async Task Gemm_transposes_scales_and_adds_c(bool aTranspose, bool bTranspose, bool withC)
    {
        int[] a = aTranspose ? [6, 3] : [3, 6];
        int[] b = bTranspose ? [5, 6] : [6, 5];
        foreach (var dataType in FloatDataTypes)
        {
            await fixture.AssertSameAsync((g, x) => g.Gemm(x[0], x[1], new MLGemmOptions
            {
                ATranspose = aTranspose, BTranspose = bTranspose, Alpha = 0.5, Beta = 2, C = withC ? Constant(g, dataType, 3, 5) : null,
            }), 1e-4, dataType, Random(1, a), Random(2, b));
        }
    }

    public static TheoryData<string> UnaryOperators() =>
    [
        "abs", "ceil", "cos", "erf", "exp", "floor", "identity", "log", "neg", "reciprocal", "roundEven", "sign", "sin", "sqrt", "tan",
        "relu", "sigmoid", "tanh", "softsign", "softplus", "hardSwish", "gelu", "elu", "hardSigmoid", "leakyRelu", "linear", "clamp",
    ];

    [Theory]
    [MemberData(nameof(UnaryOperators))]
    public async Task Unary_operators_agree_with_the_cpu(string name)
    {
        bool positive = name is "log" or "sqrt";
        var values = RandomFloats(5, 1000, positive ? 0.01f : -3, 3);
        foreach (var dataType in FloatDataTypes)
        {
            await fixture.AssertSameAsync((g, x) => name switch
        {
            "abs" => g.Abs(x[0]), "ceil" => g.Ceil(x[0]), "cos" => g.Cos(x[0]), "erf" => g.Erf(x[0]), "exp" => g.Exp(x[0]),
            "floor" => g.Floor(x[0]), "identity" => g.Identity(x[0]), "log" => g.Log(x[0]), "neg" => g.Neg(x[0]),
            "reciprocal" => g.Reciprocal(x[0]), "roundEven" => g.RoundEven(x[0]), "sign" => g.Sign(x[0]), "sin" => g.Sin(x[0]),
            "sqrt" => g.Sqrt(x[0]), "tan" => g.Tan(x[0]), "relu" => g.Relu(x[0]), "sigmoid" => g.Sigmoid(x[0]), "tanh" => g.Tanh(x[0]),
            "softsign" => g.Softsign(x[0]), "softplus" => g.Softplus(x[0]), "hardSwish" => g.HardSwish(x[0]), "gelu" => g.Gelu(x[0]),
            "elu" => g.Elu(x[0], new MLEluOptions { Alpha = 0.7 }),
            "hardSigmoid" => g.HardSigmoid(x[0], new MLHardSigmoidOptions { Alpha = 0.3, Beta = 0.4 }),
            "leakyRelu" => g.LeakyRelu(x[0], new MLLeakyReluOptions { Alpha = 0.2 }),
            "linear" => g.Linear(x[0], new MLLinearOptions { Alpha = 1.5, Beta = -0.25 }),
            _ => g.Clamp(x[0], new MLClampOptions { MinValue = -1, MaxValue = 2 }),
        }, 1e-5, dataType, ([10, 100], values));
        }
    }

    public static TheoryData<string, int[], int[]> BinaryCases()
    {
        var data = new TheoryData<string, int[], int[]>();
        foreach (string name in new[] { "add", "sub", "mul", "div", "max", "min", "pow", "prelu" })
        {
            data.Add(name, [2, 3, 4], [2, 3, 4]);
            data.Add(name, [2, 3, 4], [4]);
            if (name != "prelu")
            {
                // prelu's slope broadcasts to the input's shape only.
                data.Add(name, [2, 1, 4], [3, 1]);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public async Task Binary_operators_broadcast(string name, int[] a, int[] b)
    {
        var left = RandomFloats(1, (int)Shapes.ElementCount(a), name == "pow" ? 0.1f : -2, 2);
        var right = RandomFloats(2, (int)Shapes.ElementCount(b), name == "div" ? 0.5f : -2, 2);
        foreach (var dataType in FloatDataTypes)
        {
            await fixture.AssertSameAsync((g, x) => name switch
        {
            "add" => g.Add(x[0], x[1]), "sub" => g.Sub(x[0], x[1]), "mul" => g.Mul(x[0], x[1]), "div" => g.Div(x[0], x[1]),
            "max" => g.Max(x[0], x[1]), "min" => g.Min(x[0], x[1]), "pow" => g.Pow(x[0], x[1]),
            _ => g.Prelu(x[0], x[1]),
        }, 1e-5, dataType, (a, left), (b, right));
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes), MemberType = typeof(CudaContextFixture))]
    public async Task Data_movement_where_and_comparisons_run_on_every_type(MLOperandDataType dataType)
    {
        var input = new Input(dataType, [2, 3, 4, 5], Values(dataType, 1, 120));
        Func<MLGraphBuilder, MLOperand[], MLOperand>[] movements =
        [
            (g, x) => g.Transpose(x[0], new MLTransposeOptions { Permutation = [2, 0, 3, 1] }),
            (g, x) => g.Reshape(x[0], [6, 20]),
            (g, x) => g.Expand(g.Reshape(x[0], [2, 3, 1, 20]), [2, 3, 4, 20]),
            (g, x) => g.Slice(x[0], [1, 0, 1, 2], [1, 2, 3, 2], new MLSliceOptions { Strides = [1, 2, 1, 2] }),
            (g, x) => g.Reverse(x[0], new MLReverseOptions { Axes = [1, 3] }),
            (g, x) => g.Concat([x[0], g.Reverse(x[0]), x[0]], 2),
            (g, x) => g.Split(x[0], [1, 3, 1], new MLSplitOptions { Axis = 3 })[1],
        ];
        foreach (var movement in movements)
        {
            await fixture.AssertEqualAsync(movement, input);
        }
        var other = new Input(dataType, [4, 5], Values(dataType, 2, 20));
        Func<MLGraphBuilder, MLOperand[], MLOperand>[] comparisons =
        [
            (g, x) => g.Equal(x[0], x[1]), (g, x) => g.NotEqual(x[0], x[1]), (g, x) => g.Greater(x[0], x[1]),
            (g, x) => g.GreaterOrEqual(x[0], x[1]), (g, x) => g.Lesser(x[0], x[1]), (g, x) => g.LesserOrEqual(x[0], x[1]),
            (g, x) => g.Where(g.Greater(x[0], x[1]), x[0], x[1]),
        ];
        foreach (var comparison in comparisons)
        {
            await fixture.AssertEqualAsync(comparison, input, other);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Softmax_runs_along_any_axis(int axis)
    {
        foreach (var dataType in FloatDataTypes)
        {
            await fixture.AssertSameAsync((g, x) => g.Softmax(x[0], axis), 1e-5, dataType, Random(1, 3, 4, 5));
        }
    }

    [Fact]
    public async Task A_chain_reuses_intermediate_memory_without_clobbering_live_values()
    {
        // x is read again at the end, after several intermediates have come and gone.
        await fixture.AssertSameAsync((g, x) =>
        {
            var a = g.Relu(x[0]);
            var b = g.Matmul(a, Constant(g, 2, 8, 8));
            var c = g.Tanh(g.Add(b, x[0]));
            var d = g.Softmax(g.Mul(c, a), 1);
            return g.Sub(d, x[0]);
        }, 1e-4, Random(1, 8, 8));
    }

    public static TheoryData<string> Reductions() =>
        ["reduceSum", "reduceMean", "reduceMax", "reduceMin", "reduceProduct", "reduceL1", "reduceL2", "reduceLogSum", "reduceLogSumExp", "reduceSumSquare"];

    [Theory]
    [MemberData(nameof(Reductions))]
    public async Task Reductions_agree_with_the_cpu_on_any_axes(string name)
    {
        // Positive values keep reduceLogSum defined and reduceProduct away from underflow.
        var values = RandomFloats(3, 2 * 3 * 4 * 5, 0.5f, 1.5f);
        foreach (var (axes, keep, dataType) in new (int[]?, bool, MLOperandDataType)[]
        {
            (null, false, MLOperandDataType.Float32), ([1], true, MLOperandDataType.Float32), ([3, 0], false, MLOperandDataType.Float32),
            ([], false, MLOperandDataType.Float32), ([0, 2, 3], true, MLOperandDataType.Float32), ([0, 2, 3], true, MLOperandDataType.Float16), (null, false, MLOperandDataType.Float16),
        })
        {
            var options = new MLReduceOptions { Axes = axes, KeepDimensions = keep };
            await fixture.AssertSameAsync((g, x) => name switch
            {
                "reduceSum" => g.ReduceSum(x[0], options), "reduceMean" => g.ReduceMean(x[0], options), "reduceMax" => g.ReduceMax(x[0], options),
                "reduceMin" => g.ReduceMin(x[0], options), "reduceProduct" => g.ReduceProduct(x[0], options), "reduceL1" => g.ReduceL1(x[0], options),
                "reduceL2" => g.ReduceL2(x[0], options), "reduceLogSum" => g.ReduceLogSum(x[0], options),
                "reduceLogSumExp" => g.ReduceLogSumExp(x[0], options), _ => g.ReduceSumSquare(x[0], options),
            }, 1e-5, dataType, ([2, 3, 4, 5], values));
        }
    }

    [Theory]
    [InlineData(MLInputOperandLayout.Nchw, MLOperandDataType.Float32)]
    [InlineData(MLInputOperandLayout.Nhwc, MLOperandDataType.Float32)]
    [InlineData(MLInputOperandLayout.Nchw, MLOperandDataType.Float16)]
    [InlineData(MLInputOperandLayout.Nhwc, MLOperandDataType.Float16)]
    public async Task Poolings_agree_with_the_cpu_with_padding_strides_dilations_and_rounding(MLInputOperandLayout layout, MLOperandDataType dataType)
    {
        int[] shape = layout == MLInputOperandLayout.Nchw ? [2, 3, 9, 8] : [2, 9, 8, 3];
        var options = new MLPool2dOptions
        {
            Layout = layout, WindowDimensions = [3, 2], Padding = [1, 2, 0, 1], Strides = [2, 2], Dilations = [2, 1], OutputShapeRounding = MLRoundingType.Ceil,
        };
        await fixture.AssertSameAsync((g, x) => g.AveragePool2d(x[0], options), 1e-5, dataType, Random(1, shape));
        await fixture.AssertSameAsync((g, x) => g.MaxPool2d(x[0], options), 0, dataType, Random(2, shape));
        await fixture.AssertSameAsync((g, x) => g.L2Pool2d(x[0], options), 1e-5, dataType, Random(3, shape));
        await fixture.AssertSameAsync((g, x) => g.AveragePool2d(x[0], new MLPool2dOptions { Layout = layout }), 1e-5, dataType, Random(4, shape));
    }

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public async Task Normalizations_agree_with_the_cpu(MLOperandDataType dataType)
    {
        await fixture.AssertSameAsync((g, x) => g.BatchNormalization(x[0], Constant(g, dataType, 2, 4), g.Abs(Constant(g, dataType, 3, 4)), new MLBatchNormalizationOptions
        {
            Axis = 1, Scale = Constant(g, dataType, 4, 4), Bias = Constant(g, dataType, 5, 4), Epsilon = 1e-3,
        }), 1e-4, dataType, Random(1, 2, 4, 3, 5));
        await fixture.AssertSameAsync((g, x) => g.BatchNormalization(x[0], Constant(g, dataType, 2, 5), g.Abs(Constant(g, dataType, 3, 5)), new MLBatchNormalizationOptions { Axis = 3 }),
            1e-4, dataType, Random(1, 2, 4, 3, 5));
        await fixture.AssertSameAsync((g, x) => g.LayerNormalization(x[0], new MLLayerNormalizationOptions
        {
            Axes = [3, 1], Scale = Constant(g, dataType, 2, 5, 4), Bias = Constant(g, dataType, 3, 5, 4),
        }), 1e-4, dataType, Random(1, 2, 4, 3, 5));
        await fixture.AssertSameAsync((g, x) => g.LayerNormalization(x[0]), 1e-4, dataType, Random(1, 2, 4, 3, 5));
        foreach (var layout in Enum.GetValues<MLInputOperandLayout>())
        {
            int channels = layout == MLInputOperandLayout.Nchw ? 4 : 5;
            await fixture.AssertSameAsync((g, x) => g.InstanceNormalization(x[0], new MLInstanceNormalizationOptions
            {
                Layout = layout, Scale = Constant(g, dataType, 2, channels), Bias = Constant(g, dataType, 3, channels),
            }), 1e-4, dataType, Random(1, 2, 4, 3, 5));
        }
    }

    [Fact]
    public async Task A_graph_dispatched_on_other_tensors_computes_on_those()
    {
        // Graphs of several steps replay a CUDA graph captured per set of bound tensors.
        var cuda = fixture.Cuda;
        var builder = new MLGraphBuilder(cuda);
        var x = builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Float32, 4));
        using var graph = await builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = builder.Relu(builder.Add(builder.Neg(x), builder.Constant(MLOperandDataType.Float32, 1))) });
        var descriptor = new MLTensorDescriptor(MLOperandDataType.Float32, [4], readable: true, writable: true);
        var tensors = new List<MLTensor>();
        for (int i = 0; i < 4; i++)
        {
            tensors.Add(await cuda.CreateTensorAsync(descriptor));
        }
        cuda.WriteTensor<float>(tensors[0], new float[] { 1, 2, -3, 0.5f });
        cuda.WriteTensor<float>(tensors[1], new float[] { -1, -2, 3, 4 });
        foreach (var (input, output) in new[] { (0, 2), (1, 3), (0, 3), (1, 2) })
        {
            cuda.Dispatch(graph, new Dictionary<string, MLTensor> { ["x"] = tensors[input] }, new Dictionary<string, MLTensor> { ["y"] = tensors[output] });
            float[] expected = input == 0 ? [0, 0, 4, 0.5f] : [2, 3, 0, 0];
            float[] actual = await cuda.ReadTensorAsync<float>(tensors[output]);
            Assert.Equal(expected, actual);
        }
        // A write between dispatches is seen by the next one.
        cuda.WriteTensor<float>(tensors[0], new float[] { -5, 0, 0, 0 });
        cuda.Dispatch(graph, new Dictionary<string, MLTensor> { ["x"] = tensors[0] }, new Dictionary<string, MLTensor> { ["y"] = tensors[2] });
        Assert.Equal(new float[] { 6, 1, 1, 1 }, await cuda.ReadTensorAsync<float>(tensors[2]));
        tensors.ForEach(t => t.Dispose());
    }

    [Fact]
    public async Task Comparisons_logical_operators_and_where_agree_with_the_cpu()
    {
        // Values on a coarse grid, so that equal elements occur; NaN and infinities for isNaN and isInfinite.
        float[] a = [.. RandomFloats(1, 24, -2, 2).Select(v => MathF.Round(v))];
        a[3] = float.NaN;
        a[5] = float.PositiveInfinity;
        a[7] = float.NegativeInfinity;
        float[] b = [.. RandomFloats(2, 4, -2, 2).Select(v => MathF.Round(v))];
        var floats = new[] { Input.Floats([2, 3, 4], a), Input.Floats([4], b) };
        Func<MLGraphBuilder, MLOperand[], MLOperand>[] comparisons =
        [
            (g, x) => g.Equal(x[0], x[1]), (g, x) => g.NotEqual(x[0], x[1]), (g, x) => g.Greater(x[0], x[1]),
            (g, x) => g.GreaterOrEqual(x[0], x[1]), (g, x) => g.Lesser(x[0], x[1]), (g, x) => g.LesserOrEqual(x[0], x[1]),
        ];
        foreach (var comparison in comparisons)
        {
            await fixture.AssertEqualAsync(comparison, floats);
        }
        await fixture.AssertEqualAsync((g, x) => g.IsNaN(x[0]), floats[0]);
        await fixture.AssertEqualAsync((g, x) => g.IsInfinite(x[0]), floats[0]);
        byte[] p = [0, 1, 2, 0, 1, 255];
        byte[] q = [1, 1, 0, 0, 3, 0];
        var bytes = new[] { new Input(MLOperandDataType.Uint8, [2, 3], p), new Input(MLOperandDataType.Uint8, [2, 3], q) };
        Func<MLGraphBuilder, MLOperand[], MLOperand>[] logical =
        [
            (g, x) => g.LogicalNot(g.Greater(x[0], x[1])), (g, x) => g.LogicalAnd(x[0], x[1]), (g, x) => g.LogicalOr(x[0], x[1]), (g, x) => g.LogicalXor(x[0], x[1]),
            (g, x) => g.Greater(x[0], x[1]), (g, x) => g.Concat([g.Transpose(x[0]), g.Transpose(x[1])], 0), (g, x) => g.Where(x[0], x[1], g.Reverse(x[1])),
        ];
        foreach (var operation in logical)
        {
            await fixture.AssertEqualAsync(operation, bytes);
        }
        await fixture.AssertEqualAsync((g, x) => g.Where(g.Greater(x[0], x[1]), x[0], g.Neg(x[0])), floats);
    }

    [Fact]
    public async Task A_type_the_backend_lacks_is_refused_at_build_by_name()
    {
        // The recurrent networks run on float32 only.
        var builder = new MLGraphBuilder(fixture.Cuda);
        MLOperand Input(string name, params int[] shape) => builder.Input(name, new MLOperandDescriptor(MLOperandDataType.Float16, shape));
        var cell = builder.GruCell(Input("x", 1, 2), Input("w", 6, 2), Input("r", 6, 2), Input("h", 1, 2), 2);
        var refused = await Assert.ThrowsAsync<NotSupportedException>(() => builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = cell }));
        Assert.Contains("the cuda backend does not support", refused.Message);
        Assert.Contains("float16", refused.Message);
    }

    [Fact]
    public async Task A_tensor_in_registered_host_memory_is_read_and_written_by_the_device()
    {
        var cuda = (CudaContext)fixture.Cuda.Backend;
        nint host = Marshal.AllocHGlobal(16);
        try
        {
            Marshal.Copy(new float[] { 1, 0, 0, 4 }, 0, host, 4);
            using var tensor = cuda.RegisterHostTensor(host, 16);
            var bytes = new byte[16];
            await cuda.ReadAsync(tensor, bytes);
            Assert.Equal(new float[] { 1, 0, 0, 4 }, MemoryMarshal.Cast<byte, float>(bytes).ToArray());
            cuda.Write(tensor, MemoryMarshal.AsBytes(new float[] { 5, 6, 7, 8 }.AsSpan()));
            cuda.Synchronize();
            var written = new float[4];
            Marshal.Copy(host, written, 0, 4);
            Assert.Equal(new float[] { 5, 6, 7, 8 }, written);
        }
        finally
        {
            Marshal.FreeHGlobal(host);
        }
    }
}
