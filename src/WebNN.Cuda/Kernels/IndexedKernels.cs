using System.Text;
using WebNN.Graph;
using static WebNN.Cuda.Kernels.ElementwiseKernels;

namespace WebNN.Cuda.Kernels;

/// <summary>
/// Generated kernels in which each thread computes one output element from its coordinates, reading inputs at
/// addresses computed from them (and from index tensors): pad, tile, triangular, gather, gatherElements, gatherND,
/// scatterElements, scatterND, resample2d, quantizeLinear and dequantizeLinear. Their semantics are the CPU backend's: a negative index counts from the
/// end and an index still out of range is clamped; quantization rounds half to even, then saturates.
/// </summary>
internal static class IndexedKernels
{
    /// <summary>
    /// Adds a kernel with one thread per element of <paramref name="output"/>: <paramref name="body"/> sees the element's
    /// offset <c>i</c>, its coordinates <c>c0</c>, <c>c1</c>, ... (64-bit) and the inputs <c>in0</c>, <c>in1</c>, ..., and assigns <c>y</c>
    /// (in the output's <see cref="ElementwiseKernels.ComputeType"/>).
    /// </summary>
    public static void Add(CudaGraph.CudaGraphBuilder b, CudaValue output, CudaValue[] inputs, string body)
    {
        string name = b.Program.Add(kernel => Source(kernel, output, inputs, body));
        b.Step(new KernelLaunch(b.Program, name, output.ElementCount, [.. inputs, output]));
    }

    public static string Source(string name, CudaValue output, CudaValue[] inputs, string body)
    {
        var source = new StringBuilder();
        source.Append($"extern \"C\" __global__ void {name}(");
        source.Append(string.Join(", ", inputs.Select((x, k) => $"const {CType(x.DataType)}* in{k}").Append($"{CType(output.DataType)}* out")));
        source.Append(")\n{\n");
        source.Append("    const long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;\n");
        source.Append($"    if (i >= {output.ElementCount}) return;\n    long long r = i;\n");
        for (int d = output.Shape.Length - 1; d >= 0; d--)
        {
            source.Append($"    const long long c{d} = r % {output.Shape[d]}; r /= {output.Shape[d]};\n");
        }
        source.Append($"    {ComputeType(output.DataType)} y;\n");
        foreach (string line in body.Split('\n'))
        {
            source.Append("    ").Append(line).Append('\n');
        }
        source.Append($"    out[i] = {Store(output.DataType, "y")};\n}}\n");
        return source.ToString();
    }

    /// <summary>The statement that makes <c>index</c> (read as a 64-bit integer) an index along a dimension of <paramref name="size"/>: from the end when negative, then clamped.</summary>
    private static string Resolve(string index, int size) =>
        $"{index} = {index} < 0 ? {index} + {size} : {index}; {index} = {index} < 0 ? 0 : {index} > {size - 1} ? {size - 1} : {index};";

    /// <summary>constant, edge or reflection padding: each output coordinate less the beginning padding, mapped into the input by the mode.</summary>
    public static void LowerPad(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var attributes = op.AttributesAs<PadAttributes>();
        var input = b.Value(op.Inputs[0].Operand);
        var body = new StringBuilder("long long a = 0, j;\nbool inside = true;\n");
        for (int d = 0; d < input.Shape.Length; d++)
        {
            int size = input.Shape[d];
            body.Append($"j = c{d} - {attributes.BeginningPadding[d]};\n");
            body.Append(attributes.Mode switch
            {
                MLPaddingMode.Edge => $"j = j < 0 ? 0 : j > {size - 1} ? {size - 1} : j;\n",
                MLPaddingMode.Reflection => $"j = j < 0 ? -j : j > {size - 1} ? {2 * (size - 1)} - j : j;\n",
                _ => $"inside = inside && j >= 0 && j < {size};\n",
            });
            body.Append($"a = a * {size} + j;\n");
        }
        body.Append($"y = inside ? {Load(input.DataType, "in0[a]")} : {Literal(input.DataType, attributes.Value)};");
        Add(b, b.Value(op.Outputs[0]), [input], body.ToString());
    }

