using System.Text;
using WebNN.Graph;

namespace WebNN.Cuda.Kernels;

/// <summary>
/// Generated kernels in which each thread computes one output element from many input elements: reductions
/// (over the reduced axes), the statistics of layer and instance normalization (mean and 1/√(variance + ε),
/// two passes as on the CPU), and 2-D pooling (over the window, padding skipped). One thread per output element
/// with a loop is simple and exact in order; it is not the fastest on large reductions.
/// </summary>
internal static class WindowKernels
{
    private static readonly string Infinity = ElementwiseKernels.FloatLiteral(double.PositiveInfinity);
    private static readonly string NegativeInfinity = ElementwiseKernels.FloatLiteral(double.NegativeInfinity);

    /// <summary>A reduction: the accumulator's start, its update from <c>v</c>, and the result from <c>acc</c> and <c>n</c> (the count).</summary>
    private static readonly Dictionary<string, (string Start, string Update, string Result)> Reductions = new(StringComparer.Ordinal)
    {
        ["reduceSum"] = ("0.0f", "acc + v", "acc"),
        ["reduceMean"] = ("0.0f", "acc + v", "acc / n"),
        ["reduceMax"] = (NegativeInfinity, "fmaxf(acc, v)", "acc"),
        ["reduceMin"] = (Infinity, "fminf(acc, v)", "acc"),
        ["reduceProduct"] = ("1.0f", "acc * v", "acc"),
        ["reduceL1"] = ("0.0f", "acc + fabsf(v)", "acc"),
        ["reduceL2"] = ("0.0f", "acc + v * v", "sqrtf(acc)"),
        ["reduceLogSum"] = ("0.0f", "acc + v", "logf(acc)"),
        ["reduceLogSumExp"] = ("0.0f", "acc + expf(v)", "logf(acc)"),
        ["reduceSumSquare"] = ("0.0f", "acc + v * v", "acc"),
    };

    public static IEnumerable<string> ReductionNames => Reductions.Keys;

    public static void LowerReduction(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var (start, update, result) = Reductions[op.Name];
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        var axes = op.AttributesAs<ReduceAttributes>().Axes;
        string name = b.Program.Add(kernel => GroupSource(kernel, input, axes, $"float acc = {start};", [("acc = " + update + ";", "")], [(output.DataType, result)]));
        b.Step(new KernelLaunch(b.Program, name, output.ElementCount, [input, output]));
    }

    /// <summary>
    /// Normalizes <paramref name="input"/> over <paramref name="axes"/> into <paramref name="output"/>: statistics per group into
    /// float32 scratch (as the CPU keeps them for float16 too), then (x − mean) · 1/√(variance + ε) · scale + bias, scale and
    /// bias read through their accesses when given.
    /// </summary>
    public static void Normalize(CudaGraph.CudaGraphBuilder b, CudaValue input, CudaValue output, int[] axes, double epsilon, StridedAccess? scale, StridedAccess? bias)
    {
        int[] kept = [.. input.Shape.Select((size, d) => axes.Contains(d) ? 1 : size)];
        var mean = b.Scratch(MLOperandDataType.Float32, kept);
        var inverseDeviation = b.Scratch(MLOperandDataType.Float32, kept);
        string name = b.Program.Add(kernel => GroupSource(kernel, input, axes,
            "float sum = 0.0f, squares = 0.0f;",
            [("sum += v;", "const float mean = sum / n;"), ("squares += (v - mean) * (v - mean);", "")],
            [(MLOperandDataType.Float32, "mean"), (MLOperandDataType.Float32, $"1.0f / sqrtf(squares / n + {ElementwiseKernels.FloatLiteral(epsilon)})")]));
        b.Step(new KernelLaunch(b.Program, name, mean.ElementCount, [input, mean, inverseDeviation]));
        var inputs = new List<StridedAccess>
        {
            StridedAccess.Contiguous(input), StridedAccess.Broadcast(mean, input.Shape), StridedAccess.Broadcast(inverseDeviation, input.Shape),
        };
        string value = "(x0 - x1) * x2";
        foreach (var (access, operation) in new[] { (scale, "*"), (bias, "+") })
        {
            if (access is not null)
            {
                inputs.Add(access);
                value = $"{value} {operation} x{inputs.Count - 1}";
            }
        }
        ElementwiseKernels.Add(b, output.Shape, StridedAccess.Contiguous(output), [.. inputs], $"y = {value};");
    }

