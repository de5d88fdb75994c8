using WebNN.Graph;

namespace WebNN.WebGpu.Kernels;

/// <summary>
/// gatherElements, gatherND, scatterElements and scatterND over 32-bit words (every type a graph holds),
/// with indices read by <see cref="DataMovementKernels.IndexFunctions"/> as the CPU reads them. A scatter copies the
/// input, then writes the updates in their order: each invocation owns output places no other one writes and walks the
/// updates that land there first to last, so the later of two updates to one place wins, as on the CPU.
/// </summary>
internal static class ScatterGatherKernels
{
    private const int MaxRank = WebGpuOperators.MaxRank;

    /// <summary>The word types, and int8 and uint8, which a graph holds one to a word too (see <see cref="HeldDataTypes"/>).</summary>
    private static readonly MLOperandDataType[] DataTypes = HeldDataTypes.All;

    private static readonly IReadOnlyDictionary<string, MLOperandDataType[]> IndexTypes = new Dictionary<string, MLOperandDataType[]>
    {
        ["indices"] = [MLOperandDataType.Int32, MLOperandDataType.Uint32, MLOperandDataType.Int64],
    };

    public static IEnumerable<KeyValuePair<string, GpuOperator>> Operators()
    {
        yield return new("gatherElements", GpuOperator.Single(DataTypes, GatherElements) with { ArgumentDataTypes = IndexTypes });
        yield return new("scatterElements", new GpuOperator(DataTypes, ScatterElements) { ArgumentDataTypes = IndexTypes });
        yield return new("gatherND", GpuOperator.Single(DataTypes, GatherND) with { ArgumentDataTypes = IndexTypes });
        yield return new("scatterND", new GpuOperator(DataTypes, ScatterND) { ArgumentDataTypes = IndexTypes });
    }

    /// <summary>gatherElements: output[…, i, …] = input[…, indices[…, i, …], …] along the axis, one invocation per output element.</summary>
    private static GpuKernel GatherElements(MLOperator op, KernelBuilder b)
    {
        var input = b.Value(op.Input("input")!);
        var indices = b.Value(op.Input("indices")!);
        var output = b.Value(op.Outputs[0]);
        var parameters = ElementsParameters(input, indices, op.AttributesAs<AxisAttributes>().Axis, indices.Shape);
        return b.Kernel(op.Name, GatherElementsWgsl, parameters, [input, indices, output], output.ElementCount);
    }

    /// <summary>scatterElements: the input copied, then one invocation per line of the indices along the axis writes that line's updates in order.</summary>
    private static IEnumerable<GpuKernel> ScatterElements(MLOperator op, KernelBuilder b)
    {
        var input = b.Value(op.Input("input")!);
        var indices = b.Value(op.Input("indices")!);
        var updates = b.Value(op.Input("updates")!);
        var output = b.Value(op.Outputs[0]);
        int axis = op.AttributesAs<AxisAttributes>().Axis;
        var lines = (int[])indices.Shape.Clone();
        lines[axis] = 1;
        var parameters = ElementsParameters(input, indices, axis, lines);
        return
        [
            CopyInput(op, b, input, output),
            b.Kernel(op.Name, ScatterElementsWgsl, parameters, [indices, updates, output], Shapes.ElementCount(lines)),
        ];
    }

    /// <summary>
    /// [count, rank, axis, axisSize, indexType, shape[8] (walked by the invocations), inputStrides[8], indicesStrides[8],
    /// indices' size along the axis]: the layout <see cref="ElementsFunctions"/> reads.
    /// </summary>
    private static uint[] ElementsParameters(GpuValue input, GpuValue indices, int axis, int[] shape)
    {
        var inputStrides = Shapes.Strides(input.Shape);
        var indicesStrides = Shapes.Strides(indices.Shape);
        var parameters = new uint[6 + 3 * MaxRank];
        (parameters[0], parameters[1], parameters[2], parameters[3], parameters[4]) =
            ((uint)Shapes.ElementCount(shape), (uint)shape.Length, (uint)axis, (uint)input.Shape[axis], DataMovementKernels.IndexType(indices.DataType));
        for (int d = 0; d < shape.Length; d++)
        {
            parameters[5 + d] = (uint)shape[d];
            parameters[5 + MaxRank + d] = (uint)inputStrides[d];
            parameters[5 + 2 * MaxRank + d] = (uint)indicesStrides[d];
        }
        parameters[5 + 3 * MaxRank] = (uint)indices.Shape[axis];
        return parameters;
    }

    /// <summary>gatherND: each output element from the slice its tuple of indices addresses, one invocation per output element.</summary>
    private static GpuKernel GatherND(MLOperator op, KernelBuilder b)
    {
        var input = b.Value(op.Input("input")!);
        var indices = b.Value(op.Input("indices")!);
        var output = b.Value(op.Outputs[0]);
        var parameters = NDParameters(input, indices, output.ElementCount);
        return b.Kernel(op.Name, GatherNDWgsl, parameters, [input, indices, output], output.ElementCount);
    }

