using WebNN.Cuda.Interop;
using WebNN.Graph;

namespace WebNN.Cuda.Kernels;

/// <summary>
/// conv2d through cuDNN. The input and output keep their layout (NCHW or NHWC); the filter must be OIHW beside
/// NCHW and OHWI beside NHWC, so other filter layouts are transposed (once at build for a constant filter).
/// cuDNN pads both sides alike, so where WebNN's padding differs between the sides the input is first padded
/// by the difference. A fused relu runs in cuDNN's fused path (cudnnConvolutionBiasActivationForward); a
/// fused bias or other activation runs in a generated epilogue. The algorithm is the fastest that
/// cudnnFindConvolutionForwardAlgorithm measures on the real shapes at build, with FMA math for float32
/// (no TF32) unless the context allows TF32.
/// </summary>
internal static class CudnnConvolution
{
    public static void Lower(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var attributes = op.AttributesAs<Conv2dAttributes>();
        var input = b.Value(op.Input("input")!);
        var output = b.Value(op.Outputs[0]);
        bool nhwc = attributes.InputLayout == MLInputOperandLayout.Nhwc;
        var filter = FilterInLayout(op, b, nhwc ? "ohwi" : "oihw");
        var bias = op.Input("bias") is { } biasOperand ? b.Value(biasOperand) : null;

        // cuDNN pads symmetrically: pad each side by the smaller of WebNN's two, and the input by the rest.
        int padH = Math.Min(attributes.Padding[0], attributes.Padding[1]);
        int padW = Math.Min(attributes.Padding[2], attributes.Padding[3]);
        int[] extraBegin = [attributes.Padding[0] - padH, attributes.Padding[2] - padW];
        int[] extraEnd = [attributes.Padding[1] - padH, attributes.Padding[3] - padW];
        if (extraBegin.Any(p => p > 0) || extraEnd.Any(p => p > 0))
        {
            input = PaddedInput(b, input, nhwc, extraBegin, extraEnd);
        }

        var activation = attributes.Activation;
        bool fusedRelu = activation?.Operator == "relu";
        if (fusedRelu && bias is null)
        {
            bias = b.Constant(output.DataType, [nhwc ? output.Shape[3] : output.Shape[1]]);
        }
        var step = new ConvolutionStep(b.Context, input, filter, fusedRelu ? bias : null, output, attributes, nhwc, padH, padW);
        b.Workspace(step.WorkspaceBytes);
        b.Step(step);
        if (!fusedRelu && (bias is not null || activation is not null))
        {
            var y = StridedAccess.Contiguous(output);
            var inputs = new List<StridedAccess> { y };
            string value = "x0";
            if (bias is not null)
            {
                int channelAxis = nhwc ? 3 : 1;
                inputs.Add(new StridedAccess(bias, 0, [.. output.Shape.Select((_, d) => d == channelAxis ? 1L : 0L)]));
                value = "x0 + x1";
            }
            string expression = activation is null ? "v" : CudaOperators.ActivationExpression(activation.Operator, activation.Attributes);
            ElementwiseKernels.Add(b, output.Shape, y, [.. inputs], $"const float v = {value};\ny = {expression};");
        }
    }

    /// <summary>The filter in <paramref name="layout"/> (letters o, i, h, w): as it is when it already is, else transposed into memory of the graph's.</summary>
    private static CudaValue FilterInLayout(MLOperator op, CudaGraph.CudaGraphBuilder b, string layout)
    {
        var operand = op.Input("filter")!;
        var filter = b.Value(operand);
        string source = op.AttributesAs<Conv2dAttributes>().FilterLayout.ToString().ToLowerInvariant();
        if (source == layout)
        {
            return filter;
        }
        int[] permutation = [.. layout.Select(axis => source.IndexOf(axis))];
        int[] shape = [.. permutation.Select(p => filter.Shape[p])];
        var transposed = b.IsConstant(operand) ? b.Constant(filter.DataType, shape) : b.Scratch(filter.DataType, shape);
        string name = b.Program.Add(kernel => ElementwiseKernels.Source(kernel, shape, StridedAccess.Contiguous(transposed), [StridedAccess.Permuted(filter, permutation)], "y = x0;"));
        var launch = new KernelLaunch(b.Program, name, transposed.ElementCount, [filter, transposed]);
        if (b.IsConstant(operand))
        {
            b.BuildStep(launch);
        }
        else
        {
            b.Step(launch);
        }
        return transposed;
    }

