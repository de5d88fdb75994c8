using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using WebGpu;
using WebNN.Cuda;
using WebNN.WebGpu;

namespace WebNN.Cli;

/// <summary>
/// <c>webnn bench interop</c>: the reference experiment (webnn issue #6). conv2d of x [1,S,S,C] NHWC (0.01)
/// with w [3,3,C,C] HWIO (0.01), same padding, + bias [C] (0.1), then relu, timed four ways on one WebGPU
/// device, each until the queue reports the work done and again with a read-back of the result to the CPU (the
/// original ended every iteration with one):
/// 1. all as WGSL shaders through WebGPU alone (a direct convolution shader, then an add+relu shader);
/// 2. WebNN conv2d → read into a CPU array → written into a GPUBuffer → the add+relu shader;
/// 3. WebNN conv2d → the tensor's GPUBuffer lent to the add+relu shader with no copy (ExportToGpu);
/// 4. conv2d + add + relu as one WebNN graph (fused by the optimizer).
/// Where the device has "timestamp-query", each row also gets a GPU time: the GPU clock from a timestamp written
/// before the row's first command to one written after its last, the way CUDA events bracket a kernel (so it
/// compares with PyTorch's figure in bench/pytorch_conv2d.py), in separate iterations without read-back.
/// With <c>--backend cuda</c> the cuda backend (cuDNN) adds rows 2c, 3c and 4c beside them: its conv2d → CPU array →
/// WebGPU; its conv2d into pinned host memory that a GPUBuffer wraps (Dawn's "host-mapped-pointer": no explicit copy,
/// the bytes cross PCIe twice) → WebGPU; and the fused graph, float32 without and with TF32 (4c-tf32), whose GPU time
/// comes from CUDA events on the context's stream.
/// </summary>
internal static class InteropBenchmark
{
    private const string DirectConv2d = """
        @group(0) @binding(0) var<storage, read> p: array<u32>;
        @group(0) @binding(1) var<storage, read> x: array<f32>;
        @group(0) @binding(2) var<storage, read> w: array<f32>;
        @group(0) @binding(3) var<storage, read_write> y: array<f32>;

        @compute @workgroup_size(64)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let s = p[0]; let c = p[1];
            let i = g.x + g.y * n.x * 64u;
            if (i >= s * s * c) { return; }
            let co = i % c;
            let px = (i / c) % s;
            let py = i / (c * s);
            var acc = 0.0;
            for (var ky = 0u; ky < 3u; ky++) {
                let iy = i32(py + ky) - 1;
                if (iy < 0 || iy >= i32(s)) { continue; }
                for (var kx = 0u; kx < 3u; kx++) {
                    let ix = i32(px + kx) - 1;
                    if (ix < 0 || ix >= i32(s)) { continue; }
                    let xBase = (u32(iy) * s + u32(ix)) * c;
                    let wBase = (ky * 3u + kx) * c;
                    for (var ci = 0u; ci < c; ci++) {
                        acc += x[xBase + ci] * w[(wBase + ci) * c + co];
                    }
                }
            }
            y[i] = acc;
        }
        """;

    private const string AddRelu = """
        @group(0) @binding(0) var<storage, read> p: array<u32>;
        @group(0) @binding(1) var<storage, read> y: array<f32>;
        @group(0) @binding(2) var<storage, read> b: array<f32>;
        @group(0) @binding(3) var<storage, read_write> z: array<f32>;

        @compute @workgroup_size(64)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let i = g.x + g.y * n.x * 64u;
            if (i >= p[0] * p[0] * p[1]) { return; }
            z[i] = max(y[i] + b[i % p[1]], 0.0);
        }
        """;

