namespace WebNN.Tests.Api;

/// <summary>The context's own rules (spec: createTensor, readTensor, writeTensor, dispatch, destroy) on the CPU backend.</summary>
public sealed class MLContextTests
{
    private static readonly MLTensorDescriptor ReadWrite = new(MLOperandDataType.Float32, [2, 3], readable: true, writable: true);

    private static async Task<(MLContext Context, MLGraph Graph)> AddGraphAsync()
    {
        var context = await ML.CreateContextAsync(new MLContextOptions { Accelerated = false });
        var builder = new MLGraphBuilder(context);
        var a = builder.Input("a", new MLOperandDescriptor(MLOperandDataType.Float32, 2, 3));
        var b = builder.Input("b", new MLOperandDescriptor(MLOperandDataType.Float32, 3));
        var graph = await builder.BuildAsync(new Dictionary<string, MLOperand> { ["c"] = builder.Add(a, b) });
        return (context, graph);
    }

    [Fact]
    public async Task The_default_context_is_a_hardware_accelerator_where_one_is_available_and_the_cpu_otherwise()
    {
        using var context = await ML.CreateContextAsync();
        var accelerator = ML.EnumerateBackends()
            .Where(b => b.Available && b.Kind != MLDeviceKind.Cpu)
            .OrderBy(b => b.Kind == MLDeviceKind.DiscreteGpu ? 0 : 1)
            .FirstOrDefault();
        Assert.Equal(accelerator?.Name ?? "cpu", context.BackendName);
        Assert.Equal(accelerator is not null, context.Accelerated);
        if (accelerator is null)
        {
            Assert.Contains("CPU", context.DeviceDescription);
        }
    }

    [Fact]
    public async Task Tensors_start_zeroed_and_round_trip_bytes_and_typed_values()
    {
        using var context = await ML.CreateContextAsync();
        using var tensor = await context.CreateTensorAsync(ReadWrite);
        Assert.Equal(new float[6], await context.ReadTensorAsync<float>(tensor));
        context.WriteTensor<float>(tensor, new float[] { 1, 2, 3, 4, 5, 6 });
        Assert.Equal(new[] { 1f, 2, 3, 4, 5, 6 }, await context.ReadTensorAsync<float>(tensor));
        var bytes = await context.ReadTensorAsync(tensor);
        Assert.Equal(24, bytes.Length);
        Assert.Equal(2f, BitConverter.ToSingle(bytes, 4));
        var into = new byte[24];
        await context.ReadTensorAsync(tensor, into);
        Assert.Equal(bytes, into);
    }

