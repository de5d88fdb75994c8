using WebNN.Cuda.Interop;
using WebNN.Graph;

namespace WebNN.Cuda.Kernels;

/// <summary>
/// conv2d through cuDNN, float16 on tensor cores accumulating in float32. cuDNN takes the filter as OIHW beside NCHW tensors and OHWI beside NHWC ones, so other
/// filter layouts are transposed (once at build for a constant filter). cuDNN pads both sides alike, so where
/// WebNN's padding differs between the sides the input is first padded by the difference. The algorithm is the
/// fastest that cudnnFindConvolutionForwardAlgorithm measures on the real shapes at build, with FMA math for
/// float32 (no TF32) unless the context allows TF32.
/// Where the context allows TF32, an NHWC float32 convolution (with its bias and relu) runs through cuDNN's graph API
/// (<see cref="CudnnGraphConvolution"/>) when one of its plans builds, as PyTorch's does.
/// An NHWC convolution runs either on NHWC tensors or, when cuDNN's NCHW kernels are faster by more than the
/// transposes cost (cuDNN's NHWC float32 kernels are often slower: 167 µs against 94 µs on the reference experiment
/// on an H200), on NCHW ones between a transpose of the input and one of the result. A fused relu on NHWC
/// tensors runs in cuDNN's fused path (cudnnConvolutionBiasActivationForward); any other fused bias and
/// activation run in a generated epilogue, which on the NCHW route is the transpose back.
/// </summary>
internal static class CudnnConvolution
{
    /// <summary>What an extra kernel costs beyond its memory traffic (launch and tail), for choosing between the routes.</summary>
    private const double KernelOverheadMs = 0.003;