    /// <summary>
    /// One thread per group of <paramref name="input"/> (its elements that differ only along <paramref name="axes"/>), in the
    /// order of the shape with those axes set to 1. The thread runs <paramref name="start"/>, then for each pass loops over the
    /// group's <c>n</c> elements (<c>v</c> each, in float) running the pass's body, then its epilogue, then stores each of
    /// <paramref name="results"/> (an expression, and the type of its output) in <c>out0[i]</c>, <c>out1[i]</c>, ....
    /// </summary>
    public static string GroupSource(string name, CudaValue input, int[] axes, string start, (string Body, string After)[] passes, (MLOperandDataType DataType, string Value)[] results)
    {
        var strides = Shapes.Strides(input.Shape);
        var outer = Enumerable.Range(0, input.Rank()).Where(d => !axes.Contains(d) && input.Shape[d] > 1).ToArray();
        var inner = axes.Where(d => input.Shape[d] > 1).OrderBy(d => d).ToArray();
        long groups = outer.Aggregate(1L, (n, d) => n * input.Shape[d]);
        long count = inner.Aggregate(1L, (n, d) => n * input.Shape[d]);
        string index = input.ElementCount > int.MaxValue ? "long long" : "int";
        var source = new StringBuilder();
        source.Append($"extern \"C\" __global__ void {name}(const {ElementwiseKernels.CType(input.DataType)}* in0, {string.Join(", ", results.Select((r, k) => $"{ElementwiseKernels.CType(r.DataType)}* out{k}"))})\n{{\n");
        source.Append($"    const {index} i = ({index})blockIdx.x * blockDim.x + threadIdx.x;\n    if (i >= {groups}) return;\n");
        source.Append($"    const float n = {count}.0f;\n    {index} r = i, c, base = 0;\n");
        foreach (int d in outer.Reverse())
        {
            source.Append($"    c = r % {input.Shape[d]}; r /= {input.Shape[d]}; base += c * {strides[d]};\n");
        }
        foreach (string line in start.Split('\n'))
        {
            source.Append("    ").Append(line).Append('\n');
        }
        foreach (var (body, after) in passes)
        {
            source.Append($"    for ({index} j = 0; j < {count}; j++)\n    {{\n        {index} q = j, e, a = base;\n");
            foreach (int d in inner.Reverse())
            {
                source.Append($"        e = q % {input.Shape[d]}; q /= {input.Shape[d]}; a += e * {strides[d]};\n");
            }
            source.Append($"        const float v = {ElementwiseKernels.Load(input.DataType, "in0[a]")};\n        {body}\n    }}\n");
            if (after.Length > 0)
            {
                source.Append("    ").Append(after).Append('\n');
            }
        }
        for (int k = 0; k < results.Length; k++)
        {
            source.Append($"    out{k}[i] = {ElementwiseKernels.Store(results[k].DataType, results[k].Value)};\n");
        }
        return source.Append("}\n").ToString();
    }

    /// <summary>
    /// averagePool2d, maxPool2d and l2Pool2d: one thread per output element walks its window (dilated, from
    /// output · stride − beginning padding), skipping positions outside the input. Average divides by the positions
    /// inside (0 when none, as on the CPU); max starts at −∞.
    /// </summary>
    public static void LowerPool2d(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var attributes = op.AttributesAs<Pool2dAttributes>();
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        var (start, update, result) = op.Name switch
        {
            "maxPool2d" => (NegativeInfinity, "fmaxf(acc, v)", "acc"),
            "l2Pool2d" => ("0.0f", "acc + v * v", "sqrtf(acc)"),
            _ => ("0.0f", "acc + v", "count == 0 ? 0.0f : acc / count"),
        };
        string name = b.Program.Add(kernel => PoolSource(kernel, input, output.Shape, attributes, start, update, result));
        b.Step(new KernelLaunch(b.Program, name, output.ElementCount, [input, output]));
    }

    private static string PoolSource(string name, CudaValue input, int[] outputShape, Pool2dAttributes p, string start, string update, string result)
    {
        var inputShape = input.Shape;
        var dataType = input.DataType;
        bool nhwc = p.Layout == MLInputOperandLayout.Nhwc;
        var (channels, height, width) = nhwc ? (inputShape[3], inputShape[1], inputShape[2]) : (inputShape[1], inputShape[2], inputShape[3]);
        var (outputHeight, outputWidth) = nhwc ? (outputShape[1], outputShape[2]) : (outputShape[2], outputShape[3]);
        string index = Shapes.ElementCount(inputShape) > int.MaxValue || Shapes.ElementCount(outputShape) > int.MaxValue ? "long long" : "int";
        string split = nhwc
            ? $"const {index} ch = r % {channels}; r /= {channels}; const int ow = r % {outputWidth}; r /= {outputWidth}; const int oh = r % {outputHeight}; const {index} batch = r / {outputHeight};"
            : $"const int ow = r % {outputWidth}; r /= {outputWidth}; const int oh = r % {outputHeight}; r /= {outputHeight}; const {index} ch = r % {channels}; const {index} batch = r / {channels};";
        string address = nhwc
            ? $"((batch * {height} + h) * {width} + w) * {channels} + ch"
            : $"((batch * {channels} + ch) * {height} + h) * {width} + w";
        return $$"""
            extern "C" __global__ void {{name}}(const {{ElementwiseKernels.CType(dataType)}}* in0, {{ElementwiseKernels.CType(dataType)}}* out0)
            {
                const {{index}} i = ({{index}})blockIdx.x * blockDim.x + threadIdx.x;
                if (i >= {{Shapes.ElementCount(outputShape)}}) return;
                {{index}} r = i;
                {{split}}
                float acc = {{start}};
                int count = 0;
                for (int kh = 0; kh < {{p.WindowDimensions[0]}}; kh++)
                {
                    const int h = oh * {{p.Strides[0]}} - {{p.Padding[0]}} + kh * {{p.Dilations[0]}};
                    if (h < 0 || h >= {{height}}) continue;
                    for (int kw = 0; kw < {{p.WindowDimensions[1]}}; kw++)
                    {
                        const int w = ow * {{p.Strides[1]}} - {{p.Padding[2]}} + kw * {{p.Dilations[1]}};
                        if (w < 0 || w >= {{width}}) continue;
                        const float v = {{ElementwiseKernels.Load(dataType, $"in0[{address}]")}};
                        acc = {{update}};
                        count++;
                    }
                }
                out0[i] = {{ElementwiseKernels.Store(dataType, result)}};
            }

            """;
    }

    private static int Rank(this CudaValue value) => value.Shape.Length;
}