    [Fact]
    public async Task Reading_or_writing_against_the_descriptor_throws()
    {
        using var context = await ML.CreateContextAsync();
        using var writeOnly = await context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [2], writable: true));
        using var readOnly = await context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [2], readable: true));
        await Assert.ThrowsAsync<ArgumentException>(() => context.ReadTensorAsync(writeOnly));
        Assert.Throws<ArgumentException>(() => context.WriteTensor<float>(readOnly, new float[] { 1, 2 }));
        Assert.Throws<ArgumentException>(() => context.WriteTensor<float>(writeOnly, new float[] { 1, 2, 3 }));
        Assert.Throws<ArgumentException>(() => context.WriteTensor<int>(writeOnly, new int[] { 1, 2 }));
        await Assert.ThrowsAsync<ArgumentException>(() => context.ReadTensorAsync(readOnly, new byte[7]));
    }

    [Fact]
    public async Task Invalid_descriptors_are_rejected()
    {
        using var context = await ML.CreateContextAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [2, 0])));
        await Assert.ThrowsAsync<ArgumentException>(() => context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [-1])));
        await Assert.ThrowsAsync<ArgumentException>(() => context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [int.MaxValue, 4])));
    }

    [Fact]
    public async Task Dispatch_runs_the_graph_and_compute_returns_arrays()
    {
        var (context, graph) = await AddGraphAsync();
        using (context)
        {
            var results = await context.ComputeAsync(graph, new Dictionary<string, Array>
            {
                ["a"] = new float[] { 1, 2, 3, 4, 5, 6 },
                ["b"] = new float[] { 10, 20, 30 },
            });
            Assert.Equal(new[] { 11f, 22, 33, 14, 25, 36 }, (float[])results["c"]);
        }
    }

    /// <summary>The bytes this thread allocates over 100 dispatches of <paramref name="graph"/> after 20 to warm it up.</summary>
    private static long BytesAllocatedByWarmDispatches(MLContext context, MLGraph graph, Dictionary<string, MLTensor> inputs, Dictionary<string, MLTensor> outputs)
    {
        for (int i = 0; i < 20; i++) context.Dispatch(graph, inputs, outputs);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) context.Dispatch(graph, inputs, outputs);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public async Task A_warm_dispatch_on_the_cpu_allocates_nothing()
    {
        using var context = await ML.CreateContextAsync(new MLContextOptions { Accelerated = false });
        var builder = new MLGraphBuilder(context);
        var x = builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Float32, 1, 9, 7, 5));
        float[] xValues = Enumerable.Range(0, 315).Select(i => (i % 11 - 5) * 0.2f).ToArray();
        float[] filterValues = Enumerable.Range(0, 270).Select(i => (i % 7 - 3) * 0.1f).ToArray();
        float[] biasValues = [1, -1, 2, -2, 0.5f, 0];
        var filter = builder.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, 3, 3, 5, 6), filterValues);
        var bias = builder.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, 6), biasValues);
        var conv = builder.Conv2d(x, filter, new MLConv2dOptions
        {
            Padding = [1, 1, 1, 1], InputLayout = MLInputOperandLayout.Nhwc, FilterLayout = MLConv2dFilterOperandLayout.Hwio,
        });
        var graph = await builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = builder.Relu(builder.Add(conv, bias)) });
        using var input = await context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [1, 9, 7, 5], writable: true));
        using var output = await context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [1, 9, 7, 6], readable: true));
        context.WriteTensor<float>(input, xValues);
        var inputs = new Dictionary<string, MLTensor> { ["x"] = input };
        var outputs = new Dictionary<string, MLTensor> { ["y"] = output };
        Assert.Equal(0, BytesAllocatedByWarmDispatches(context, graph, inputs, outputs));
        // And it computed: relu(bias + the 3×3 same-padded convolution), worked here in double precision.
        var y = await context.ReadTensorAsync<float>(output);
        for (int oy = 0; oy < 9; oy++)
            for (int ox = 0; ox < 7; ox++)
                for (int o = 0; o < 6; o++)
                {
                    double sum = biasValues[o];
                    for (int ky = 0; ky < 3; ky++)
                        for (int kx = 0; kx < 3; kx++)
                        {
                            int iy = oy + ky - 1, ix = ox + kx - 1;
                            if (iy < 0 || iy >= 9 || ix < 0 || ix >= 7) continue;
                            for (int i = 0; i < 5; i++) sum += (double)xValues[(iy * 7 + ix) * 5 + i] * filterValues[((ky * 3 + kx) * 5 + i) * 6 + o];
                        }
                    Assert.Equal(Math.Max(sum, 0), y[(oy * 7 + ox) * 6 + o], 1e-4);
                }
    }

    [Fact]
    public async Task A_warm_dispatch_of_broadcasting_operations_on_the_cpu_allocates_nothing_and_computes()
    {
        using var context = await ML.CreateContextAsync(new MLContextOptions { Accelerated = false });
        var builder = new MLGraphBuilder(context);
        var x = builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Float32, 2, 3, 4));
        var column = builder.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, 3, 1), new float[] { 1, 2, 3 });
        var slope = builder.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, 4), new float[] { 0.5f, 0.25f, 2, 0 });
        // Both inputs broadcast ([2,3,4] − [3,1], then × [3,1]), then prelu's slope broadcast along the last axis; then the
        // larger of that and the column, through a broadcast comparison, where and expand.
        var p = builder.Prelu(builder.Mul(builder.Sub(x, column), column), slope);
        var y = builder.Where(builder.Greater(p, column), p, builder.Expand(column, [2, 3, 4]));
        var graph = await builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = y });
        float[] xValues = Enumerable.Range(0, 24).Select(i => i * 0.25f - 2).ToArray();
        using var input = await context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [2, 3, 4], writable: true));
        using var output = await context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [2, 3, 4], readable: true));
        context.WriteTensor<float>(input, xValues);
        var inputs = new Dictionary<string, MLTensor> { ["x"] = input };
        var outputs = new Dictionary<string, MLTensor> { ["y"] = output };
        Assert.Equal(0, BytesAllocatedByWarmDispatches(context, graph, inputs, outputs));

        float[] slopes = [0.5f, 0.25f, 2, 0];
        var expected = xValues.Select((v, i) =>
        {
            float c = i / 4 % 3 + 1, t = (v - c) * c, p = t >= 0 ? t : t * slopes[i % 4];
            return p > c ? p : c;
        });
        Assert.Equal(expected, await context.ReadTensorAsync<float>(output));
    }

    [Fact]
    public async Task A_warm_dispatch_of_a_small_deep_nchw_convolution_allocates_nothing()
    {
        // ResNet's shape: conv2d → batchNormalization (folded) → relu → maxPool2d in NCHW, on an image too small to share
        // out by rows (unfolded whole, tiles of rows × channels, when the machine has 2 or more threads).
        using var context = await ML.CreateContextAsync(new MLContextOptions { Accelerated = false });
        var builder = new MLGraphBuilder(context);
        int[] shape = [1, 64, 7, 7];
        var x = builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Float32, shape));
        MLOperand Constant(int seed, params int[] dimensions)
        {
            var random = new Random(seed);
            return builder.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, dimensions),
                Enumerable.Range(0, dimensions.Aggregate(1, (a, b) => a * b)).Select(_ => random.NextSingle() + 0.5f).ToArray());
        }
        var conv = builder.Conv2d(x, Constant(1, 96, 64, 3, 3), new MLConv2dOptions { Padding = [1, 1, 1, 1] });
        var normalized = builder.BatchNormalization(conv, Constant(2, 96), Constant(3, 96), new MLBatchNormalizationOptions { Scale = Constant(4, 96), Bias = Constant(5, 96) });
        var pooled = builder.MaxPool2d(builder.Relu(normalized), new MLPool2dOptions { WindowDimensions = [3, 3], Strides = [2, 2], Padding = [1, 1, 1, 1] });
        var graph = await builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = pooled });
        using var input = await context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, shape, writable: true));
        using var output = await context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [1, 96, 4, 4], readable: true));
        context.WriteTensor<float>(input, Enumerable.Range(0, 64 * 49).Select(i => (i % 13 - 6) * 0.1f).ToArray());
        var inputs = new Dictionary<string, MLTensor> { ["x"] = input };
        var outputs = new Dictionary<string, MLTensor> { ["y"] = output };
        Assert.Equal(0, BytesAllocatedByWarmDispatches(context, graph, inputs, outputs));
    }

    [Fact]
    public async Task Dispatch_checks_every_tensor_against_the_graph()
    {
        var (context, graph) = await AddGraphAsync();
        using (context)
        {
            using var a = await context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [2, 3], writable: true));
            using var b = await context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [3], writable: true));
            using var c = await context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [2, 3], readable: true));
            using var wrongShape = await context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [2, 2]));
            var outputs = new Dictionary<string, MLTensor> { ["c"] = c };
            context.Dispatch(graph, new Dictionary<string, MLTensor> { ["a"] = a, ["b"] = b }, outputs);

            Assert.Throws<ArgumentException>(() => context.Dispatch(graph, new Dictionary<string, MLTensor> { ["a"] = a }, outputs));
            Assert.Throws<ArgumentException>(() => context.Dispatch(graph, new Dictionary<string, MLTensor> { ["a"] = a, ["b"] = wrongShape }, outputs));
            Assert.Throws<ArgumentException>(() => context.Dispatch(graph, new Dictionary<string, MLTensor> { ["a"] = a, ["x"] = b }, outputs));
            var e = Assert.Throws<ArgumentException>(() => context.Dispatch(graph, new Dictionary<string, MLTensor> { ["a"] = a, ["b"] = a }, outputs));
            Assert.Contains("more than once", e.Message);

            using var other = await ML.CreateContextAsync();
            using var foreign = await other.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [3]));
            Assert.Throws<ArgumentException>(() => context.Dispatch(graph, new Dictionary<string, MLTensor> { ["a"] = a, ["b"] = foreign }, outputs));

            b.Destroy();
            Assert.Throws<ArgumentException>(() => context.Dispatch(graph, new Dictionary<string, MLTensor> { ["a"] = a, ["b"] = b }, outputs));

            graph.Destroy();
            Assert.Throws<InvalidOperationException>(() => context.Dispatch(graph, new Dictionary<string, MLTensor> { ["a"] = a }, outputs));
        }
    }

    [Fact]
    public async Task Constant_tensors_feed_graphs_and_cannot_be_inputs()
    {
        using var context = await ML.CreateContextAsync();
        using var weights = await context.CreateConstantTensorAsync<float>(new MLOperandDescriptor(MLOperandDataType.Float32, 3), new float[] { 1, 2, 3 });
        Assert.True(weights.Constant);
        var builder = new MLGraphBuilder(context);
        var x = builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Float32, 3));
        using var graph = await builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = builder.Mul(x, builder.Constant(weights)) });
        var results = await context.ComputeAsync(graph, new Dictionary<string, Array> { ["x"] = new float[] { 2, 2, 2 } });
        Assert.Equal(new[] { 2f, 4, 6 }, (float[])results["y"]);
    }

    [Fact]
    public async Task Destroy_loses_the_context_and_every_later_call_throws()
    {
        var context = await ML.CreateContextAsync();
        var tensor = await context.CreateTensorAsync(ReadWrite);
        context.Destroy();
        context.Destroy();
        var info = await context.Lost;
        Assert.Contains("destroyed", info.Message);
        Assert.True(tensor.IsDestroyed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => context.CreateTensorAsync(ReadWrite));
        Assert.Throws<ObjectDisposedException>(() => new MLGraphBuilder(context));
    }

    [Fact]
    public async Task Build_rejects_bad_outputs_and_builds_once()
    {
        using var context = await ML.CreateContextAsync();
        var builder = new MLGraphBuilder(context);
        var x = builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Float32, 2));
        Assert.Throws<ArgumentException>(() => builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Float32, 2)));
        await Assert.ThrowsAsync<ArgumentException>(() => builder.BuildAsync(new Dictionary<string, MLOperand>()));
        await Assert.ThrowsAsync<ArgumentException>(() => builder.BuildAsync(new Dictionary<string, MLOperand> { ["x"] = x }));
        await Assert.ThrowsAsync<ArgumentException>(() => builder.BuildAsync(new Dictionary<string, MLOperand> { [""] = builder.Add(x, x) }));
        using var graph = await builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = builder.Add(x, x), ["z"] = builder.Sub(x, x) });
        await Assert.ThrowsAsync<InvalidOperationException>(() => builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = x }));
        Assert.Equal(new[] { "y", "z" }, graph.OutputDescriptors.Keys.Order());
    }

    [Fact]
    public async Task An_output_named_twice_is_written_to_both_tensors()
    {
        using var context = await ML.CreateContextAsync();
        var builder = new MLGraphBuilder(context);
        var x = builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Float32, 2));
        var sum = builder.Add(x, x);
        using var graph = await builder.BuildAsync(new Dictionary<string, MLOperand> { ["first"] = sum, ["second"] = sum });
        var results = await context.ComputeAsync(graph, new Dictionary<string, Array> { ["x"] = new float[] { 1, 2 } });
        Assert.Equal(new[] { 2f, 4 }, (float[])results["first"]);
        Assert.Equal(new[] { 2f, 4 }, (float[])results["second"]);
    }
}
