using WebNN.Graph;

namespace WebNN.WebGpu.Kernels;

/// <summary>
/// averagePool2d, l2Pool2d and maxPool2d in either layout, one invocation per output element. As on the CPU,
/// only window positions inside the input count: average divides by their number (0 when there are none),
/// max starts from −∞ (on integers, which only maxPool2d takes, the type's minimum) and l2 from 0.
/// </summary>
internal static class PoolingKernels
{
    /// <summary>
    /// A pooling: <paramref name="Accumulate"/> folds each element <c>v</c> into <c>acc</c> (starting at <paramref name="Initial"/>, saturated
    /// to the type), <paramref name="Finish"/> turns <c>acc</c> and <c>count</c> into the result; <paramref name="IntegerAccumulate"/>, where
    /// the spec allows integers, folds integers (which need no finish).
    /// </summary>
    private sealed record Pooling(double Initial, string Accumulate, string Finish, string? IntegerAccumulate = null);

    private static readonly (string Name, Pooling Pooling)[] Poolings =
    [
        ("averagePool2d", new(0, "acc + v", "select(acc / f32(count), 0.0, count == 0u)")),
        ("l2Pool2d", new(0, "fma(v, v, acc)", "sqrt(acc)")),
        ("maxPool2d", new(double.NegativeInfinity, "max_nan(acc, v)", "acc", "max(acc, v)")),
    ];

    public static IEnumerable<KeyValuePair<string, GpuOperator>> Operators()
    {
        foreach (var (name, pooling) in Poolings)
        {
            yield return new(name, GpuOperator.Single(pooling.IntegerAccumulate is null ? WebGpuOperators.Floats : HeldDataTypes.All, (op, b) => Pool(op, b, pooling)));
        }
    }

    /// <summary>
    /// Parameters: [count, C, H, W, OH, OW, windowH, windowW, padTop, padLeft, strideH, strideW, dilationH,
    /// dilationW, initial, inStride(n,c,h,w)[4], outStride(n,c,h,w)[4]].
    /// </summary>
    private static GpuKernel Pool(MLOperator op, KernelBuilder b, Pooling pooling)
    {
        var a = op.AttributesAs<Pool2dAttributes>();
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        bool nchw = a.Layout == MLInputOperandLayout.Nchw;
        var (c, h, w) = nchw ? (input.Shape[1], input.Shape[2], input.Shape[3]) : (input.Shape[3], input.Shape[1], input.Shape[2]);
        var (oh, ow) = nchw ? (output.Shape[2], output.Shape[3]) : (output.Shape[1], output.Shape[2]);
        var inStrides = WebGpuOperators.ImageStrides(input.Shape, nchw);
        var outStrides = WebGpuOperators.ImageStrides(output.Shape, nchw);
        uint[] parameters =
        [
            (uint)output.ElementCount, (uint)c, (uint)h, (uint)w, (uint)oh, (uint)ow, (uint)a.WindowDimensions[0], (uint)a.WindowDimensions[1],
            (uint)a.Padding[0], (uint)a.Padding[2], (uint)a.Strides[0], (uint)a.Strides[1], (uint)a.Dilations[0], (uint)a.Dilations[1],
            HeldDataTypes.Word(pooling.Initial, input.DataType),
            (uint)inStrides.N, (uint)inStrides.C, (uint)inStrides.H, (uint)inStrides.W,
            (uint)outStrides.N, (uint)outStrides.C, (uint)outStrides.H, (uint)outStrides.W,
        ];
        var wgsl = input.DataType.IsFloatingPoint()
            ? Wgsl("f32", pooling.Accumulate, pooling.Finish)
            : Wgsl(HeldDataTypes.Scalar(input.DataType), pooling.IntegerAccumulate!, "acc");
        return b.Kernel(op.Name, wgsl, parameters, [input, output], output.ElementCount);
    }

    // The output is contiguous in its layout, so each coordinate of element t is (t / its stride) % its size.
    private static string Wgsl(string scalar, string accumulate, string finish) => WgslKernels.Header + ReductionKernels.NanPropagatingMinMax + $$"""
        @group(0) @binding(1) var<storage, read> x: array<u32>;
        @group(0) @binding(2) var<storage, read_write> y: array<u32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let t = invocation(g, n);
            if (t >= p[0]) { return; }
            let b = t / p[19];
            let c = (t / p[20]) % p[1];
            let oy = (t / p[21]) % p[4];
            let ox = (t / p[22]) % p[5];
            let planeBase = b * p[15] + c * p[16];
            var acc = bitcast<{{scalar}}>(p[14]);
            var count = 0u;
            for (var ky = 0u; ky < p[6]; ky++) {
                let iy = i32(oy * p[10] + ky * p[12]) - i32(p[8]);
                if (iy < 0 || iy >= i32(p[2])) { continue; }
                for (var kx = 0u; kx < p[7]; kx++) {
                    let ix = i32(ox * p[11] + kx * p[13]) - i32(p[9]);
                    if (ix < 0 || ix >= i32(p[3])) { continue; }
                    let v = bitcast<{{scalar}}>(x[planeBase + u32(iy) * p[17] + u32(ix) * p[18]]);
                    acc = {{accumulate}};
                    count++;
                }
            }
            y[t] = bitcast<u32>({{finish}});
        }
        """;
}