    /// <summary>Each output coordinate modulo the input's size along its axis.</summary>
    public static void LowerTile(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var input = b.Value(op.Inputs[0].Operand);
        var body = new StringBuilder("long long a = 0;\n");
        for (int d = 0; d < input.Shape.Length; d++)
        {
            body.Append($"a = a * {input.Shape[d]} + c{d} % {input.Shape[d]};\n");
        }
        body.Append($"y = {Load(input.DataType, "in0[a]")};");
        Add(b, b.Value(op.Outputs[0]), [input], body.ToString());
    }

    /// <summary>Keeps the elements on the kept side of the diagonal of the last two axes (column − row against the diagonal), zero elsewhere.</summary>
    public static void LowerTriangular(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var attributes = op.AttributesAs<TriangularAttributes>();
        var input = b.Value(op.Inputs[0].Operand);
        int rank = input.Shape.Length;
        string kept = $"c{rank - 1} - c{rank - 2} {(attributes.Upper ? ">=" : "<=")} {attributes.Diagonal}";
        Add(b, b.Value(op.Outputs[0]), [input], $"y = {kept} ? {Load(input.DataType, "in0[i]")} : ({ComputeType(input.DataType)})0;");
    }

    /// <summary>output[outer, j…, inner] = input[outer, indices[j…], inner].</summary>
    public static void LowerGather(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        int axis = op.AttributesAs<AxisAttributes>().Axis;
        var input = b.Value(op.Input("input")!);
        var indices = b.Value(op.Input("indices")!);
        int indexRank = indices.Shape.Length;
        var body = new StringBuilder("long long p = 0, a = 0;\n");
        for (int d = 0; d < indexRank; d++)
        {
            body.Append($"p = p * {indices.Shape[d]} + c{axis + d};\n");
        }
        body.Append("long long index = (long long)in1[p];\n").Append(Resolve("index", input.Shape[axis])).Append('\n');
        for (int d = 0; d < input.Shape.Length; d++)
        {
            string coordinate = d < axis ? $"c{d}" : d == axis ? "index" : $"c{d - 1 + indexRank}";
            body.Append($"a = a * {input.Shape[d]} + {coordinate};\n");
        }
        body.Append($"y = {Load(input.DataType, "in0[a]")};");
        Add(b, b.Value(op.Outputs[0]), [input, indices], body.ToString());
    }

    /// <summary>output[c] = input[c with its coordinate along the axis replaced by indices[c]].</summary>
    public static void LowerGatherElements(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        int axis = op.AttributesAs<AxisAttributes>().Axis;
        var input = b.Value(op.Input("input")!);
        var indices = b.Value(op.Input("indices")!);
        var body = new StringBuilder("long long index = (long long)in1[i], a = 0;\n").Append(Resolve("index", input.Shape[axis])).Append('\n');
        for (int d = 0; d < input.Shape.Length; d++)
        {
            body.Append($"a = a * {input.Shape[d]} + {(d == axis ? "index" : $"c{d}")};\n");
        }
        body.Append($"y = {Load(input.DataType, "in0[a]")};");
        Add(b, b.Value(op.Outputs[0]), [input, indices], body.ToString());
    }

    /// <summary>
    /// The last axis of indices holds the first k coordinates of a slice of the input: output[batch…, rest…] =
    /// input[indices[batch…, 0..k), rest…].
    /// </summary>
    public static void LowerGatherND(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var input = b.Value(op.Input("input")!);
        var indices = b.Value(op.Input("indices")!);
        int batchRank = indices.Shape.Length - 1;
        int k = indices.Shape[^1];
        var body = new StringBuilder("long long p = 0, a = 0, index;\n");
        for (int d = 0; d < batchRank; d++)
        {
            body.Append($"p = p * {indices.Shape[d]} + c{d};\n");
        }
        for (int j = 0; j < k; j++)
        {
            body.Append($"index = (long long)in1[p * {k} + {j}];\n").Append(Resolve("index", input.Shape[j])).Append('\n');
            body.Append($"a = a * {input.Shape[j]} + index;\n");
        }
        for (int d = k; d < input.Shape.Length; d++)
        {
            body.Append($"a = a * {input.Shape[d]} + c{batchRank + d - k};\n");
        }
        body.Append($"y = {Load(input.DataType, "in0[a]")};");
        Add(b, b.Value(op.Outputs[0]), [input, indices], body.ToString());
    }