    /// <summary>scatterND: the input copied, then one invocation per element of a slice writes that element of every update slice in order.</summary>
    private static IEnumerable<GpuKernel> ScatterND(MLOperator op, KernelBuilder b)
    {
        var input = b.Value(op.Input("input")!);
        var indices = b.Value(op.Input("indices")!);
        var updates = b.Value(op.Input("updates")!);
        var output = b.Value(op.Outputs[0]);
        var parameters = NDParameters(input, indices, updates.ElementCount);
        return
        [
            CopyInput(op, b, input, output),
            b.Kernel(op.Name, ScatterNDWgsl, parameters, [indices, updates, output], parameters[2]),
        ];
    }

    /// <summary>
    /// [count, coordinate length k, slice length, indexType, input shape[8], slice count]: the layout
    /// <see cref="SliceFunctions"/> reads; <paramref name="movedCount"/> is the number of elements gathered or scattered.
    /// </summary>
    private static uint[] NDParameters(GpuValue input, GpuValue indices, int movedCount)
    {
        int coordinateLength = indices.Shape[^1];
        int sliceLength = (int)Shapes.ElementCount(input.Shape.AsSpan(coordinateLength));
        var parameters = new uint[5 + MaxRank];
        (parameters[0], parameters[1], parameters[2], parameters[3]) =
            ((uint)movedCount, (uint)coordinateLength, (uint)sliceLength, DataMovementKernels.IndexType(indices.DataType));
        for (int d = 0; d < input.Shape.Length; d++)
        {
            parameters[4 + d] = (uint)input.Shape[d];
        }
        parameters[4 + MaxRank] = (uint)(movedCount / sliceLength);
        return parameters;
    }

    private static GpuKernel CopyInput(MLOperator op, KernelBuilder b, GpuValue input, GpuValue output) =>
        DataMovementKernels.StridedCopy(b, op.Name, input, 0, [1], output, 0, [1], [input.ElementCount]);

    /// <summary>
    /// Element t of the walked shape: its input offset without the axis coordinate (x), and its indices offset (y).
    /// Parameters as <see cref="ElementsParameters"/> writes them.
    /// </summary>
    private const string ElementsFunctions = WgslKernels.Header + DataMovementKernels.IndexFunctions + """
        fn element_offsets(t: u32) -> vec2<u32> {
            var rest = t;
            var input = 0u;
            var index = 0u;
            for (var d = i32(p[1]) - 1; d >= 0; d--) {
                let k = u32(d);
                let coordinate = rest % p[5u + k];
                rest = rest / p[5u + k];
                if (k != p[2]) { input += coordinate * p[13u + k]; }
                index += coordinate * p[21u + k];
            }
            return vec2<u32>(input, index);
        }

        """;

    private const string GatherElementsWgsl = ElementsFunctions + """
        @group(0) @binding(1) var<storage, read> x: array<u32>;
        @group(0) @binding(2) var<storage, read> indices: array<u32>;
        @group(0) @binding(3) var<storage, read_write> y: array<u32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let i = invocation(g, n);
            if (i >= p[0]) { return; }
            let base = element_offsets(i).x;
            y[i] = x[base + resolve_index(i, p[3], p[4]) * p[13u + p[2]]];
        }
        """;

    private const string ScatterElementsWgsl = ElementsFunctions + """
        @group(0) @binding(1) var<storage, read> indices: array<u32>;
        @group(0) @binding(2) var<storage, read> updates: array<u32>;
        @group(0) @binding(3) var<storage, read_write> y: array<u32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let i = invocation(g, n);
            if (i >= p[0]) { return; }
            let base = element_offsets(i);
            let outputStride = p[13u + p[2]];
            let indexStride = p[21u + p[2]];
            for (var j = 0u; j < p[29]; j++) {
                let u = base.y + j * indexStride;
                y[base.x + resolve_index(u, p[3], p[4]) * outputStride] = updates[u];
            }
        }
        """;

    /// <summary>Where the input slice addressed by tuple s of the indices starts. Parameters as <see cref="NDParameters"/> writes them.</summary>
    private const string SliceFunctions = WgslKernels.Header + DataMovementKernels.IndexFunctions + """
        fn slice_start(s: u32) -> u32 {
            var offset = 0u;
            for (var d = 0u; d < p[1]; d++) {
                offset = offset * p[4u + d] + resolve_index(s * p[1] + d, p[4u + d], p[3]);
            }
            return offset * p[2];
        }

        """;

    private const string GatherNDWgsl = SliceFunctions + """
        @group(0) @binding(1) var<storage, read> x: array<u32>;
        @group(0) @binding(2) var<storage, read> indices: array<u32>;
        @group(0) @binding(3) var<storage, read_write> y: array<u32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let i = invocation(g, n);
            if (i >= p[0]) { return; }
            y[i] = x[slice_start(i / p[2]) + i % p[2]];
        }
        """;

    private const string ScatterNDWgsl = SliceFunctions + """
        @group(0) @binding(1) var<storage, read> indices: array<u32>;
        @group(0) @binding(2) var<storage, read> updates: array<u32>;
        @group(0) @binding(3) var<storage, read_write> y: array<u32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let w = invocation(g, n);
            if (w >= p[2]) { return; }
            for (var s = 0u; s < p[12]; s++) {
                y[slice_start(s) + w] = updates[s * p[2] + w];
            }
        }
        """;
}
