using WebNN.Graph;

namespace WebNN.WebGpu.Kernels;

/// <summary>
/// Operators that move elements (reshape, transpose, expand, slice, concat, split, pad, gather): kernels over
/// 32-bit words, so one serves every type held in words (see <see cref="HeldDataTypes"/>). All but pad and gather
/// are one strided copy per input or output.
/// </summary>
internal static class DataMovementKernels
{
    /// <summary>The rank the kernels' parameter layouts hold (their WGSL offsets follow from it).</summary>
    private const int MaxRank = WebGpuOperators.MaxRank;

    public static IEnumerable<KeyValuePair<string, GpuOperator>> Operators()
    {
        yield return new("reshape", GpuOperator.Single(HeldDataTypes.All, Reshape));
        yield return new("transpose", GpuOperator.Single(HeldDataTypes.All, Transpose));
        yield return new("expand", GpuOperator.Single(HeldDataTypes.All, Expand));
        yield return new("slice", GpuOperator.Single(HeldDataTypes.All, Slice));
        yield return new("concat", new GpuOperator(HeldDataTypes.All, Concat));
        yield return new("split", new GpuOperator(HeldDataTypes.All, Split));
        yield return new("pad", GpuOperator.Single(HeldDataTypes.All, Pad));
        yield return new("gather", GpuOperator.Single(HeldDataTypes.All, Gather) with
        {
            ArgumentDataTypes = new Dictionary<string, MLOperandDataType[]>
            {
                ["indices"] = [MLOperandDataType.Int32, MLOperandDataType.Uint32, MLOperandDataType.Int64],
            },
        });
    }

    /// <summary>reshape: the flattened tensor copied as it is.</summary>
    private static GpuKernel Reshape(MLOperator op, KernelBuilder b)
    {
        var output = b.Value(op.Outputs[0]);
        int[] flat = [output.ElementCount];
        return StridedCopy(b, op.Name, b.Value(op.Inputs[0].Operand), 0, [1], output, 0, [1], flat);
    }

    /// <summary>transpose: output axis d walks input axis permutation[d].</summary>
    private static GpuKernel Transpose(MLOperator op, KernelBuilder b)
    {
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        var inputStrides = Shapes.Strides(input.Shape);
        var sourceStrides = op.AttributesAs<TransposeAttributes>().Permutation.Select(axis => inputStrides[axis]).ToArray();
        return StridedCopy(b, op.Name, input, 0, sourceStrides, output, 0, Shapes.Strides(output.Shape), output.Shape);
    }

    /// <summary>expand: the input's strides, 0 along broadcast dimensions.</summary>
    private static GpuKernel Expand(MLOperator op, KernelBuilder b)
    {
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        var sourceStrides = new uint[output.Shape.Length];
        WebGpuOperators.WriteBroadcastStrides(input.Shape, output.Shape, sourceStrides);
        return StridedCopy(b, op.Name, input, 0, [.. sourceStrides.Select(s => (int)s)], output, 0, Shapes.Strides(output.Shape), output.Shape);
    }

    /// <summary>slice: from the starts, every stride-th element along each axis.</summary>
    private static GpuKernel Slice(MLOperator op, KernelBuilder b)
    {
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        var attributes = op.AttributesAs<SliceAttributes>();
        var inputStrides = Shapes.Strides(input.Shape);
        int start = 0;
        var sourceStrides = new int[inputStrides.Length];
        for (int d = 0; d < inputStrides.Length; d++)
        {
            start += attributes.Starts[d] * inputStrides[d];
            sourceStrides[d] = attributes.Strides[d] * inputStrides[d];
        }
        return StridedCopy(b, op.Name, input, start, sourceStrides, output, 0, Shapes.Strides(output.Shape), output.Shape);
    }

    /// <summary>concat: one copy per input, into its place along the axis.</summary>
    private static IEnumerable<GpuKernel> Concat(MLOperator op, KernelBuilder b)
    {
        var output = b.Value(op.Outputs[0]);
        int axis = op.AttributesAs<ConcatAttributes>().Axis;
        var outputStrides = Shapes.Strides(output.Shape);
        var kernels = new List<GpuKernel>();
        int offset = 0;
        foreach (var (_, operand) in op.Inputs)
        {
            var input = b.Value(operand);
            kernels.Add(StridedCopy(b, op.Name, input, 0, Shapes.Strides(input.Shape), output, offset * outputStrides[axis], outputStrides, input.Shape));
            offset += input.Shape[axis];
        }
        return kernels;
    }