    /// <summary>The input with zeros added on the height and width axes (<paramref name="begin"/> and <paramref name="end"/> as [height, width]), in scratch memory.</summary>
    private static CudaValue PaddedInput(CudaGraph.CudaGraphBuilder b, CudaValue input, bool nhwc, int[] begin, int[] end)
    {
        int h = nhwc ? 1 : 2, w = nhwc ? 2 : 3;
        int[] shape = [.. input.Shape];
        shape[h] += begin[0] + end[0];
        shape[w] += begin[1] + end[1];
        int[] position = new int[4];
        position[h] = begin[0];
        position[w] = begin[1];
        var padded = b.Scratch(input.DataType, shape);
        ElementwiseKernels.Add(b, shape, StridedAccess.Contiguous(padded), [StridedAccess.Padded(input, position)], "y = x0;");
        return padded;
    }

    /// <summary>One cuDNN convolution: its descriptors, made at build, and the chosen algorithm.</summary>
    private sealed class ConvolutionStep : CudaStep
    {
        private readonly CudaValue _input, _filter, _output;
        private readonly CudaValue? _bias;
        private readonly nint _inputDescriptor, _filterDescriptor, _convolution, _outputDescriptor, _biasDescriptor, _activation;
        private readonly int _algorithm;

        public ConvolutionStep(CudaContext context, CudaValue input, CudaValue filter, CudaValue? bias, CudaValue output, Conv2dAttributes attributes, bool nhwc, int padH, int padW)
        {
            _input = input;
            _filter = filter;
            _bias = bias;
            _output = output;
            int format = nhwc ? Cudnn.FormatNhwc : Cudnn.FormatNchw;
            int dataType = Cudnn.DataFloat;
            _inputDescriptor = TensorDescriptor(format, dataType, input.Shape, nhwc);
            _outputDescriptor = TensorDescriptor(format, dataType, output.Shape, nhwc);
            Cudnn.Check(Cudnn.cudnnCreateFilterDescriptor(out _filterDescriptor), "cudnnCreateFilterDescriptor");
            // OIHW and OHWI both list [o, i, h, w] in their own order; cuDNN takes (k, c, h, w) and the format.
            var f = filter.Shape;
            var (k, c, fh, fw) = nhwc ? (f[0], f[3], f[1], f[2]) : (f[0], f[1], f[2], f[3]);
            Cudnn.Check(Cudnn.cudnnSetFilter4dDescriptor(_filterDescriptor, dataType, format, k, c, fh, fw), "cudnnSetFilter4dDescriptor");
            Cudnn.Check(Cudnn.cudnnCreateConvolutionDescriptor(out _convolution), "cudnnCreateConvolutionDescriptor");
            Cudnn.Check(Cudnn.cudnnSetConvolution2dDescriptor(_convolution, padH, padW, attributes.Strides[0], attributes.Strides[1],
                attributes.Dilations[0], attributes.Dilations[1], Cudnn.CrossCorrelation, Cudnn.DataFloat), "cudnnSetConvolution2dDescriptor");
            Cudnn.Check(Cudnn.cudnnSetConvolutionGroupCount(_convolution, attributes.Groups), "cudnnSetConvolutionGroupCount");
            Cudnn.Check(Cudnn.cudnnSetConvolutionMathType(_convolution, context.AllowTf32 ? Cudnn.TensorOpMath : Cudnn.FmaMath), "cudnnSetConvolutionMathType");
            if (bias is not null)
            {
                _biasDescriptor = TensorDescriptor(Cudnn.FormatNchw, dataType, [1, bias.Shape[0], 1, 1], nhwc: false);
                Cudnn.Check(Cudnn.cudnnCreateActivationDescriptor(out _activation), "cudnnCreateActivationDescriptor");
                Cudnn.Check(Cudnn.cudnnSetActivationDescriptor(_activation, Cudnn.ActivationRelu, Cudnn.PropagateNan, 0), "cudnnSetActivationDescriptor");
            }
            (_algorithm, WorkspaceBytes) = FastestAlgorithm(context);
        }

