using WebNN.Cuda.Interop;
using WebNN.Graph;

namespace WebNN.Cuda.Kernels;

/// <summary>
/// An NHWC float32 conv2d, with its bias and relu fused when given, through cuDNN's graph (backend) API, as PyTorch reaches
/// cuDNN: an operation graph of the convolution (computing in float, which lets the engines use TF32 tensor cores) and
/// pointwise add and relu on virtual tensors, the configurations heuristics mode A ranks first, and of the first
/// <see cref="PlansTried"/> that build into execution plans the fastest on the real shapes (timed with CUDA events at
/// build). The filter is OHWI, the layout cuDNN takes beside NHWC tensors; the padding may differ between the sides.
/// Taken for contexts that allow TF32: without it, float32 stays on the legacy path (<see cref="CudnnConvolution"/>).
/// </summary>
internal sealed class CudnnGraphConvolution : CudaStep
{
    private const int PlansTried = 8;
    private const int TimedRuns = 5;
    private const long ByteAlignment = 16;

    // The tensors' unique ids in the operation graph and the variant pack.
    private const long InputId = 1, FilterId = 2, BiasId = 3, OutputId = 4, ConvolutionResultId = 5, BiasedId = 6;

    /// <summary>Every descriptor the plan depends on (tensors, operations, the graph, the chosen configuration), destroyed with the step.</summary>
    private readonly List<nint> _descriptors;
    private readonly nint _plan;
    private readonly long[] _ids;
    private readonly CudaValue?[] _values;

    /// <summary>The variant pack of the last run, kept while the addresses it holds (<see cref="_packedPointers"/>) stay the same.</summary>
    private nint _variantPack;
    private readonly ulong[] _packedPointers, _pointers;

    private CudnnGraphConvolution(List<nint> descriptors, nint plan, long[] ids, nuint workspaceBytes, double milliseconds)
    {
        _descriptors = descriptors;
        _plan = plan;
        _ids = ids;
        _values = new CudaValue?[ids.Length];
        _packedPointers = new ulong[ids.Length + 1];
        _pointers = new ulong[ids.Length + 1];
        WorkspaceBytes = workspaceBytes;
        Milliseconds = milliseconds;
    }

    public nuint WorkspaceBytes { get; }

    /// <summary>The time the chosen plan took at build, the average of <see cref="TimedRuns"/> runs.</summary>
    public double Milliseconds { get; }

    /// <summary>
    /// The step for an NHWC input, an OHWI filter and an NHWC output, with WebNN's <paramref name="padding"/> ([beginH, endH,
    /// beginW, endW]); null when none of the plans the heuristics suggest builds (the caller takes the legacy path).
    /// </summary>
    public static CudnnGraphConvolution? TryCreate(CudaContext context, int[] inputShape, int[] filterShape, int[] outputShape,
        int[] padding, int[] strides, int[] dilations, bool bias, bool relu)
    {
        var descriptors = new List<nint>();
        try
        {
            long[] ids = bias ? [InputId, FilterId, BiasId, OutputId] : [InputId, FilterId, OutputId];
            nint graph = OperationGraph(context, descriptors, inputShape, filterShape, outputShape, padding, strides, dilations, bias, relu);
            var (plan, workspace, milliseconds) = FastestPlan(context, descriptors, graph, ids, inputShape, filterShape, outputShape);
            if (plan == 0)
            {
                DestroyAll(descriptors);
                return null;
            }
            return new CudnnGraphConvolution(descriptors, plan, ids, workspace, milliseconds);
        }
        catch
        {
            DestroyAll(descriptors);
            throw;
        }
    }

    /// <summary>Binds the values the step reads and writes; <paramref name="bias"/> only when the step was made with one.</summary>
    public void Bind(CudaValue input, CudaValue filter, CudaValue? bias, CudaValue output)
    {
        CudaValue?[] values = bias is null ? [input, filter, output] : [input, filter, bias, output];
        values.CopyTo(_values, 0);
    }

    public override void Run(CudaRun run)
    {
        for (int i = 0; i < _values.Length; i++)
        {
            _pointers[i] = run.Pointer(_values[i]!);
        }
        _pointers[^1] = run.Workspace;
        if (_variantPack == 0 || !_pointers.AsSpan().SequenceEqual(_packedPointers))
        {
            if (_variantPack != 0)
            {
                _ = Cudnn.cudnnBackendDestroyDescriptor(_variantPack);
                _variantPack = 0;
            }
            _variantPack = VariantPack(_ids, _pointers);
            _pointers.CopyTo(_packedPointers, 0);
        }
        Cudnn.Check(Cudnn.cudnnBackendExecute(run.Context.CudnnHandle, _plan, _variantPack), "cudnnBackendExecute");
    }

