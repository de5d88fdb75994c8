using System.Runtime.InteropServices;

namespace WebNN.Cuda.Interop;

/// <summary>
/// cuDNN 9 (cudnn_graph.h, cudnn_ops.h, cudnn_cnn.h) from libcudnn.so.9: the legacy descriptor API, which
/// cuDNN 9 deprecates but still exports, and the graph (backend) API of cudnn_graph.h. Every call returns a cudnnStatus_t; <see cref="Check"/> turns a failure
/// into a <see cref="CudaException"/> with cuDNN's name for it.
/// </summary>
internal static partial class Cudnn
{
    private const string Library = "libcudnn.so.9";

    // cudnnDataType_t
    public const int DataFloat = 0;
    public const int DataHalf = 2;

    // cudnnTensorFormat_t
    public const int FormatNchw = 0;
    public const int FormatNhwc = 1;

    // cudnnConvolutionMode_t
    public const int CrossCorrelation = 1;

    // cudnnMathType_t
    public const int TensorOpMath = 1;
    public const int FmaMath = 3;

    // cudnnActivationMode_t
    public const int ActivationRelu = 1;

    // cudnnNanPropagation_t
    public const int PropagateNan = 1;

    // cudnnSoftmaxAlgorithm_t and cudnnSoftmaxMode_t
    public const int SoftmaxAccurate = 1;
    public const int SoftmaxModeChannel = 1;

    /// <summary>cudnnBackendDescriptorType_t.</summary>
    public static class BackendDescriptor
    {
        public const int Pointwise = 0;
        public const int Convolution = 1;
        public const int EngineConfig = 3;
        public const int EngineHeuristics = 4;
        public const int ExecutionPlan = 5;
        public const int OperationConvolutionForward = 10;
        public const int OperationPointwise = 13;
        public const int OperationGraph = 15;
        public const int VariantPack = 16;
        public const int Tensor = 17;
    }

    /// <summary>cudnnBackendAttributeName_t.</summary>
    public static class BackendAttribute
    {
        public const int PointwiseMode = 0;
        public const int PointwiseMathPrecision = 1;
        public const int ConvolutionComputeType = 100;
        public const int ConvolutionMode = 101;
        public const int ConvolutionDilations = 102;
        public const int ConvolutionFilterStrides = 103;
        public const int ConvolutionPostPaddings = 104;
        public const int ConvolutionPrePaddings = 105;
        public const int ConvolutionSpatialDims = 106;
        public const int EngineHeuristicsMode = 200;
        public const int EngineHeuristicsOperationGraph = 201;
        public const int EngineHeuristicsResults = 202;
        public const int ExecutionPlanHandle = 400;
        public const int ExecutionPlanEngineConfig = 401;
        public const int ExecutionPlanWorkspaceSize = 402;
        public const int ConvolutionForwardAlpha = 700;
        public const int ConvolutionForwardBeta = 701;
        public const int ConvolutionForwardDescriptor = 702;
        public const int ConvolutionForwardW = 703;
        public const int ConvolutionForwardX = 704;
        public const int ConvolutionForwardY = 705;
        public const int PointwiseDescriptor = 750;
        public const int PointwiseX = 751;
        public const int PointwiseB = 752;
        public const int PointwiseY = 753;
        public const int PointwiseAlpha1 = 754;
        public const int PointwiseAlpha2 = 755;
        public const int OperationGraphHandle = 800;
        public const int OperationGraphOperations = 801;
        public const int TensorByteAlignment = 900;
        public const int TensorDataType = 901;
        public const int TensorDimensions = 902;
        public const int TensorStrides = 903;
        public const int TensorUniqueId = 906;
        public const int TensorIsVirtual = 907;
        public const int VariantPackUniqueIds = 1000;
        public const int VariantPackDataPointers = 1001;
        public const int VariantPackWorkspace = 1003;
    }

    /// <summary>cudnnBackendAttributeType_t.</summary>
    public static class BackendType
    {
        public const int Handle = 0;
        public const int DataType = 1;
        public const int Boolean = 2;
        public const int Int64 = 3;
        public const int Float = 4;
        public const int VoidPointer = 6;
        public const int ConvolutionMode = 7;
        public const int HeuristicsMode = 8;
        public const int PointwiseMode = 14;
        public const int BackendDescriptor = 15;
    }

    // cudnnPointwiseMode_t
    public const int PointwiseAdd = 0;
    public const int PointwiseReluForward = 100;

    // cudnnBackendHeurMode_t
    public const int HeuristicsModeA = 3;

    /// <summary>cudnnConvolutionFwdAlgoPerf_t, and cudnnConvolutionBwdDataAlgoPerf_t of the same fields (48 bytes: size_t memory is 8-aligned).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ConvolutionFwdAlgoPerf
    {
        public int Algo;
        public int Status;
        public float Time;
        public nuint Memory;
        public int Determinism;
        public int MathType;
        public int Reserved0;
        public int Reserved1;
        public int Reserved2;
    }

    [LibraryImport(Library)]
    public static partial nuint cudnnGetVersion();

    [LibraryImport(Library)]
    public static partial int cudnnCreate(out nint handle);

    [LibraryImport(Library)]
    public static partial int cudnnDestroy(nint handle);

    [LibraryImport(Library)]
    public static partial int cudnnSetStream(nint handle, nint stream);

    [LibraryImport(Library)]
    public static partial int cudnnCreateTensorDescriptor(out nint descriptor);

    [LibraryImport(Library)]
    public static partial int cudnnSetTensor4dDescriptor(nint descriptor, int format, int dataType, int n, int c, int h, int w);

