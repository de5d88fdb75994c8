// y = a·x + y on the GPU with a WGSL compute shader, checked against the CPU.
// Run: dotnet run --project samples/Saxpy
using System.Runtime.InteropServices;
using WebGpu;

const int N = 1 << 20;
const float A = 2.5f;

using var adapter = await GPU.RequestAdapterAsync(new GPURequestAdapterOptions { PowerPreference = GPUPowerPreference.HighPerformance });
if (adapter is null)
{
    Console.Error.WriteLine("No WebGPU adapter: install a GPU driver with Vulkan, or Mesa's lavapipe (`sudo bash .ci/install-vulkan.sh` on Debian 12).");
    return 1;
}
Console.WriteLine($"Adapter: {adapter.Info}");
using var device = await adapter.RequestDeviceAsync();

using var module = device.CreateShaderModule(new GPUShaderModuleDescriptor
{
    Label = "saxpy",
    Code = """
        @group(0) @binding(0) var<uniform> a: f32;
        @group(0) @binding(1) var<storage, read> x: array<f32>;
        @group(0) @binding(2) var<storage, read_write> y: array<f32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) id: vec3<u32>) {
            if (id.x < arrayLength(&y)) {
                y[id.x] = a * x[id.x] + y[id.x];
            }
        }
        """,
});
using var pipeline = await device.CreateComputePipelineAsync(new GPUComputePipelineDescriptor { Label = "saxpy", Compute = new() { Module = module } });

var random = new Random(42);
var x = Enumerable.Range(0, N).Select(_ => random.NextSingle()).ToArray();
var y = Enumerable.Range(0, N).Select(_ => random.NextSingle()).ToArray();
using var aBuffer = device.CreateBuffer(new GPUBufferDescriptor { Size = 16, Usage = GPUBufferUsage.Uniform | GPUBufferUsage.CopyDst });
using var xBuffer = device.CreateBuffer(new GPUBufferDescriptor { Size = N * 4, Usage = GPUBufferUsage.Storage | GPUBufferUsage.CopyDst });
using var yBuffer = device.CreateBuffer(new GPUBufferDescriptor { Size = N * 4, Usage = GPUBufferUsage.Storage | GPUBufferUsage.CopyDst | GPUBufferUsage.CopySrc });
using var readBack = device.CreateBuffer(new GPUBufferDescriptor { Size = N * 4, Usage = GPUBufferUsage.MapRead | GPUBufferUsage.CopyDst });
device.Queue.WriteBuffer<float>(aBuffer, 0, [A, 0, 0, 0]);
device.Queue.WriteBuffer<float>(xBuffer, 0, x);
device.Queue.WriteBuffer<float>(yBuffer, 0, y);

using var layout = pipeline.GetBindGroupLayout(0);
using var bindGroup = device.CreateBindGroup(new GPUBindGroupDescriptor
{
    Layout = layout,
    Entries = [new() { Binding = 0, Buffer = aBuffer }, new() { Binding = 1, Buffer = xBuffer }, new() { Binding = 2, Buffer = yBuffer }],
});
var encoder = device.CreateCommandEncoder();
var pass = encoder.BeginComputePass();
pass.SetPipeline(pipeline);
pass.SetBindGroup(0, bindGroup);
pass.DispatchWorkgroups((N + 255) / 256);
pass.End();
encoder.CopyBufferToBuffer(yBuffer, 0, readBack, 0, N * 4);
device.Queue.Submit(encoder.Finish());

await readBack.MapAsync(GPUMapMode.Read);
var result = MemoryMarshal.Cast<byte, float>(readBack.GetMappedRange()).ToArray();
readBack.Unmap();

// WGSL lets the compiler fuse a * x + y into one FMA (NVIDIA's does; lavapipe does not): either rounding is right.
int wrong = Enumerable.Range(0, N).Count(i => result[i] != A * x[i] + y[i] && result[i] != MathF.FusedMultiplyAdd(A, x[i], y[i]));
Console.WriteLine($"saxpy on {N} floats: {(wrong == 0 ? "all match the CPU" : $"{wrong} differ from the CPU")}; y[0] = {result[0]} = {A} × {x[0]} + {y[0]}");
return wrong == 0 ? 0 : 1;
