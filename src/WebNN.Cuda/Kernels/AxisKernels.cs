using WebNN.Graph;
using static WebNN.Cuda.Kernels.ElementwiseKernels;

namespace WebNN.Cuda.Kernels;

/// <summary>
/// Generated kernels that walk one axis of a tensor seen as [outer, axis, inner], one thread per (outer, inner) pair:
/// argMin/argMax (the first index on ties; the first NaN where there is one, as on the CPU) and cumulativeSum
/// (running sums in the compute type, so float16 sums in float and integers wrap).
/// </summary>
internal static class AxisKernels
{
    public static void LowerArgMinMax(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        int axis = op.AttributesAs<ArgMinMaxAttributes>().Axis;
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        string better = op.Name == "argMax" ? "v > best" : "v < best";
        Add(b, input, axis, output, $$"""
            {{ComputeType(input.DataType)}} best = {{Load(input.DataType, "in0[start]")}};
            long long index = 0;
            for (long long k = 1; k < size && best == best; k++)
            {
                const {{ComputeType(input.DataType)}} v = {{Load(input.DataType, "in0[start + k * inner]")}};
                if (v != v || {{better}})
                {
                    best = v;
                    index = k;
                }
            }
            out[i] = ({{CType(output.DataType)}})index;
            """);
    }

    public static void LowerCumulativeSum(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var attributes = op.AttributesAs<CumulativeSumAttributes>();
        var input = b.Value(op.Inputs[0].Operand);
        string type = ComputeType(input.DataType);
        string position = attributes.Reversed ? "start + (size - 1 - k) * inner" : "start + k * inner";
        string store = Store(input.DataType, "sum");
        Add(b, input, attributes.Axis, b.Value(op.Outputs[0]), $$"""
            {{type}} sum = 0;
            for (long long k = 0; k < size; k++)
            {
                const long long p = {{position}};
                const {{type}} v = {{Load(input.DataType, "in0[p]")}};
                {{(attributes.Exclusive ? $"out[p] = {store};\n    sum += v;" : $"sum += v;\n    out[p] = {store};")}}
            }
            """);
    }

    /// <summary>
    /// Adds the kernel whose thread <c>i</c> runs <paramref name="body"/> for one (outer, inner) pair of <paramref name="input"/>
    /// along <paramref name="axis"/>: it sees <c>start</c> (the offset of the pair's first element), <c>size</c> and <c>inner</c>
    /// (the axis's length and stride), <c>in0</c> and <c>out</c>.
    /// </summary>
    private static void Add(CudaGraph.CudaGraphBuilder b, CudaValue input, int axis, CudaValue output, string body)
    {
        long inner = Shapes.ElementCount(input.Shape.AsSpan(axis + 1));
        long pairs = input.ElementCount / input.Shape[axis];
        string name = b.Program.Add(kernel => $$"""
            extern "C" __global__ void {{kernel}}(const {{CType(input.DataType)}}* in0, {{CType(output.DataType)}}* out)
            {
                const long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
                if (i >= {{pairs}}) return;
                const long long size = {{input.Shape[axis]}}, inner = {{inner}};
                const long long start = i / inner * size * inner + i % inner;
                {{body.ReplaceLineEndings("\n    ")}}
            }

            """);
        b.Step(new KernelLaunch(b.Program, name, pairs, [input, output]));
    }
}