    [LibraryImport(Library)]
    public static partial int cudnnDestroyTensorDescriptor(nint descriptor);

    [LibraryImport(Library)]
    public static partial int cudnnCreateFilterDescriptor(out nint descriptor);

    /// <summary>Note the order: data type, then format (unlike the tensor descriptor).</summary>
    [LibraryImport(Library)]
    public static partial int cudnnSetFilter4dDescriptor(nint descriptor, int dataType, int format, int k, int c, int h, int w);

    [LibraryImport(Library)]
    public static partial int cudnnDestroyFilterDescriptor(nint descriptor);

    [LibraryImport(Library)]
    public static partial int cudnnCreateConvolutionDescriptor(out nint descriptor);

    [LibraryImport(Library)]
    public static partial int cudnnSetConvolution2dDescriptor(nint descriptor, int padH, int padW, int strideH, int strideW, int dilationH, int dilationW, int mode, int computeType);

    [LibraryImport(Library)]
    public static partial int cudnnSetConvolutionGroupCount(nint descriptor, int groups);

    [LibraryImport(Library)]
    public static partial int cudnnSetConvolutionMathType(nint descriptor, int mathType);

    [LibraryImport(Library)]
    public static partial int cudnnGetConvolution2dForwardOutputDim(nint convolution, nint input, nint filter, out int n, out int c, out int h, out int w);

    [LibraryImport(Library)]
    public static partial int cudnnDestroyConvolutionDescriptor(nint descriptor);

    [LibraryImport(Library)]
    public static partial int cudnnCreateActivationDescriptor(out nint descriptor);

    [LibraryImport(Library)]
    public static partial int cudnnSetActivationDescriptor(nint descriptor, int mode, int nanPropagation, double coefficient);

    [LibraryImport(Library)]
    public static partial int cudnnDestroyActivationDescriptor(nint descriptor);

    [LibraryImport(Library)]
    public static unsafe partial int cudnnFindConvolutionForwardAlgorithm(
        nint handle, nint input, nint filter, nint convolution, nint output, int requested, out int returned, ConvolutionFwdAlgoPerf* results);

    [LibraryImport(Library)]
    public static unsafe partial int cudnnConvolutionForward(
        nint handle, float* alpha, nint inputDescriptor, ulong input, nint filterDescriptor, ulong filter, nint convolution, int algorithm,
        ulong workspace, nuint workspaceBytes, float* beta, nint outputDescriptor, ulong output);

    [LibraryImport(Library)]
    public static unsafe partial int cudnnFindConvolutionBackwardDataAlgorithm(
        nint handle, nint filter, nint gradient, nint convolution, nint result, int requested, out int returned, ConvolutionFwdAlgoPerf* results);

    /// <summary>The gradient of a convolution with respect to its input, which is the transposed convolution of <paramref name="gradient"/> (convTranspose2d).</summary>
    [LibraryImport(Library)]
    public static unsafe partial int cudnnConvolutionBackwardData(
        nint handle, float* alpha, nint filterDescriptor, ulong filter, nint gradientDescriptor, ulong gradient, nint convolution, int algorithm,
        ulong workspace, nuint workspaceBytes, float* beta, nint resultDescriptor, ulong result);

    [LibraryImport(Library)]
    public static unsafe partial int cudnnConvolutionBiasActivationForward(
        nint handle, float* alpha1, nint inputDescriptor, ulong input, nint filterDescriptor, ulong filter, nint convolution, int algorithm,
        ulong workspace, nuint workspaceBytes, float* alpha2, nint zDescriptor, ulong z, nint biasDescriptor, ulong bias,
        nint activation, nint outputDescriptor, ulong output);

    [LibraryImport(Library)]
    public static unsafe partial int cudnnSoftmaxForward(
        nint handle, int algorithm, int mode, float* alpha, nint inputDescriptor, ulong input, float* beta, nint outputDescriptor, ulong output);

    [LibraryImport(Library)]
    public static partial int cudnnBackendCreateDescriptor(int descriptorType, out nint descriptor);

    [LibraryImport(Library)]
    public static partial int cudnnBackendDestroyDescriptor(nint descriptor);

    [LibraryImport(Library)]
    public static partial int cudnnBackendFinalize(nint descriptor);

    [LibraryImport(Library)]
    public static unsafe partial int cudnnBackendSetAttribute(nint descriptor, int attributeName, int attributeType, long elementCount, void* elements);

    [LibraryImport(Library)]
    public static unsafe partial int cudnnBackendGetAttribute(nint descriptor, int attributeName, int attributeType, long requestedElementCount, out long elementCount, void* elements);

    [LibraryImport(Library)]
    public static partial int cudnnBackendExecute(nint handle, nint executionPlan, nint variantPack);

    [LibraryImport(Library)]
    private static partial nint cudnnGetErrorString(int status);

    /// <summary>Throws a <see cref="CudaException"/> naming <paramref name="call"/> and cuDNN's status when it is not CUDNN_STATUS_SUCCESS.</summary>
    public static void Check(int status, string call)
    {
        if (status != 0)
        {
            throw new CudaException($"{call} failed: {Marshal.PtrToStringUTF8(cudnnGetErrorString(status))} ({status}).");
        }
    }

    /// <summary>cuDNN's version as major.minor.patch (cudnnGetVersion returns major·10000 + minor·100 + patch since 9).</summary>
    public static string VersionText()
    {
        nuint version = cudnnGetVersion();
        return $"{version / 10000}.{version / 100 % 100}.{version % 100}";
    }
}