    /// <summary>split: one copy per output, from its place along the axis.</summary>
    private static IEnumerable<GpuKernel> Split(MLOperator op, KernelBuilder b)
    {
        var input = b.Value(op.Inputs[0].Operand);
        var attributes = op.AttributesAs<SplitAttributes>();
        var inputStrides = Shapes.Strides(input.Shape);
        var kernels = new List<GpuKernel>();
        int offset = 0;
        for (int i = 0; i < op.Outputs.Count; i++)
        {
            var output = b.Value(op.Outputs[i]);
            kernels.Add(StridedCopy(b, op.Name, input, offset * inputStrides[attributes.Axis], inputStrides, output, 0, Shapes.Strides(output.Shape), output.Shape));
            offset += attributes.Sizes[i];
        }
        return kernels;
    }

    /// <summary>The element at index i (over <paramref name="shape"/>) of each copy: source[sourceBase + Σ i_d·sourceStrides_d] to destination[destinationBase + Σ i_d·destinationStrides_d].</summary>
    public static GpuKernel StridedCopy(KernelBuilder b, string label, GpuValue source, int sourceBase, ReadOnlySpan<int> sourceStrides,
        GpuValue destination, int destinationBase, ReadOnlySpan<int> destinationStrides, int[] shape)
    {
        long count = Shapes.ElementCount(shape);
        var parameters = new uint[4 + 3 * MaxRank];
        (parameters[0], parameters[1], parameters[2], parameters[3]) = ((uint)count, (uint)shape.Length, (uint)sourceBase, (uint)destinationBase);
        for (int d = 0; d < shape.Length; d++)
        {
            parameters[4 + d] = (uint)shape[d];
            parameters[4 + MaxRank + d] = (uint)sourceStrides[d];
            parameters[4 + 2 * MaxRank + d] = (uint)destinationStrides[d];
        }
        return b.Kernel(label, StridedCopyWgsl, parameters, [source, destination], count);
    }

    /// <summary>pad: each output element from the input, or the fill value (constant mode), or the edge or mirrored element.</summary>
    private static GpuKernel Pad(MLOperator op, KernelBuilder b)
    {
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        var attributes = op.AttributesAs<PadAttributes>();
        uint mode = attributes.Mode switch
        {
            MLPaddingMode.Constant => 0,
            MLPaddingMode.Edge => 1,
            _ => 2,
        };
        var inputStrides = Shapes.Strides(input.Shape);
        var parameters = new uint[4 + 4 * MaxRank];
        (parameters[0], parameters[1], parameters[2], parameters[3]) = ((uint)output.ElementCount, (uint)output.Shape.Length, mode, HeldDataTypes.Word(attributes.Value, input.DataType));
        for (int d = 0; d < output.Shape.Length; d++)
        {
            parameters[4 + d] = (uint)output.Shape[d];
            parameters[4 + MaxRank + d] = (uint)input.Shape[d];
            parameters[4 + 2 * MaxRank + d] = (uint)inputStrides[d];
            parameters[4 + 3 * MaxRank + d] = (uint)attributes.BeginningPadding[d];
        }
        return b.Kernel(op.Name, PadWgsl, parameters, [input, output], output.ElementCount);
    }

    /// <summary>gather: output[outer, j, inner] = input[outer, index(indices[j]), inner].</summary>
    private static GpuKernel Gather(MLOperator op, KernelBuilder b)
    {
        var input = b.Value(op.Input("input")!);
        var indices = b.Value(op.Input("indices")!);
        var output = b.Value(op.Outputs[0]);
        int axis = op.AttributesAs<AxisAttributes>().Axis;
        uint inner = (uint)Shapes.ElementCount(input.Shape.AsSpan(axis + 1));
        uint[] parameters = [(uint)output.ElementCount, inner, (uint)indices.ElementCount, (uint)input.Shape[axis], IndexType(indices.DataType)];
        return b.Kernel(op.Name, GatherWgsl, parameters, [input, indices, output], output.ElementCount);
    }

