using WebNN.Cuda.Interop;
using WebNN.Graph;

namespace WebNN.Cuda.Kernels;

/// <summary>
/// softmax through cuDNN (float32 or float16, computing in float32): the input seen as NCHW [outer, axis, inner, 1], so that cuDNN's per-channel softmax
/// (CUDNN_SOFTMAX_MODE_CHANNEL, the accurate algorithm that subtracts the maximum) runs along WebNN's axis.
/// </summary>
internal static class CudnnSoftmax
{
    public static void Lower(MLOperator op, CudaGraph.CudaGraphBuilder b)
    {
        int axis = op.AttributesAs<SoftmaxAttributes>().Axis;
        var input = b.Value(op.Inputs[0].Operand);
        var shape = input.Shape;
        long outer = Shapes.ElementCount(shape.AsSpan(0, axis));
        long inner = Shapes.ElementCount(shape.AsSpan(axis + 1));
        b.Step(new SoftmaxStep(input, b.Value(op.Outputs[0]), checked((int)outer), shape[axis], checked((int)inner)));
    }

    private sealed class SoftmaxStep : CudaStep
    {
        private readonly CudaValue _input, _output;
        private readonly nint _descriptor;

        public SoftmaxStep(CudaValue input, CudaValue output, int outer, int axis, int inner)
        {
            _input = input;
            _output = output;
            Cudnn.Check(Cudnn.cudnnCreateTensorDescriptor(out _descriptor), "cudnnCreateTensorDescriptor");
            int dataType = input.DataType == MLOperandDataType.Float16 ? Cudnn.DataHalf : Cudnn.DataFloat;
            Cudnn.Check(Cudnn.cudnnSetTensor4dDescriptor(_descriptor, Cudnn.FormatNchw, dataType, outer, axis, inner, 1), "cudnnSetTensor4dDescriptor");
        }

        public override unsafe void Run(CudaRun run)
        {
            float one = 1, zero = 0;
            Cudnn.Check(Cudnn.cudnnSoftmaxForward(run.Context.CudnnHandle, Cudnn.SoftmaxAccurate, Cudnn.SoftmaxModeChannel,
                &one, _descriptor, run.Pointer(_input), &zero, _descriptor, run.Pointer(_output)), "cudnnSoftmaxForward");
        }

        public override void Dispose() => _ = Cudnn.cudnnDestroyTensorDescriptor(_descriptor);
    }
}