    /// <summary>
    /// output = input with updates written where indices point along the axis. Each output element looks for the last
    /// update along the axis that lands on it (so that, as on the CPU, the later of two updates of one element wins, with
    /// no race between threads); it reads the input where none does.
    /// </summary>
    public static void LowerScatterElements(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        int axis = op.AttributesAs<AxisAttributes>().Axis;
        var input = b.Value(op.Input("input")!);
        var indices = b.Value(op.Input("indices")!);
        var updates = b.Value(op.Input("updates")!);
        // The offset in indices (and updates) of the element with the output's coordinates but k along the axis.
        string offset = string.Join(" + ", Shapes.Strides(indices.Shape).Select((stride, d) => $"{(d == axis ? "k" : $"c{d}")} * {stride}"));
        string body = $$"""
            y = {{Load(input.DataType, "in0[i]")}};
            for (long long k = {{indices.Shape[axis] - 1}}; k >= 0; k--)
            {
                const long long u = {{offset}};
                long long index = (long long)in1[u];
                {{Resolve("index", input.Shape[axis])}}
                if (index == c{{axis}})
                {
                    y = {{Load(updates.DataType, "in2[u]")}};
                    break;
                }
            }
            """;
        Add(b, b.Value(op.Outputs[0]), [input, indices, updates], body);
    }

    /// <summary>
    /// output = input with each slice of updates written where its row of indices (the first k coordinates) points. Each
    /// output element looks for the last row that points at its slice (the later update wins, as on the CPU); it reads the
    /// input where none does. The search is over every row: simple and exact, slow for very many rows.
    /// </summary>
    public static void LowerScatterND(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var input = b.Value(op.Input("input")!);
        var indices = b.Value(op.Input("indices")!);
        var updates = b.Value(op.Input("updates")!);
        int k = indices.Shape[^1];
        long rows = indices.ElementCount / k;
        long sliceLength = Shapes.ElementCount(input.Shape.AsSpan(k));
        var match = new StringBuilder("bool match = true;\nlong long index;\n");
        for (int j = 0; j < k; j++)
        {
            match.Append($"index = (long long)in1[s * {k} + {j}];\n").Append(Resolve("index", input.Shape[j])).Append('\n');
            match.Append($"match = match && index == c{j};\n");
        }
        string body = $$"""
            y = {{Load(input.DataType, "in0[i]")}};
            for (long long s = {{rows - 1}}; s >= 0; s--)
            {
                {{match.ToString().TrimEnd().ReplaceLineEndings("\n    ")}}
                if (match)
                {
                    y = {{Load(updates.DataType, $"in2[s * {sliceLength} + i % {sliceLength}]")}};
                    break;
                }
            }
            """;
        Add(b, b.Value(op.Outputs[0]), [input, indices, updates], body);
    }

    /// <summary>
    /// resample2d on two axes: each output coordinate samples the input at (o + 0.5) / scale − 0.5, clamped (as the
    /// frontend's <see cref="Resample2dAttributes.Samples"/> computes it, in double); nearest-neighbor takes ⌈c − 0.5⌉, linear
    /// interpolates in float32 with each step rounded as written (no fused multiply-add, as on the CPU), and rounds to an
    /// integer type half to even.
    /// </summary>
    public static void LowerResample2d(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var attributes = op.AttributesAs<Resample2dAttributes>();
        var input = b.Value(op.Inputs[0].Operand);
        var output = b.Value(op.Outputs[0]);
        bool linear = attributes.Mode == MLInterpolationMode.Linear;
        var strides = Shapes.Strides(input.Shape);
        var body = new StringBuilder($"const long long start = {string.Join(" + ", Enumerable.Range(0, 4).Where(d => !attributes.Axes.Contains(d)).Select(d => $"c{d} * {strides[d]}"))};\n");
        for (int i = 0; i < 2; i++)
        {
            int axis = attributes.Axes[i];
            body.Append($"const double coordinate{i} = fmin(fmax((c{axis} + 0.5) / (double){FloatLiteral(attributes.Scales[i])} - 0.5, 0.0), {input.Shape[axis] - 1}.0);\n");
            body.Append(linear
                ? $"const long long low{i} = (long long)floor(coordinate{i}) * {strides[axis]}, high{i} = (long long)ceil(coordinate{i}) * {strides[axis]};\n" +
                  $"const float weight{i} = (float)(coordinate{i} - floor(coordinate{i}));\n"
                : $"const long long low{i} = (long long)ceil(coordinate{i} - 0.5) * {strides[axis]};\n");
        }
        if (linear)
        {
            string At(string first, string second) => $"(float){Load(input.DataType, $"in0[start + {first} + {second}]")}";
            static string Lerp(string low, string high, string weight) => $"__fadd_rn(__fmul_rn({low}, __fsub_rn(1.0f, {weight})), __fmul_rn({high}, {weight}))";
            body.Append($"const float lowRow = {Lerp(At("low0", "low1"), At("low0", "high1"), "weight1")};\n");
            body.Append($"const float highRow = {Lerp(At("high0", "low1"), At("high0", "high1"), "weight1")};\n");
            body.Append($"const float value = {Lerp("lowRow", "highRow", "weight0")};\n");
            bool integer = input.DataType is not (MLOperandDataType.Float32 or MLOperandDataType.Float16);
            body.Append($"y = {(integer ? Saturated(input.DataType, "rint((double)value)") : "value")};");
        }
        else
        {
            body.Append($"y = {Load(input.DataType, "in0[start + low0 + low1]")};");
        }
        Add(b, output, [input], body.ToString());
    }