    public override void Dispose()
    {
        if (_variantPack != 0)
        {
            _ = Cudnn.cudnnBackendDestroyDescriptor(_variantPack);
            _variantPack = 0;
        }
        _ = Cudnn.cudnnBackendDestroyDescriptor(_plan);
        DestroyAll(_descriptors);
    }

    /// <summary>The finalized operation graph: y = relu(conv(x, w) + b), the add and the relu each only when asked for, intermediates virtual.</summary>
    private static nint OperationGraph(CudaContext context, List<nint> descriptors, int[] inputShape, int[] filterShape, int[] outputShape,
        int[] padding, int[] strides, int[] dilations, bool bias, bool relu)
    {
        nint x = Tensor(descriptors, InputId, inputShape, isVirtual: false);
        nint w = Tensor(descriptors, FilterId, filterShape, isVirtual: false);
        nint y = Tensor(descriptors, OutputId, outputShape, isVirtual: false);

        nint convolution = Create(descriptors, Cudnn.BackendDescriptor.Convolution);
        Set(convolution, Cudnn.BackendAttribute.ConvolutionComputeType, Cudnn.BackendType.DataType, [Cudnn.DataFloat]);
        Set(convolution, Cudnn.BackendAttribute.ConvolutionMode, Cudnn.BackendType.ConvolutionMode, [Cudnn.CrossCorrelation]);
        Set(convolution, Cudnn.BackendAttribute.ConvolutionSpatialDims, Cudnn.BackendType.Int64, [2L]);
        Set(convolution, Cudnn.BackendAttribute.ConvolutionPrePaddings, Cudnn.BackendType.Int64, [(long)padding[0], padding[2]]);
        Set(convolution, Cudnn.BackendAttribute.ConvolutionPostPaddings, Cudnn.BackendType.Int64, [(long)padding[1], padding[3]]);
        Set(convolution, Cudnn.BackendAttribute.ConvolutionFilterStrides, Cudnn.BackendType.Int64, [(long)strides[0], strides[1]]);
        Set(convolution, Cudnn.BackendAttribute.ConvolutionDilations, Cudnn.BackendType.Int64, [(long)dilations[0], dilations[1]]);
        Finalize(convolution, "the convolution descriptor");

        var operations = new List<nint>();
        nint result = bias || relu ? Tensor(descriptors, ConvolutionResultId, outputShape, isVirtual: true) : y;
        nint forward = Create(descriptors, Cudnn.BackendDescriptor.OperationConvolutionForward);
        Set(forward, Cudnn.BackendAttribute.ConvolutionForwardX, Cudnn.BackendType.BackendDescriptor, [x]);
        Set(forward, Cudnn.BackendAttribute.ConvolutionForwardW, Cudnn.BackendType.BackendDescriptor, [w]);
        Set(forward, Cudnn.BackendAttribute.ConvolutionForwardY, Cudnn.BackendType.BackendDescriptor, [result]);
        Set(forward, Cudnn.BackendAttribute.ConvolutionForwardDescriptor, Cudnn.BackendType.BackendDescriptor, [convolution]);
        Set(forward, Cudnn.BackendAttribute.ConvolutionForwardAlpha, Cudnn.BackendType.Float, [1f]);
        Set(forward, Cudnn.BackendAttribute.ConvolutionForwardBeta, Cudnn.BackendType.Float, [0f]);
        Finalize(forward, "the convolution operation");
        operations.Add(forward);

        if (bias)
        {
            int channels = outputShape[3];
            nint b = Tensor(descriptors, BiasId, [1, 1, 1, channels], isVirtual: false);
            nint biased = relu ? Tensor(descriptors, BiasedId, outputShape, isVirtual: true) : y;
            operations.Add(Pointwise(descriptors, Cudnn.PointwiseAdd, result, b, biased));
            result = biased;
        }
        if (relu)
        {
            operations.Add(Pointwise(descriptors, Cudnn.PointwiseReluForward, result, 0, y));
        }

        nint graph = Create(descriptors, Cudnn.BackendDescriptor.OperationGraph);
        Set(graph, Cudnn.BackendAttribute.OperationGraphOperations, Cudnn.BackendType.BackendDescriptor, operations.ToArray());
        Set(graph, Cudnn.BackendAttribute.OperationGraphHandle, Cudnn.BackendType.Handle, [context.CudnnHandle]);
        Finalize(graph, "the operation graph");
        return graph;
    }