    public static void Lower(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var attributes = op.AttributesAs<Conv2dAttributes>();
        var input = b.Value(op.Input("input")!);
        var output = b.Value(op.Outputs[0]);
        bool nhwc = attributes.InputLayout == MLInputOperandLayout.Nhwc;
        var bias = op.Input("bias") is { } biasOperand ? b.Value(biasOperand) : null;

        // cuDNN pads symmetrically: pad each side by the smaller of WebNN's two, and the input by the rest.
        int padH = Math.Min(attributes.Padding[0], attributes.Padding[1]);
        int padW = Math.Min(attributes.Padding[2], attributes.Padding[3]);
        int[] extraBegin = [attributes.Padding[0] - padH, attributes.Padding[2] - padW];
        int[] extraEnd = [attributes.Padding[1] - padH, attributes.Padding[3] - padW];
        int[] inputShape = PaddedShape(input.Shape, nhwc, extraBegin, extraEnd);
        var geometry = new Geometry(padH, padW, attributes.Strides, attributes.Dilations, attributes.Groups);
        var filterShape = op.Input("filter")!.Dimensions;
        string filterLayout = attributes.FilterLayout.ToString().ToLowerInvariant();

        var activation = attributes.Activation;
        // cuDNN's fused bias and relu is taken for float32 only: for float16 its bias type rules differ, and the epilogue is as cheap.
        bool fusedRelu = activation?.Operator == "relu" && input.DataType == MLOperandDataType.Float32;
        if (nhwc && b.Context.AllowTf32 && input.DataType == MLOperandDataType.Float32 && attributes.Groups == 1 && (activation is null || fusedRelu)
            && CudnnGraphConvolution.TryCreate(b.Context, input.Shape, Permute(filterShape, filterLayout, "ohwi"), output.Shape,
                attributes.Padding, attributes.Strides, attributes.Dilations, bias is not null, fusedRelu) is { } graphStep)
        {
            b.Workspace(graphStep.WorkspaceBytes);
            graphStep.Bind(input, FilterInLayout(b, op.Input("filter")!, filterLayout, "ohwi"), bias, output);
            b.Step(graphStep);
            return;
        }
        ConvolutionStep step;
        bool viaNchw = false;
        if (nhwc)
        {
            var direct = new ConvolutionStep(b.Context, inputShape, Permute(filterShape, filterLayout, "ohwi"), output.Shape, input.DataType, geometry, nhwc: true, fusedRelu);
            var nchw = new ConvolutionStep(b.Context, ToNchw(inputShape), Permute(filterShape, filterLayout, "oihw"), ToNchw(output.Shape), input.DataType, geometry, nhwc: false, fusedRelu: false);
            double bandwidth = b.Context.Device.MemoryBandwidth;
            // Both transposes read and write their tensor once; the epilogue becomes the transpose back, so only the input's transpose is a kernel more.
            double transposesMs = bandwidth > 0 ? 2.0 * (input.ByteLength + output.ByteLength) / bandwidth * 1000 + KernelOverheadMs : double.PositiveInfinity;
            viaNchw = nchw.Milliseconds + transposesMs < direct.Milliseconds;
            (step, var unused) = viaNchw ? (nchw, direct) : (direct, nchw);
            unused.Dispose();
        }
        else
        {
            step = new ConvolutionStep(b.Context, inputShape, Permute(filterShape, filterLayout, "oihw"), output.Shape, input.DataType, geometry, nhwc: false, fusedRelu);
        }
        b.Workspace(step.WorkspaceBytes);

        var x = inputShape.AsSpan().SequenceEqual(input.Shape) ? input : PaddedInput(b, input, inputShape, nhwc, extraBegin);
        if (viaNchw)
        {
            var transposed = b.Scratch(x.DataType, ToNchw(x.Shape));
            ElementwiseKernels.Add(b, transposed.Shape, StridedAccess.Contiguous(transposed), [StridedAccess.Permuted(x, [0, 3, 1, 2])], "y = x0;");
            x = transposed;
        }
        var filter = FilterInLayout(b, op.Input("filter")!, filterLayout, nhwc && !viaNchw ? "ohwi" : "oihw");
        var y = viaNchw ? b.Scratch(output.DataType, ToNchw(output.Shape)) : output;
        if (step.FusedRelu && bias is null)
        {
            bias = b.Constant(output.DataType, [output.Shape[nhwc ? 3 : 1]]);
        }
        step.Bind(x, filter, step.FusedRelu ? bias : null, y);
        b.Step(step);

        var result = viaNchw ? StridedAccess.Permuted(y, [0, 2, 3, 1]) : StridedAccess.Contiguous(y);
        if (viaNchw || (!step.FusedRelu && (bias is not null || activation is not null)))
        {
            Epilogue(b, output, result, bias, activation, channelAxis: nhwc ? 3 : 1);
        }
    }

    /// <summary>
    /// convTranspose2d through cuDNN's backward data pass on NCHW tensors, the filter as [input channels, output channels /
    /// groups, h, w] (iohw, transposed into it from another layout). cuDNN pads both sides alike, so it computes into scratch
    /// padded by the smaller of each axis's two paddings, taller and wider by the difference, and the epilogue crops it (and
    /// transposes it back to NHWC, adding the bias).
    /// </summary>
    public static void LowerTranspose(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        var attributes = op.AttributesAs<ConvTranspose2dAttributes>();
        var input = b.Value(op.Input("input")!);
        var output = b.Value(op.Outputs[0]);
        bool nhwc = attributes.InputLayout == MLInputOperandLayout.Nhwc;
        var bias = op.Input("bias") is { } biasOperand ? b.Value(biasOperand) : null;
        int padH = Math.Min(attributes.Padding[0], attributes.Padding[1]);
        int padW = Math.Min(attributes.Padding[2], attributes.Padding[3]);
        int[] outputNchw = nhwc ? ToNchw(output.Shape) : output.Shape;
        int[] fullShape = [outputNchw[0], outputNchw[1], outputNchw[2] + attributes.Padding[0] + attributes.Padding[1] - 2 * padH, outputNchw[3] + attributes.Padding[2] + attributes.Padding[3] - 2 * padW];
        string filterLayout = attributes.FilterLayout.ToString().ToLowerInvariant();
        int[] filterShape = Permute(op.Input("filter")!.Dimensions, filterLayout, "iohw");
        var step = new ConvolutionStep(b.Context, nhwc ? ToNchw(input.Shape) : input.Shape, filterShape, fullShape, input.DataType,
            new Geometry(padH, padW, attributes.Strides, attributes.Dilations, attributes.Groups), nhwc: false, fusedRelu: false, transposed: true);
        b.Workspace(step.WorkspaceBytes);
        var x = input;
        if (nhwc)
        {
            x = b.Scratch(input.DataType, ToNchw(input.Shape));
            ElementwiseKernels.Add(b, x.Shape, StridedAccess.Contiguous(x), [StridedAccess.Permuted(input, [0, 3, 1, 2])], "y = x0;");
        }
        var filter = FilterInLayout(b, op.Input("filter")!, filterLayout, "iohw");
        var full = b.Scratch(output.DataType, fullShape);
        step.Bind(x, filter, null, full);
        b.Step(step);
        // The output's (n, c, h, w) read from the full result: begin rows and columns in, in NCHW.
        var fullStrides = Shapes.Strides(fullShape).Select(stride => (long)stride).ToArray();
        long offset = (attributes.Padding[0] - padH) * fullStrides[2] + (attributes.Padding[2] - padW) * fullStrides[3];
        var cropped = new StridedAccess(full, offset, nhwc ? [fullStrides[0], fullStrides[2], fullStrides[3], fullStrides[1]] : fullStrides);
        Epilogue(b, output, cropped, bias, activation: null, channelAxis: nhwc ? 3 : 1);
    }