    /// <summary>
    /// quantizeLinear, saturate(roundEven(input / scale) + zeroPoint), and dequantizeLinear, (input − zeroPoint) · scale, with
    /// scale and zero point (of the input's rank) broadcast blockwise: each of their elements covers a block of the input.
    /// </summary>
    public static void LowerQuantization(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var input = b.Value(op.Input("input")!);
        var scale = b.Value(op.Input("scale")!);
        var zeroPoint = b.Value(op.Input("zeroPoint")!);
        var output = b.Value(op.Outputs[0]);
        var body = new StringBuilder("long long p = 0;\n");
        for (int d = 0; d < input.Shape.Length; d++)
        {
            body.Append($"p = p * {scale.Shape[d]} + c{d} / {input.Shape[d] / scale.Shape[d]};\n");
        }
        body.Append($"const float s = {Load(scale.DataType, "in1[p]")};\nconst double z = (double)in2[p];\n");
        if (op.Name == "quantizeLinear")
        {
            // Rounded before the zero point is added, as on the CPU: 2.5 + (−1) is 1, not roundEven(1.5) = 2.
            body.Append($"const double q = rint((double)({Load(input.DataType, "in0[i]")} / s)) + z;\n");
            body.Append($"y = {Saturated(output.DataType, "q")};");
        }
        else
        {
            body.Append($"y = (float)(((double)in0[i] - z) * (double)s);");
        }
        Add(b, output, [input, scale, zeroPoint], body.ToString());
    }

    /// <summary>
    /// The double <paramref name="value"/> (already integral or to be truncated toward zero) as the integer <paramref name="dataType"/>,
    /// saturated to its range, NaN as 0 (the CPU backend's narrowing).
    /// </summary>
    public static string Saturated(MLOperandDataType dataType, string value)
    {
        var (min, max, minimum, maximum) = dataType switch
        {
            MLOperandDataType.Int8 => ("-128.0", "127.0", "-128", "127"),
            MLOperandDataType.Uint8 => ("0.0", "255.0", "0", "255"),
            MLOperandDataType.Int32 => ("-2147483648.0", "2147483647.0", "(-2147483647 - 1)", "2147483647"),
            MLOperandDataType.Uint32 => ("0.0", "4294967295.0", "0u", "4294967295u"),
            // 2⁶³ and 2⁶⁴ as doubles: every double below them converts.
            MLOperandDataType.Int64 => ("-9223372036854775808.0", "9223372036854775808.0", "(-9223372036854775807LL - 1)", "9223372036854775807LL"),
            MLOperandDataType.Uint64 => ("0.0", "18446744073709551616.0", "0ULL", "18446744073709551615ULL"),
            _ => throw new ArgumentOutOfRangeException(nameof(dataType), $"{dataType.SpecName()} is not an integer type."),
        };
        string type = CType(dataType);
        return $"({value} != {value} ? ({type})0 : {value} <= {min} ? ({type}){minimum} : {value} >= {max} ? ({type}){maximum} : ({type}){value})";
    }
}