    /// <summary>
    /// Copies 32-bit elements along strides. Parameters: [count, rank, sourceBase, destinationBase, shape[8],
    /// sourceStrides[8], destinationStrides[8]]: element i, at index (i_0 … i_rank-1) of shape, goes from
    /// x[sourceBase + Σ i_d·sourceStrides_d] to y[destinationBase + Σ i_d·destinationStrides_d].
    /// </summary>
    private const string StridedCopyWgsl = WgslKernels.Header + """
        @group(0) @binding(1) var<storage, read> x: array<u32>;
        @group(0) @binding(2) var<storage, read_write> y: array<u32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let i = invocation(g, n);
            if (i >= p[0]) { return; }
            var rest = i;
            var source = p[2];
            var destination = p[3];
            for (var d = i32(p[1]) - 1; d >= 0; d--) {
                let size = p[4u + u32(d)];
                let index = rest % size;
                rest = rest / size;
                source += index * p[12u + u32(d)];
                destination += index * p[20u + u32(d)];
            }
            y[destination] = x[source];
        }
        """;

    /// <summary>
    /// pad over 32-bit elements. Parameters: [count, rank, mode (0 constant, 1 edge, 2 reflection), fill value,
    /// outShape[8], inShape[8], inStrides[8], beginningPadding[8]].
    /// </summary>
    private const string PadWgsl = WgslKernels.Header + """
        @group(0) @binding(1) var<storage, read> x: array<u32>;
        @group(0) @binding(2) var<storage, read_write> y: array<u32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let i = invocation(g, n);
            if (i >= p[0]) { return; }
            var rest = i;
            var source = 0u;
            var inside = true;
            for (var d = i32(p[1]) - 1; d >= 0; d--) {
                let k = u32(d);
                let size = p[4u + k];
                var index = i32(rest % size) - i32(p[28u + k]);
                rest = rest / size;
                let inputSize = i32(p[12u + k]);
                if (index < 0 || index >= inputSize) {
                    if (p[2] == 0u) {
                        inside = false;
                    } else if (p[2] == 1u) {
                        index = clamp(index, 0, inputSize - 1);
                    } else {
                        index = select(2 * (inputSize - 1) - index, -index, index < 0);
                    }
                }
                source += u32(index) * p[20u + k];
            }
            if (inside) {
                y[i] = x[source];
            } else {
                y[i] = p[3];
            }
        }
        """;

    /// <summary>The indices' data type as <see cref="IndexFunctions"/>' <c>indexType</c> takes it.</summary>
    internal static uint IndexType(MLOperandDataType dataType) => dataType switch
    {
        MLOperandDataType.Int32 => 0,
        MLOperandDataType.Uint32 => 1,
        _ => 2,
    };

    /// <summary>
    /// WGSL that reads an index of the <c>indices</c> binding (array&lt;u32&gt;) the way the CPU does: <c>resolve_index(j,
    /// axisSize, indexType)</c>, with indexType 0 int32, 1 uint32, 2 int64 as two u32 words (low first), takes index j
    /// as a 64-bit integer; a negative one counts from the end, and the result is clamped into [0, axisSize).
    /// </summary>
    internal const string IndexFunctions = """
        fn resolve_index(j: u32, axisSize: u32, indexType: u32) -> u32 {
            var low = 0u;
            var high = 0u;
            switch indexType {
                case 0u: {
                    low = indices[j];
                    high = select(0u, 0xffffffffu, (low & 0x80000000u) != 0u);
                }
                case 1u: {
                    low = indices[j];
                }
                default: {
                    low = indices[2u * j];
                    high = indices[2u * j + 1u];
                }
            }
            if (high == 0u) { return min(low, axisSize - 1u); }
            // Negative and at least -axisSize: low - 2^32 + axisSize, which wraps to low + axisSize.
            if (high == 0xffffffffu && low >= 0u - axisSize) { return low + axisSize; }
            return select(0u, axisSize - 1u, (high & 0x80000000u) == 0u);
        }

        """;

    /// <summary>gather over 32-bit elements. Parameters: [count, inner, indexCount, axisSize, indexType].</summary>
    private const string GatherWgsl = WgslKernels.Header + IndexFunctions + """
        @group(0) @binding(1) var<storage, read> x: array<u32>;
        @group(0) @binding(2) var<storage, read> indices: array<u32>;
        @group(0) @binding(3) var<storage, read_write> y: array<u32>;

        @compute @workgroup_size(256)
        fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
            let i = invocation(g, n);
            if (i >= p[0]) { return; }
            let inner = p[1];
            let count = p[2];
            let j = (i / inner) % count;
            let outer = i / (inner * count);
            y[i] = x[(outer * p[3] + resolve_index(j, p[3], p[4])) * inner + i % inner];
        }
        """;
}