        public nuint WorkspaceBytes { get; }

        private unsafe (int Algorithm, nuint Workspace) FastestAlgorithm(CudaContext context)
        {
            const int Requested = 8;
            var results = stackalloc Cudnn.ConvolutionFwdAlgoPerf[Requested];
            Cudnn.Check(Cudnn.cudnnFindConvolutionForwardAlgorithm(context.CudnnHandle, _inputDescriptor, _filterDescriptor, _convolution, _outputDescriptor,
                Requested, out int returned, results), "cudnnFindConvolutionForwardAlgorithm");
            // Results come fastest first; those that failed carry their status.
            for (int i = 0; i < returned; i++)
            {
                if (results[i].Status == 0)
                {
                    Cudnn.Check(Cudnn.cudnnSetConvolutionMathType(_convolution, results[i].MathType), "cudnnSetConvolutionMathType");
                    return (results[i].Algo, results[i].Memory);
                }
            }
            throw new CudaException($"cudnnFindConvolutionForwardAlgorithm found no algorithm for input {Shapes.Format(_input.Shape)} and filter {Shapes.Format(_filter.Shape)}.");
        }

        private static nint TensorDescriptor(int format, int dataType, int[] shape, bool nhwc)
        {
            Cudnn.Check(Cudnn.cudnnCreateTensorDescriptor(out nint descriptor), "cudnnCreateTensorDescriptor");
            var (n, c, h, w) = nhwc ? (shape[0], shape[3], shape[1], shape[2]) : (shape[0], shape[1], shape[2], shape[3]);
            Cudnn.Check(Cudnn.cudnnSetTensor4dDescriptor(descriptor, format, dataType, n, c, h, w), "cudnnSetTensor4dDescriptor");
            return descriptor;
        }

        public override unsafe void Run(CudaRun run)
        {
            float one = 1, zero = 0;
            ulong output = run.Pointer(_output);
            if (_bias is null)
            {
                Cudnn.Check(Cudnn.cudnnConvolutionForward(run.Context.CudnnHandle, &one, _inputDescriptor, run.Pointer(_input), _filterDescriptor, run.Pointer(_filter),
                    _convolution, _algorithm, run.Workspace, run.WorkspaceBytes, &zero, _outputDescriptor, output), "cudnnConvolutionForward");
                return;
            }
            Cudnn.Check(Cudnn.cudnnConvolutionBiasActivationForward(run.Context.CudnnHandle, &one, _inputDescriptor, run.Pointer(_input), _filterDescriptor, run.Pointer(_filter),
                _convolution, _algorithm, run.Workspace, run.WorkspaceBytes, &zero, _outputDescriptor, output, _biasDescriptor, run.Pointer(_bias),
                _activation, _outputDescriptor, output), "cudnnConvolutionBiasActivationForward");
        }

        public override void Dispose()
        {
            _ = Cudnn.cudnnDestroyTensorDescriptor(_inputDescriptor);
            _ = Cudnn.cudnnDestroyTensorDescriptor(_outputDescriptor);
            _ = Cudnn.cudnnDestroyFilterDescriptor(_filterDescriptor);
            _ = Cudnn.cudnnDestroyConvolutionDescriptor(_convolution);
            if (_bias is not null)
            {
                _ = Cudnn.cudnnDestroyTensorDescriptor(_biasDescriptor);
                _ = Cudnn.cudnnDestroyActivationDescriptor(_activation);
            }
        }
    }
}
