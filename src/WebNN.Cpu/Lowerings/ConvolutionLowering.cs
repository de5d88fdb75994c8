using WebNN.Cpu.Kernels;
using WebNN.Graph;

namespace WebNN.Cpu.Lowerings;

/// <summary>conv2d (with a fused bias, summand and activation) and convTranspose2d on the implicit-GEMM and Winograd kernels.</summary>
internal static class ConvolutionLowering
{
    public static IEnumerable<KeyValuePair<string, CpuOperatorEntry>> Entries()
    {
        yield return new("conv2d", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, Conv2dStep));
        yield return new("convTranspose2d", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, ConvTranspose2dStep));
    }

    private static CpuStep Conv2dStep(MLOperator op, CpuLowering lowering)
    {
        var a = op.AttributesAs<Conv2dAttributes>();
        var input = lowering.Value(op.Input("input")!);
        var filter = lowering.Value(op.Input("filter")!);
        CpuValue? bias = op.Input("bias") is { } b ? lowering.Value(b) : null;
        CpuValue? summand = op.Input("summand") is { } s ? lowering.Value(s) : null;
        var output = lowering.Value(op.Outputs[0]);
        // The shapes are known here: whether the filter is packed for Winograd's F(2×2, 3×3) is decided once.
        var (outputChannels, _, filterHeight, filterWidth) = Conv2d.FilterDims(filter.Shape, a.FilterLayout);
        bool nchw = a.InputLayout == MLInputOperandLayout.Nchw;
        bool winograd = WinogradConv2d.Applies(input.Shape[0], nchw ? input.Shape[1] : input.Shape[3], outputChannels, filterHeight, filterWidth,
            a.Strides, a.Dilations, a.Groups, nchw ? output.Shape[2] : output.Shape[1], nchw ? output.Shape[3] : output.Shape[2]);
        // A constant filter is packed here, once; any other at every run.
        var packedFilter = lowering.ConstantFloats(op.Input("filter")!) is { } constant
            ? new PackedConv2dFilter(constant, filter.Shape, a.FilterLayout, a.Groups, winograd)
            : null;
        // relu runs inside the GEMM's store; any other fused activation in a pass over the output.
        var activation = a.Activation is { } fused ? ElementwiseLowering.Activation(fused) : ((UnaryKind Kind, float Alpha, float Beta)?)null;
        bool relu = activation?.Kind == UnaryKind.Relu;
        return new DelegateStep(run =>
        {
            var y = run.Floats(output);
            Conv2d.Compute(run.Floats(input), input.Shape, a.InputLayout,
                packedFilter ?? new PackedConv2dFilter(run.Floats(filter), filter.Shape, a.FilterLayout, a.Groups, winograd),
                bias is { } biasValue ? run.Floats(biasValue) : [], y, output.Shape, a.Padding, a.Strides, a.Dilations, relu,
                summand is { } summandValue ? run.Floats(summandValue) : []);
            if (activation is { } pass && !relu)
            {
                UnaryKernel.Run(pass.Kind, y, y, pass.Alpha, pass.Beta);
            }
        });
    }

    private static CpuStep ConvTranspose2dStep(MLOperator op, CpuLowering lowering)
    {
        var a = op.AttributesAs<ConvTranspose2dAttributes>();
        var input = lowering.Value(op.Input("input")!);
        var filter = lowering.Value(op.Input("filter")!);
        CpuValue? bias = op.Input("bias") is { } b ? lowering.Value(b) : null;
        var output = lowering.Value(op.Outputs[0]);
        var layout = a.FilterLayout switch
        {
            MLConvTranspose2dFilterOperandLayout.Iohw => ConvTranspose2dFilterLayout.Iohw,
            MLConvTranspose2dFilterOperandLayout.Hwoi => ConvTranspose2dFilterLayout.Hwoi,
            _ => ConvTranspose2dFilterLayout.Ohwi,
        };
        return new DelegateStep(run => ConvTranspose2d.Compute(run.Floats(input), input.Shape, a.InputLayout, run.Floats(filter), filter.Shape, layout,
            bias is { } biasValue ? run.Floats(biasValue) : [], run.Floats(output), output.Shape, a.Padding, a.Strides, a.Dilations, a.Groups));
    }
}