    /// <summary>A pointwise operation y = mode(x, b) (b = 0 for a unary mode), computing in float.</summary>
    private static nint Pointwise(List<nint> descriptors, int mode, nint x, nint b, nint y)
    {
        nint pointwise = Create(descriptors, Cudnn.BackendDescriptor.Pointwise);
        Set(pointwise, Cudnn.BackendAttribute.PointwiseMode, Cudnn.BackendType.PointwiseMode, [mode]);
        Set(pointwise, Cudnn.BackendAttribute.PointwiseMathPrecision, Cudnn.BackendType.DataType, [Cudnn.DataFloat]);
        Finalize(pointwise, "a pointwise descriptor");
        nint operation = Create(descriptors, Cudnn.BackendDescriptor.OperationPointwise);
        Set(operation, Cudnn.BackendAttribute.PointwiseDescriptor, Cudnn.BackendType.BackendDescriptor, [pointwise]);
        Set(operation, Cudnn.BackendAttribute.PointwiseX, Cudnn.BackendType.BackendDescriptor, [x]);
        if (b != 0)
        {
            Set(operation, Cudnn.BackendAttribute.PointwiseB, Cudnn.BackendType.BackendDescriptor, [b]);
        }
        Set(operation, Cudnn.BackendAttribute.PointwiseY, Cudnn.BackendType.BackendDescriptor, [y]);
        Set(operation, Cudnn.BackendAttribute.PointwiseAlpha1, Cudnn.BackendType.Float, [1f]);
        Set(operation, Cudnn.BackendAttribute.PointwiseAlpha2, Cudnn.BackendType.Float, [1f]);
        Finalize(operation, "a pointwise operation");
        return operation;
    }

    /// <summary>
    /// A float tensor of an NHWC <paramref name="shape"/> (an OHWI filter alike): cuDNN takes the dimensions in NCHW order
    /// and the layout from the strides, the channels innermost.
    /// </summary>
    private static nint Tensor(List<nint> descriptors, long id, int[] shape, bool isVirtual)
    {
        long n = shape[0], h = shape[1], w = shape[2], c = shape[3];
        nint tensor = Create(descriptors, Cudnn.BackendDescriptor.Tensor);
        Set(tensor, Cudnn.BackendAttribute.TensorDataType, Cudnn.BackendType.DataType, [Cudnn.DataFloat]);
        Set(tensor, Cudnn.BackendAttribute.TensorDimensions, Cudnn.BackendType.Int64, [n, c, h, w]);
        Set(tensor, Cudnn.BackendAttribute.TensorStrides, Cudnn.BackendType.Int64, [h * w * c, 1, w * c, c]);
        Set(tensor, Cudnn.BackendAttribute.TensorUniqueId, Cudnn.BackendType.Int64, [id]);
        Set(tensor, Cudnn.BackendAttribute.TensorByteAlignment, Cudnn.BackendType.Int64, [ByteAlignment]);
        Set(tensor, Cudnn.BackendAttribute.TensorIsVirtual, Cudnn.BackendType.Boolean, [(byte)(isVirtual ? 1 : 0)]);
        Finalize(tensor, "a tensor descriptor");
        return tensor;
    }