    /// <summary>
    /// One row's figures: per-iteration milliseconds until the queue reports the work done, with the read-back, and
    /// on the GPU clock between timestamps around the work (null without timestamp queries).
    /// </summary>
    public sealed record Row(string Number, string Method, double MedianMs, double MinimumMs, double MedianWithReadBackMs, double MinimumWithReadBackMs,
        double? GpuMedianMs, double? GpuMinimumMs, double MaxErrorAgainstExpected);

    private const string GpuTimeMethod = "GPU time: GPU clock between timestamps that empty compute passes write before the row's first command " +
        "and after its last, submitted in queue order around its work like CUDA events around a kernel, Dawn's timestamp quantization off; " +
        "for Test2 it includes the GPU waiting while the CPU copies";

    public static async Task<int> RunAsync(CommandLine options)
    {
        int size = options.Int("--size", 100, 3);
        int iterations = options.Int("--iterations", 20, 1);
        string device = options.Value("--device") ?? "high-performance";
        bool cpuContext = device == "cpu";
        bool cuda = (options.Value("--backend") ?? "webgpu") switch
        {
            "webgpu" => false,
            "cuda" => true,
            var other => throw new UsageException($"--backend must be webgpu or cuda, not '{other}'."),
        };
        if (cuda && ML.EnumerateBackends().Single(b => b.Name == "cuda") is { Available: false } unavailable)
        {
            Console.Error.WriteLine($"webnn bench interop --backend cuda: the cuda backend cannot run here: {unavailable.Description}");
            return 1;
        }
        using var adapter = await GPU.RequestAdapterAsync(new GPURequestAdapterOptions
        {
            PowerPreference = device == "low-power" ? GPUPowerPreference.LowPower : GPUPowerPreference.HighPerformance,
            ForceFallbackAdapter = device == "fallback",
            // Dawn offers "host-mapped-pointer", which row 3c needs, only with this toggle.
            EnabledToggles = cuda ? [HostMappedMemory.AdapterToggle] : [],
        });
        if (adapter is null)
        {
            Console.Error.WriteLine("webnn bench interop: no WebGPU adapter. " + GpuAdvice.HowToGetAnAdapter);
            return 1;
        }
        bool timestamps = adapter.Features.Contains("timestamp-query");
        if (cuda && !adapter.Features.Contains(HostMappedMemory.Feature))
        {
            Console.Error.WriteLine($"webnn bench interop --backend cuda: the adapter ({adapter.Info.Description}) lacks \"{HostMappedMemory.Feature}\", which row 3c needs.");
            return 1;
        }
        using var gpuDevice = await adapter.RequestDeviceAsync(new GPUDeviceDescriptor
        {
            Label = "bench interop",
            RequiredFeatures = [.. timestamps ? ["timestamp-query"] : Array.Empty<string>(), .. cuda ? [HostMappedMemory.Feature] : Array.Empty<string>()],
            // Dawn rounds timestamps to 65,536 ns by default (a browser's timing side-channel defence): too coarse for a 0.1 ms kernel.
            DisabledToggles = timestamps ? ["timestamp_quantization"] : [],
            RequiredLimits = new Dictionary<string, ulong>
            {
                ["maxStorageBufferBindingSize"] = adapter.Limits.MaxStorageBufferBindingSize,
                ["maxBufferSize"] = adapter.Limits.MaxBufferSize,
            },
        });
        using var context = cpuContext ? await ML.CreateContextAsync(new MLContextOptions { Accelerated = false }) : await ML.CreateContextAsync(gpuDevice);
        Console.WriteLine($"WebGPU adapter: {adapter.Info}");
        Console.WriteLine($"WebNN context: {context.BackendName} — {context.DeviceDescription}");
        Console.WriteLine($"conv2d [1,{size},{size},{size}] NHWC × [3,3,{size},{size}] HWIO, same padding, + bias, relu; " +
            $"median and minimum of {iterations} iterations after a warm-up: until the queue reports the work done, and with a read-back of the {size * size * size * 4 / 1024} KiB result");
        string? noGpuTime = !timestamps ? "the adapter has no \"timestamp-query\" feature"
            : cpuContext ? "the WebNN context runs on the CPU, outside the GPU clock"
            : null;
        Console.WriteLine(noGpuTime is null ? GpuTimeMethod + "." : $"GPU time: n/a — {noGpuTime}.");

        using var cudaContext = cuda ? await ML.CreateContextAsync(new MLContextOptions { Backend = "cuda" }) : null;
        using var cudaTf32Context = cuda ? await ML.CreateContextAsync(new MLContextOptions { Backend = "cuda", AllowTf32 = true }) : null;
        if (cudaContext is not null)
        {
            Console.WriteLine($"WebNN context: cuda — {cudaContext.DeviceDescription}; rows 2c-4c: GPU time from CUDA events on the context's stream for 4c, n/a for rows that cross APIs");
        }

        using var bench = new Bench(gpuDevice, context, size, timed: noGpuTime is null);
        using var cudaBench = cudaContext is null ? null : new CudaRows(bench, cudaContext, cudaTf32Context!);
        var rows = new List<Row>();
        if (!cpuContext)
        {
            rows.Add(await bench.MeasureAsync("1", "conv2d/add/relu (WebGPU)", iterations, bench.AllShadersAsync));
        }
        rows.Add(await bench.MeasureAsync("2", "conv2d (WebNN) -> ArrayBuffer -> GPUBuffer -> add/relu (WebGPU)", iterations, bench.ThroughCpuAsync));
        if (!cpuContext)
        {
            rows.Add(await bench.MeasureAsync("3", "conv2d (WebNN) -> GPUBuffer -> add/relu (WebGPU)", iterations, bench.SharedBufferAsync));
        }
        rows.Add(await bench.MeasureAsync("4", "conv2d/add/relu (WebNN)", iterations, bench.FusedAsync));
        if (cudaBench is not null)
        {
            rows.Add(await bench.MeasureAsync("2c", "conv2d (WebNN cuda, cuDNN) -> ArrayBuffer -> GPUBuffer -> add/relu (WebGPU)", iterations, cudaBench.ThroughCpuAsync, gpuTime: null));
            rows.Add(await bench.MeasureAsync("3c", "conv2d (WebNN cuda, cuDNN) -> pinned host memory wrapped as a GPUBuffer (staged over PCIe, no explicit copy) -> add/relu (WebGPU)",
                iterations, cudaBench.SharedHostMemoryAsync, gpuTime: null));
            rows.Add(await bench.MeasureAsync("4c", "conv2d/add/relu (WebNN cuda, cuDNN fused), float32", iterations, readBack => cudaBench.FusedAsync(tf32: false, readBack),
                gpuTime: () => cudaBench.FusedGpuMilliseconds(tf32: false)));
            rows.Add(await bench.MeasureAsync("4c-tf32", "conv2d/add/relu (WebNN cuda, cuDNN fused), TF32 allowed", iterations, readBack => cudaBench.FusedAsync(tf32: true, readBack),
                gpuTime: () => cudaBench.FusedGpuMilliseconds(tf32: true)));
        }
        Console.WriteLine();
        foreach (var row in rows)
        {
            string gpuTime = row.GpuMedianMs is { } median ? $"{median:F3} ms (min {row.GpuMinimumMs:F3})" : "n/a";
            Console.WriteLine($"Test{row.Number} - {row.Method}: {row.MedianMs:F2} ms (min {row.MinimumMs:F2}); with read-back {row.MedianWithReadBackMs:F2} ms (min {row.MinimumWithReadBackMs:F2}); " +
                $"GPU time {gpuTime}; max error {row.MaxErrorAgainstExpected:E1}");
        }
        if (cpuContext)
        {
            Console.WriteLine("Test1 and Test3 need a WebNN context on the WebGPU device: a CPU context cannot lend GPU memory, so Test2's staged copy is its only path.");
        }
        if (options.Value("--json") is { } path)
        {
            var info = adapter.Info;
            var report = new
            {
                adapter = new { info.Vendor, info.Architecture, info.Device, info.Description, Backend = info.Backend.ToString(), AdapterType = info.AdapterType.ToString(), info.VendorId, info.DeviceId },
                context = context.BackendName,
                cudaContext = cudaContext?.DeviceDescription,
                size,
                iterations,
                gpuTime = noGpuTime is null ? GpuTimeMethod : $"n/a: {noGpuTime}",
                rows,
            };
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"wrote {path}");
        }
        // The output's scale is about 0.19; a row off by more than 1e-3 of it is an error, not a figure.
        bool agree = rows.All(r => r.MaxErrorAgainstExpected <= 1e-3 * 0.19);
        Console.WriteLine(agree ? "All rows agree with the exact result (0.19 inside, 0.16 on edges, 0.14 at corners for size 100)." : "ERROR: the rows disagree.");
        return agree ? 0 : 1;
    }

    /// <summary>The buffers, pipelines and graphs of the four rows, made once.</summary>
    private sealed class Bench : IDisposable
    {
        private readonly GPUDevice _device;
        private readonly MLContext _context;
        private readonly int _size;
        private readonly int _count;
        // Every row ends by copying its result into these bytes once (the read-back of the reference experiment).
        private readonly byte[] _result;
        private readonly GPUBuffer _x, _w, _b, _conv, _out, _staging, _convParams;
        private readonly GPUComputePipeline _convPipeline, _addReluPipeline;
        private readonly MLGraph _convGraph, _fusedGraph;
        private readonly MLTensor _input, _convOutput, _fusedOutput;
        private readonly MLTensor? _sharedOutput;
        private readonly GpuTimer? _timer;
        // Set while GPU time is measured: rows then stamp the end right after their last submission.
        private bool _timing;

        public Bench(GPUDevice device, MLContext context, int size, bool timed)
        {
            _timer = timed ? new GpuTimer(device) : null;
            _device = device;
            _context = context;
            _size = size;
            _count = size * size * size;
            _result = new byte[_count * 4];
            var x = Filled(_count, 0.01f);
            var w = Filled(9 * size * size, 0.01f);
            var b = Filled(size, 0.1f);
            _x = Storage(x, "x");
            _w = Storage(w, "w");
            _b = Storage(b, "b");
            _conv = Storage(new float[_count], "conv");
            _out = Storage(new float[_count], "out");
            _convParams = Storage([BitConverter.UInt32BitsToSingle((uint)size), BitConverter.UInt32BitsToSingle((uint)size), 0, 0], "params");
            _staging = device.CreateBuffer(new GPUBufferDescriptor { Label = "read-back", Size = (ulong)_count * 4, Usage = GPUBufferUsage.MapRead | GPUBufferUsage.CopyDst });
            _convPipeline = Pipeline(DirectConv2d, "direct conv2d");
            _addReluPipeline = Pipeline(AddRelu, "add+relu");

            _convGraph = Build(context, fused: false);
            _fusedGraph = Build(context, fused: true);
            _input = context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [1, size, size, size], writable: true)).Result;
            context.WriteTensor<float>(_input, x);
            _convOutput = context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [1, size, size, size], readable: true)).Result;
            _sharedOutput = context.GpuDevice is null ? null : context.CreateExportableTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [1, size, size, size]), device).Result;
            _fusedOutput = context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [1, size, size, size], readable: true)).Result;
        }

        /// <summary>
        /// Times one row. Its GPU time comes from the WebGPU timestamps around each iteration unless <paramref name="gpuTime"/>
        /// is given: then from that per-iteration measurement on the row's own clock, or none when it is null.
        /// </summary>
        public Task<Row> MeasureAsync(string number, string method, int iterations, Func<bool, Task> iteration) =>
            MeasureAsync(number, method, iterations, iteration, () => GpuTimeAsync(iterations, () => iteration(false)));

        public Task<Row> MeasureAsync(string number, string method, int iterations, Func<bool, Task> iteration, Func<double>? gpuTime) =>
            MeasureAsync(number, method, iterations, iteration, gpuTime is null ? () => Task.FromResult<double[]?>(null)
                : () => Task.FromResult<double[]?>(Enumerable.Range(0, iterations).Select(_ => gpuTime()).ToArray()));

        private async Task<Row> MeasureAsync(string number, string method, int iterations, Func<bool, Task> iteration, Func<Task<double[]?>> gpuTimes)
        {
            await iteration(true);
            var computeOnly = await TimeAsync(iterations, () => iteration(false));
            var gpu = await gpuTimes();
            // Last, so that the result MaxError checks is each row's full result (Test2 without read-back leaves the conv's alone).
            var withReadBack = await TimeAsync(iterations, () => iteration(true));
            Console.WriteLine($"  Test{number}: {Median(computeOnly):F2} ms, with read-back {Median(withReadBack):F2} ms" + (gpu is null ? "" : $", GPU time {Median(gpu):F3} ms"));
            return new Row(number, method, Median(computeOnly), computeOnly.Min(), Median(withReadBack), withReadBack.Min(),
                gpu is null ? null : Median(gpu), gpu?.Min(), MaxError());
        }

        /// <summary>Per-iteration GPU time between a timestamp before the first command and one after the last, or null without a timer.</summary>
        private async Task<double[]?> GpuTimeAsync(int iterations, Func<Task> iteration)
        {
            if (_timer is null)
            {
                return null;
            }
            var times = new double[iterations];
            _timing = true;
            try
            {
                for (int i = 0; i < iterations; i++)
                {
                    _timer.Begin();
                    await iteration();
                    times[i] = await _timer.ReadMillisecondsAsync();
                }
            }
            finally
            {
                _timing = false;
            }
            return times;
        }

        /// <summary>Called by each row right after its last submission: the end timestamp while GPU time is measured.</summary>
        private void Submitted()
        {
            if (_timing)
            {
                _timer!.End();
            }
        }

        private static async Task<double[]> TimeAsync(int iterations, Func<Task> iteration)
        {
            var times = new double[iterations];
            for (int i = 0; i < iterations; i++)
            {
                long start = Stopwatch.GetTimestamp();
                await iteration();
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            return times;
        }

        private static double Median(double[] values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }

        /// <summary>Ends an iteration: the read-back of <paramref name="source"/>, or waiting until the queue reports the work done.</summary>
        private Task FinishAsync(GPUBuffer source, bool readBack)
        {
            Submitted();
            return readBack ? ReadBackAsync(source) : _device.Queue.OnSubmittedWorkDoneAsync();
        }

        public Task AllShadersAsync(bool readBack)
        {
            var encoder = _device.CreateCommandEncoder();
            Dispatch(encoder, _convPipeline, [_convParams, _x, _w, _conv]);
            Dispatch(encoder, _addReluPipeline, [_convParams, _conv, _b, _out]);
            _device.Queue.Submit(encoder.Finish());
            return FinishAsync(_out, readBack);
        }

        public async Task ThroughCpuAsync(bool readBack)
        {
            _context.Dispatch(_convGraph, Inputs, new Dictionary<string, MLTensor> { ["y"] = _convOutput });
            await _context.ReadTensorAsync(_convOutput, _result);
            await UploadResultThenAddReluAsync(readBack);
        }

        public async Task SharedBufferAsync(bool readBack)
        {
            _context.Dispatch(_convGraph, Inputs, new Dictionary<string, MLTensor> { ["y"] = _sharedOutput! });
            using var shared = _context.ExportToGpu(_sharedOutput!);
            await AddReluAsync(shared, readBack);
        }

        /// <summary>The bytes every row's result ends in (a convolution read to the CPU passes through them too).</summary>
        public byte[] Result => _result;

        /// <summary>The input x, as every row's convolution reads it.</summary>
        public float[] InputValues => Filled(_count, 0.01f);

        public int Size => _size;

        public GPUDevice Device => _device;

        /// <summary>Writes the convolution's bytes, read into <see cref="Result"/>, into a GPUBuffer, then runs the add+relu shader on it.</summary>
        public Task UploadResultThenAddReluAsync(bool readBack)
        {
            _device.Queue.WriteBuffer(_conv, 0, _result);
            return AddReluAsync(_conv, readBack);
        }

        /// <summary>Runs the add+relu shader on the convolution in <paramref name="convolution"/>, then ends the iteration.</summary>
        public Task AddReluAsync(GPUBuffer convolution, bool readBack)
        {
            var encoder = _device.CreateCommandEncoder();
            Dispatch(encoder, _addReluPipeline, [_convParams, convolution, _b, _out]);
            _device.Queue.Submit(encoder.Finish());
            return FinishAsync(_out, readBack);
        }

        public async Task FusedAsync(bool readBack)
        {
            _context.Dispatch(_fusedGraph, Inputs, new Dictionary<string, MLTensor> { ["y"] = _fusedOutput });
            Submitted();
            if (readBack)
            {
                await _context.ReadTensorAsync(_fusedOutput, _result);
            }
            else if (_context.GpuDevice is { } device)
            {
                await device.Queue.OnSubmittedWorkDoneAsync();
            }
        }

        private Dictionary<string, MLTensor> Inputs => new() { ["x"] = _input };

        /// <summary>The conv2d alone, or conv2d + bias + relu, as a graph of <paramref name="context"/>.</summary>
        public MLGraph Build(MLContext context, bool fused)
        {
            var builder = new MLGraphBuilder(context);
            var x = builder.Input("x", new MLOperandDescriptor(MLOperandDataType.Float32, 1, _size, _size, _size));
            var w = builder.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, 3, 3, _size, _size), Filled(9 * _size * _size, 0.01f));
            var conv = builder.Conv2d(x, w, new MLConv2dOptions
            {
                Padding = [1, 1, 1, 1], InputLayout = MLInputOperandLayout.Nhwc, FilterLayout = MLConv2dFilterOperandLayout.Hwio,
            });
            var y = fused ? builder.Relu(builder.Add(conv, builder.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, _size), Filled(_size, 0.1f)))) : conv;
            return builder.BuildAsync(new Dictionary<string, MLOperand> { ["y"] = y }).Result;
        }

        private void Dispatch(GPUCommandEncoder encoder, GPUComputePipeline pipeline, GPUBuffer[] buffers)
        {
            using var layout = pipeline.GetBindGroupLayout(0);
            using var group = _device.CreateBindGroup(new GPUBindGroupDescriptor
            {
                Layout = layout,
                Entries = buffers.Select((buffer, i) => new GPUBindGroupEntry { Binding = (uint)i, Buffer = buffer }).ToList(),
            });
            var pass = encoder.BeginComputePass();
            pass.SetPipeline(pipeline);
            pass.SetBindGroup(0, group);
            long groups = (_count + 63) / 64;
            uint x = (uint)Math.Min(groups, 65535);
            pass.DispatchWorkgroups(x, (uint)((groups + x - 1) / x));
            pass.End();
        }

        private async Task ReadBackAsync(GPUBuffer source)
        {
            var encoder = _device.CreateCommandEncoder();
            encoder.CopyBufferToBuffer(source, 0, _staging, 0, (ulong)_count * 4);
            _device.Queue.Submit(encoder.Finish());
            await _staging.MapAsync(GPUMapMode.Read);
            _staging.GetMappedRange().CopyTo(_result);
            _staging.Unmap();
        }

        private GPUBuffer Storage(float[] values, string label)
        {
            var buffer = _device.CreateBuffer(new GPUBufferDescriptor { Label = label, Size = (ulong)values.Length * 4, Usage = GPUBufferUsage.Storage | GPUBufferUsage.CopyDst | GPUBufferUsage.CopySrc });
            _device.Queue.WriteBuffer<float>(buffer, 0, values);
            return buffer;
        }

        private GPUComputePipeline Pipeline(string wgsl, string label)
        {
            using var module = _device.CreateShaderModule(new GPUShaderModuleDescriptor { Label = label, Code = wgsl });
            return _device.CreateComputePipeline(new GPUComputePipelineDescriptor { Label = label, Compute = new() { Module = module } });
        }

        /// <summary>The largest difference from the exact result: 0.1 + 0.0001·C·(window taps inside the image), then relu.</summary>
        private double MaxError()
        {
            var result = MemoryMarshal.Cast<byte, float>(_result);
            double worst = 0;
            for (int i = 0; i < _count; i++)
            {
                int column = i / _size % _size, row = i / (_size * _size);
                int taps = (row == 0 || row == _size - 1 ? 2 : 3) * (column == 0 || column == _size - 1 ? 2 : 3);
                worst = Math.Max(worst, Math.Abs(result[i] - (0.1 + 0.0001 * _size * taps)));
            }
            return worst;
        }

        private static float[] Filled(int length, float value)
        {
            var values = new float[length];
            Array.Fill(values, value);
            return values;
        }

        public void Dispose() => _timer?.Dispose();
    }

    /// <summary>
    /// The cuda backend's rows: its graphs (the conv2d alone and fused, float32 and with TF32 allowed) and tensors, made once;
    /// WebGPU's add+relu and the read-back come from <see cref="Bench"/>.
    /// </summary>
    private sealed class CudaRows : IDisposable
    {
        private readonly Bench _bench;
        private readonly MLContext _cuda;
        private readonly MLGraph _convGraph;
        private readonly MLTensor _convOutput, _sharedOutput;
        private readonly Fused _float32, _tf32;

        private sealed record Fused(MLContext Context, MLGraph Graph, Dictionary<string, MLTensor> Inputs, Dictionary<string, MLTensor> Outputs);

        public CudaRows(Bench bench, MLContext cuda, MLContext cudaTf32)
        {
            _bench = bench;
            _cuda = cuda;
            var descriptor = new MLTensorDescriptor(MLOperandDataType.Float32, [1, bench.Size, bench.Size, bench.Size], readable: true);
            _convGraph = bench.Build(cuda, fused: false);
            _convOutput = cuda.CreateTensorAsync(descriptor).Result;
            _sharedOutput = cuda.CreateExportableTensorAsync(descriptor, bench.Device).Result;
            _float32 = MakeFused(cuda);
            _tf32 = MakeFused(cudaTf32);
        }

        private Fused MakeFused(MLContext context)
        {
            var input = context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [1, _bench.Size, _bench.Size, _bench.Size], writable: true)).Result;
            context.WriteTensor<float>(input, _bench.InputValues);
            var output = context.CreateTensorAsync(new MLTensorDescriptor(MLOperandDataType.Float32, [1, _bench.Size, _bench.Size, _bench.Size], readable: true)).Result;
            return new Fused(context, _bench.Build(context, fused: true), new() { ["x"] = input }, new() { ["y"] = output });
        }

        public async Task ThroughCpuAsync(bool readBack)
        {
            _cuda.Dispatch(_convGraph, _float32.Inputs, new Dictionary<string, MLTensor> { ["y"] = _convOutput });
            await _cuda.ReadTensorAsync(_convOutput, _bench.Result);
            await _bench.UploadResultThenAddReluAsync(readBack);
        }

        public async Task SharedHostMemoryAsync(bool readBack)
        {
            _cuda.Dispatch(_convGraph, _float32.Inputs, new Dictionary<string, MLTensor> { ["y"] = _sharedOutput });
            using var shared = _cuda.ExportToGpu(_sharedOutput);
            await _bench.AddReluAsync(shared, readBack);
        }

        /// <summary>The fused graph; without read-back the iteration ends when the stream is idle.</summary>
        public async Task FusedAsync(bool tf32, bool readBack)
        {
            var fused = tf32 ? _tf32 : _float32;
            if (readBack)
            {
                fused.Context.Dispatch(fused.Graph, fused.Inputs, fused.Outputs);
                await fused.Context.ReadTensorAsync(fused.Outputs["y"], _bench.Result);
            }
            else
            {
                FusedGpuMilliseconds(tf32);
            }
        }

        /// <summary>One dispatch of the fused graph, timed by CUDA events around it on the context's stream (waits for them).</summary>
        public double FusedGpuMilliseconds(bool tf32)
        {
            var fused = tf32 ? _tf32 : _float32;
            return fused.Context.MeasureGpuMilliseconds(() => fused.Context.Dispatch(fused.Graph, fused.Inputs, fused.Outputs));
        }

        public void Dispose()
        {
            foreach (var fused in new[] { _float32, _tf32 })
            {
                fused.Graph.Dispose();
                fused.Inputs["x"].Dispose();
                fused.Outputs["y"].Dispose();
            }
            _convGraph.Dispose();
            _convOutput.Dispose();
            _sharedOutput.Dispose();
        }
    }

    /// <summary>
    /// Two timestamps on the GPU clock: <see cref="Begin"/> and <see cref="End"/> each submit an empty compute pass that
    /// writes one, so the queue orders them before and after whatever is submitted in between; Dawn reports nanoseconds.
    /// </summary>
    private sealed class GpuTimer(GPUDevice device) : IDisposable
    {
        private readonly GPUQuerySet _queries = device.CreateQuerySet(new GPUQuerySetDescriptor { Label = "gpu time", Type = GPUQueryType.Timestamp, Count = 2 });
        private readonly GPUBuffer _resolved = device.CreateBuffer(new GPUBufferDescriptor { Label = "gpu time", Size = 16, Usage = GPUBufferUsage.QueryResolve | GPUBufferUsage.CopySrc });
        private readonly GPUBuffer _readable = device.CreateBuffer(new GPUBufferDescriptor { Label = "gpu time read-back", Size = 16, Usage = GPUBufferUsage.MapRead | GPUBufferUsage.CopyDst });

        public void Begin() => Stamp(new GPUComputePassTimestampWrites { QuerySet = _queries, BeginningOfPassWriteIndex = 0 }, resolve: false);

        public void End() => Stamp(new GPUComputePassTimestampWrites { QuerySet = _queries, EndOfPassWriteIndex = 1 }, resolve: true);

        /// <summary>The milliseconds between the two timestamps, once the end's resolve has run.</summary>
        public async Task<double> ReadMillisecondsAsync()
        {
            await _readable.MapAsync(GPUMapMode.Read);
            var ticks = MemoryMarshal.Cast<byte, ulong>(_readable.GetMappedRange());
            double milliseconds = (long)(ticks[1] - ticks[0]) / 1e6;
            _readable.Unmap();
            return milliseconds;
        }

        private void Stamp(GPUComputePassTimestampWrites writes, bool resolve)
        {
            var encoder = device.CreateCommandEncoder("gpu time");
            encoder.BeginComputePass("gpu time", writes).End();
            if (resolve)
            {
                encoder.ResolveQuerySet(_queries, 0, 2, _resolved, 0);
                encoder.CopyBufferToBuffer(_resolved, 0, _readable, 0, 16);
            }
            device.Queue.Submit(encoder.Finish());
        }

        public void Dispose()
        {
            _queries.Dispose();
            _resolved.Dispose();
            _readable.Dispose();
        }
    }
}