    /// <summary>The output = activation(result + bias per channel), each part only when given.</summary>
    private static void Epilogue(CudaGraph.CudaGraphBuilder b, CudaValue output, StridedAccess result, CudaValue? bias, FusedActivation? activation, int channelAxis)
    {
        var inputs = new List<StridedAccess> { result };
        if (bias is not null)
        {
            inputs.Add(StridedAccess.AlongAxis(bias, output.Shape, channelAxis));
        }
        string value = bias is null ? "x0" : "x0 + x1";
        string expression = activation is null ? "v" : CudaOperators.ActivationExpression(activation.Operator, activation.Attributes);
        ElementwiseKernels.Add(b, output.Shape, StridedAccess.Contiguous(output), [.. inputs], $"const float v = {value};\ny = {expression};");
    }

    private static int[] ToNchw(int[] nhwc) => [nhwc[0], nhwc[3], nhwc[1], nhwc[2]];

    /// <summary>A filter shape in <paramref name="source"/> layout (letters o, i, h, w) rearranged into <paramref name="target"/>.</summary>
    private static int[] Permute(int[] shape, string source, string target) => [.. target.Select(axis => shape[source.IndexOf(axis)])];

    /// <summary>The filter (in <paramref name="source"/> layout) in <paramref name="layout"/>: as it is when it already is, else transposed into memory of the graph's.</summary>
    private static CudaValue FilterInLayout(CudaGraph.CudaGraphBuilder b, MLOperand operand, string source, string layout)
    {
        var filter = b.Value(operand);
        if (source == layout)
        {
            return filter;
        }
        int[] permutation = [.. layout.Select(axis => source.IndexOf(axis))];
        int[] shape = Permute(filter.Shape, source, layout);
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

    /// <summary>The input's shape with <paramref name="begin"/> and <paramref name="end"/> ([height, width]) added on its height and width axes.</summary>
    private static int[] PaddedShape(int[] shape, bool nhwc, int[] begin, int[] end)
    {
        int[] padded = [.. shape];
        padded[nhwc ? 1 : 2] += begin[0] + end[0];
        padded[nhwc ? 2 : 3] += begin[1] + end[1];
        return padded;
    }

    /// <summary>The input inside zeros of <paramref name="shape"/>, starting <paramref name="begin"/> ([height, width]) in, in scratch memory.</summary>
    private static CudaValue PaddedInput(CudaGraph.CudaGraphBuilder b, CudaValue input, int[] shape, bool nhwc, int[] begin)
    {
        int[] position = new int[4];
        position[nhwc ? 1 : 2] = begin[0];
        position[nhwc ? 2 : 3] = begin[1];
        var padded = b.Scratch(input.DataType, shape);
        ElementwiseKernels.Add(b, shape, StridedAccess.Contiguous(padded), [StridedAccess.Padded(input, position)], "y = x0;");
        return padded;
    }

    /// <summary>The symmetric padding, strides, dilations and groups cuDNN's convolution descriptor takes.</summary>
    private sealed record Geometry(int PadH, int PadW, int[] Strides, int[] Dilations, int Groups);

    /// <summary>
    /// One cuDNN convolution: its descriptors and chosen algorithm, made at build on the shapes; the values it reads and writes
    /// are bound after. A transposed one is cuDNN's backward data pass: its input is the gradient of a convolution from its
    /// output (of <paramref name="outputShape"/>) with the filter as [input channels, output channels / groups, h, w].
    /// </summary>
    private sealed class ConvolutionStep : CudaStep
    {
        private readonly nint _inputDescriptor, _filterDescriptor, _convolution, _outputDescriptor, _biasDescriptor, _activation;
        private readonly int _algorithm;
        private readonly bool _transposed;
        private CudaValue? _input, _filter, _bias, _output;

        public ConvolutionStep(CudaContext context, int[] inputShape, int[] filterShape, int[] outputShape, MLOperandDataType elementType, Geometry geometry, bool nhwc, bool fusedRelu, bool transposed = false)
        {
            FusedRelu = fusedRelu;
            _transposed = transposed;
            int format = nhwc ? Cudnn.FormatNhwc : Cudnn.FormatNchw;
            bool half = elementType == MLOperandDataType.Float16;
            int dataType = half ? Cudnn.DataHalf : Cudnn.DataFloat;
            _inputDescriptor = TensorDescriptor(format, dataType, inputShape, nhwc);
            _outputDescriptor = TensorDescriptor(format, dataType, outputShape, nhwc);
            Cudnn.Check(Cudnn.cudnnCreateFilterDescriptor(out _filterDescriptor), "cudnnCreateFilterDescriptor");
            // OIHW and OHWI both hold [o, i, h, w] in their own order; cuDNN takes (k, c, h, w) and the format.
            var f = filterShape;
            var (k, c, fh, fw) = nhwc ? (f[0], f[3], f[1], f[2]) : (f[0], f[1], f[2], f[3]);
            Cudnn.Check(Cudnn.cudnnSetFilter4dDescriptor(_filterDescriptor, dataType, format, k, c, fh, fw), "cudnnSetFilter4dDescriptor");
            Cudnn.Check(Cudnn.cudnnCreateConvolutionDescriptor(out _convolution), "cudnnCreateConvolutionDescriptor");
            // Float accumulation, for float16 data too.
            Cudnn.Check(Cudnn.cudnnSetConvolution2dDescriptor(_convolution, geometry.PadH, geometry.PadW, geometry.Strides[0], geometry.Strides[1],
                geometry.Dilations[0], geometry.Dilations[1], Cudnn.CrossCorrelation, Cudnn.DataFloat), "cudnnSetConvolution2dDescriptor");
            Cudnn.Check(Cudnn.cudnnSetConvolutionGroupCount(_convolution, geometry.Groups), "cudnnSetConvolutionGroupCount");
            Cudnn.Check(Cudnn.cudnnSetConvolutionMathType(_convolution, half || context.AllowTf32 ? Cudnn.TensorOpMath : Cudnn.FmaMath), "cudnnSetConvolutionMathType");
            if (fusedRelu)
            {
                _biasDescriptor = TensorDescriptor(Cudnn.FormatNchw, dataType, [1, k, 1, 1], nhwc: false);
                Cudnn.Check(Cudnn.cudnnCreateActivationDescriptor(out _activation), "cudnnCreateActivationDescriptor");
                Cudnn.Check(Cudnn.cudnnSetActivationDescriptor(_activation, Cudnn.ActivationRelu, Cudnn.PropagateNan, 0), "cudnnSetActivationDescriptor");
            }
            (_algorithm, WorkspaceBytes, Milliseconds) = FastestAlgorithm(context, inputShape, filterShape);
        }

        /// <summary>Whether the step adds the bias and applies relu itself (cuDNN's fused path).</summary>
        public bool FusedRelu { get; }

        public nuint WorkspaceBytes { get; }

        /// <summary>The time cuDNN measured for the chosen algorithm.</summary>
        public double Milliseconds { get; }

        public void Bind(CudaValue input, CudaValue filter, CudaValue? bias, CudaValue output) => (_input, _filter, _bias, _output) = (input, filter, bias, output);

        private unsafe (int Algorithm, nuint Workspace, double Milliseconds) FastestAlgorithm(CudaContext context, int[] inputShape, int[] filterShape)
        {
            const int Requested = 8;
            var results = stackalloc Cudnn.ConvolutionFwdAlgoPerf[Requested];
            int returned;
            if (_transposed)
            {
                Cudnn.Check(Cudnn.cudnnFindConvolutionBackwardDataAlgorithm(context.CudnnHandle, _filterDescriptor, _inputDescriptor, _convolution, _outputDescriptor,
                    Requested, out returned, results), "cudnnFindConvolutionBackwardDataAlgorithm");
            }
            else
            {
                Cudnn.Check(Cudnn.cudnnFindConvolutionForwardAlgorithm(context.CudnnHandle, _inputDescriptor, _filterDescriptor, _convolution, _outputDescriptor,
                    Requested, out returned, results), "cudnnFindConvolutionForwardAlgorithm");
            }
            // Results come fastest first; those that failed carry their status.
            for (int i = 0; i < returned; i++)
            {
                if (results[i].Status == 0)
                {
                    Cudnn.Check(Cudnn.cudnnSetConvolutionMathType(_convolution, results[i].MathType), "cudnnSetConvolutionMathType");
                    return (results[i].Algo, results[i].Memory, results[i].Time);
                }
            }
            throw new CudaException($"cuDNN found no {(_transposed ? "transposed " : "")}convolution algorithm for input {Shapes.Format(inputShape)} and filter {Shapes.Format(filterShape)}.");
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
            ulong output = run.Pointer(_output!);
            if (_transposed)
            {
                Cudnn.Check(Cudnn.cudnnConvolutionBackwardData(run.Context.CudnnHandle, &one, _filterDescriptor, run.Pointer(_filter!), _inputDescriptor, run.Pointer(_input!),
                    _convolution, _algorithm, run.Workspace, run.WorkspaceBytes, &zero, _outputDescriptor, output), "cudnnConvolutionBackwardData");
                return;
            }
            if (_bias is null)
            {
                Cudnn.Check(Cudnn.cudnnConvolutionForward(run.Context.CudnnHandle, &one, _inputDescriptor, run.Pointer(_input!), _filterDescriptor, run.Pointer(_filter!),
                    _convolution, _algorithm, run.Workspace, run.WorkspaceBytes, &zero, _outputDescriptor, output), "cudnnConvolutionForward");
                return;
            }
            Cudnn.Check(Cudnn.cudnnConvolutionBiasActivationForward(run.Context.CudnnHandle, &one, _inputDescriptor, run.Pointer(_input!), _filterDescriptor, run.Pointer(_filter!),
                _convolution, _algorithm, run.Workspace, run.WorkspaceBytes, &zero, _outputDescriptor, output, _biasDescriptor, run.Pointer(_bias),
                _activation, _outputDescriptor, output), "cudnnConvolutionBiasActivationForward");
        }

        public override void Dispose()
        {
            _ = Cudnn.cudnnDestroyTensorDescriptor(_inputDescriptor);
            _ = Cudnn.cudnnDestroyTensorDescriptor(_outputDescriptor);
            _ = Cudnn.cudnnDestroyFilterDescriptor(_filterDescriptor);
            _ = Cudnn.cudnnDestroyConvolutionDescriptor(_convolution);
            if (FusedRelu)
            {
                _ = Cudnn.cudnnDestroyTensorDescriptor(_biasDescriptor);
                _ = Cudnn.cudnnDestroyActivationDescriptor(_activation);
            }
        }
    }
}