    /// <summary>
    /// Of the first <see cref="PlansTried"/> engine configurations heuristics mode A ranks for <paramref name="graph"/>, the
    /// execution plan that runs fastest on scratch tensors of the real shapes, its workspace and time; plan 0 when none builds.
    /// The chosen configuration joins <paramref name="descriptors"/>; the others and their plans are destroyed.
    /// </summary>
    private static unsafe (nint Plan, nuint Workspace, double Milliseconds) FastestPlan(CudaContext context, List<nint> descriptors, nint graph, long[] ids,
        int[] inputShape, int[] filterShape, int[] outputShape)
    {
        nint heuristics = Create(descriptors, Cudnn.BackendDescriptor.EngineHeuristics);
        Set(heuristics, Cudnn.BackendAttribute.EngineHeuristicsOperationGraph, Cudnn.BackendType.BackendDescriptor, [graph]);
        Set(heuristics, Cudnn.BackendAttribute.EngineHeuristicsMode, Cudnn.BackendType.HeuristicsMode, [Cudnn.HeuristicsModeA]);
        Finalize(heuristics, "the engine heuristics");
        Cudnn.Check(Cudnn.cudnnBackendGetAttribute(heuristics, Cudnn.BackendAttribute.EngineHeuristicsResults, Cudnn.BackendType.BackendDescriptor, 0, out long available, null),
            "cudnnBackendGetAttribute (the number of engine configurations)");
        var configs = new nint[Math.Min(available, PlansTried)];
        for (int i = 0; i < configs.Length; i++)
        {
            Cudnn.Check(Cudnn.cudnnBackendCreateDescriptor(Cudnn.BackendDescriptor.EngineConfig, out configs[i]), "cudnnBackendCreateDescriptor");
        }
        long returned;
        fixed (nint* results = configs)
        {
            Cudnn.Check(Cudnn.cudnnBackendGetAttribute(heuristics, Cudnn.BackendAttribute.EngineHeuristicsResults, Cudnn.BackendType.BackendDescriptor, configs.Length, out returned, results),
                "cudnnBackendGetAttribute (the engine configurations)");
        }

        var plans = new List<(nint Plan, nint Config, nuint Workspace)>();
        for (int i = 0; i < returned; i++)
        {
            if (Plan(context, configs[i]) is { } built)
            {
                plans.Add((built.Plan, configs[i], built.Workspace));
            }
        }
        nint fastest = 0;
        nuint fastestWorkspace = 0;
        double fastestMs = double.PositiveInfinity;
        if (plans.Count > 0)
        {
            long biasBytes = ids.Contains(BiasId) ? outputShape[3] * sizeof(float) : 0;
            long[] bytes = [Shapes.ElementCount(inputShape) * sizeof(float), Shapes.ElementCount(filterShape) * sizeof(float), biasBytes, Shapes.ElementCount(outputShape) * sizeof(float)];
            nuint workspaceBytes = plans.Max(p => p.Workspace);
            var scratch = new List<ulong>();
            try
            {
                // Scratch memory for the timing runs, zeroed: its values do not change the time.
                ulong Allocate(long size)
                {
                    CudaDriver.Check(CudaDriver.cuMemAlloc_v2(out ulong pointer, (nuint)Math.Max(size, 1)), "cuMemAlloc");
                    scratch.Add(pointer);
                    CudaDriver.Check(CudaDriver.cuMemsetD8Async(pointer, 0, (nuint)Math.Max(size, 1), context.Stream), "cuMemsetD8Async");
                    return pointer;
                }
                ulong[] tensors = [Allocate(bytes[0]), Allocate(bytes[1]), Allocate(bytes[2]), Allocate(bytes[3])];
                ulong workspace = workspaceBytes > 0 ? Allocate((long)workspaceBytes) : 0;
                ulong[] pointers = [.. ids.Select(id => tensors[id == InputId ? 0 : id == FilterId ? 1 : id == BiasId ? 2 : 3]), workspace];
                nint pack = VariantPack(ids, pointers);
                try
                {
                    foreach (var (plan, config, workspaceNeeded) in plans)
                    {
                        double ms = Time(context, plan, pack);
                        if (ms < fastestMs)
                        {
                            (fastest, fastestWorkspace, fastestMs) = (plan, workspaceNeeded, ms);
                        }
                    }
                }
                finally
                {
                    _ = Cudnn.cudnnBackendDestroyDescriptor(pack);
                }
            }
            finally
            {
                context.Synchronize();
                foreach (ulong pointer in scratch)
                {
                    _ = CudaDriver.cuMemFree_v2(pointer);
                }
            }
        }
        for (int i = 0; i < configs.Length; i++)
        {
            var kept = plans.Find(p => p.Config == configs[i]);
            if (kept.Plan != 0 && kept.Plan == fastest)
            {
                descriptors.Add(configs[i]);
                continue;
            }
            if (kept.Plan != 0)
            {
                _ = Cudnn.cudnnBackendDestroyDescriptor(kept.Plan);
            }
            _ = Cudnn.cudnnBackendDestroyDescriptor(configs[i]);
        }
        return (fastest, fastestWorkspace, fastestMs);
    }

    /// <summary>The execution plan of <paramref name="config"/> and its workspace, or null when cuDNN cannot build it for these shapes.</summary>
    private static unsafe (nint Plan, nuint Workspace)? Plan(CudaContext context, nint config)
    {
        Cudnn.Check(Cudnn.cudnnBackendCreateDescriptor(Cudnn.BackendDescriptor.ExecutionPlan, out nint plan), "cudnnBackendCreateDescriptor");
        Set(plan, Cudnn.BackendAttribute.ExecutionPlanEngineConfig, Cudnn.BackendType.BackendDescriptor, [config]);
        Set(plan, Cudnn.BackendAttribute.ExecutionPlanHandle, Cudnn.BackendType.Handle, [context.CudnnHandle]);
        if (Cudnn.cudnnBackendFinalize(plan) != 0)
        {
            _ = Cudnn.cudnnBackendDestroyDescriptor(plan);
            return null;
        }
        long workspace;
        Cudnn.Check(Cudnn.cudnnBackendGetAttribute(plan, Cudnn.BackendAttribute.ExecutionPlanWorkspaceSize, Cudnn.BackendType.Int64, 1, out _, &workspace),
            "cudnnBackendGetAttribute (the plan's workspace size)");
        return (plan, (nuint)workspace);
    }

    /// <summary>The plan's time in milliseconds on the stream, the average of <see cref="TimedRuns"/> runs after a warm-up; infinity when it fails to run.</summary>
    private static double Time(CudaContext context, nint plan, nint pack)
    {
        if (Cudnn.cudnnBackendExecute(context.CudnnHandle, plan, pack) != 0)
        {
            return double.PositiveInfinity;
        }
        CudaDriver.Check(CudaDriver.cuEventCreate(out nint start, 0), "cuEventCreate");
        CudaDriver.Check(CudaDriver.cuEventCreate(out nint end, 0), "cuEventCreate");
        try
        {
            CudaDriver.Check(CudaDriver.cuEventRecord(start, context.Stream), "cuEventRecord");
            for (int run = 0; run < TimedRuns; run++)
            {
                Cudnn.Check(Cudnn.cudnnBackendExecute(context.CudnnHandle, plan, pack), "cudnnBackendExecute");
            }
            CudaDriver.Check(CudaDriver.cuEventRecord(end, context.Stream), "cuEventRecord");
            CudaDriver.Check(CudaDriver.cuEventSynchronize(end), "cuEventSynchronize");
            CudaDriver.Check(CudaDriver.cuEventElapsedTime(out float milliseconds, start, end), "cuEventElapsedTime");
            return milliseconds / TimedRuns;
        }
        finally
        {
            _ = CudaDriver.cuEventDestroy_v2(start);
            _ = CudaDriver.cuEventDestroy_v2(end);
        }
    }

    /// <summary>A finalized variant pack: the device addresses of the tensors <paramref name="ids"/> names, then the workspace's (the last of <paramref name="pointers"/>).</summary>
    private static unsafe nint VariantPack(long[] ids, ulong[] pointers)
    {
        Cudnn.Check(Cudnn.cudnnBackendCreateDescriptor(Cudnn.BackendDescriptor.VariantPack, out nint pack), "cudnnBackendCreateDescriptor");
        try
        {
            Set(pack, Cudnn.BackendAttribute.VariantPackUniqueIds, Cudnn.BackendType.Int64, ids);
            Set(pack, Cudnn.BackendAttribute.VariantPackDataPointers, Cudnn.BackendType.VoidPointer, pointers.AsSpan(0, ids.Length));
            Set(pack, Cudnn.BackendAttribute.VariantPackWorkspace, Cudnn.BackendType.VoidPointer, pointers.AsSpan(ids.Length));
            Finalize(pack, "the variant pack");
            return pack;
        }
        catch
        {
            _ = Cudnn.cudnnBackendDestroyDescriptor(pack);
            throw;
        }
    }

    private static nint Create(List<nint> descriptors, int type)
    {
        Cudnn.Check(Cudnn.cudnnBackendCreateDescriptor(type, out nint descriptor), "cudnnBackendCreateDescriptor");
        descriptors.Add(descriptor);
        return descriptor;
    }

    private static unsafe void Set<T>(nint descriptor, int attribute, int type, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        fixed (T* elements = values)
        {
            Cudnn.Check(Cudnn.cudnnBackendSetAttribute(descriptor, attribute, type, values.Length, elements), $"cudnnBackendSetAttribute ({attribute})");
        }
    }

    private static void Finalize(nint descriptor, string what) => Cudnn.Check(Cudnn.cudnnBackendFinalize(descriptor), $"cudnnBackendFinalize ({what})");

    private static void DestroyAll(List<nint> descriptors)
    {
        // Dependents first: each descriptor was made after those it refers to.
        for (int i = descriptors.Count - 1; i >= 0; i--)
        {
            _ = Cudnn.cudnnBackendDestroyDescriptor(descriptors[i]);
        }
        descriptors.Clear();
    }
}
