using System.Runtime.InteropServices;
using WebNN.Cpu.Kernels;
using WebNN.Graph;

namespace WebNN.Cpu.Lowerings;

/// <summary>conv2d on the NHWC direct-convolution kernel; other layouts are transposed around it, constant filters packed once here.</summary>
internal static class ConvolutionLowering
{
    private static readonly int[] NchwToNhwc = [0, 2, 3, 1];
    private static readonly int[] NhwcToNchw = [0, 3, 1, 2];

    public static IEnumerable<KeyValuePair<string, CpuOperatorEntry>> Entries()
    {
        yield return new("conv2d", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, Conv2d));
        yield return new("convTranspose2d", new CpuOperatorEntry(CpuOperators.Floats, ComputeInFloat32: true, ConvTranspose2d));
    }

    private static CpuStep Conv2d(MLOperator op, CpuLowering lowering)
    {
        var attributes = op.AttributesAs<Conv2dAttributes>();
        var input = lowering.Value(op.Input("input")!);
        var filter = lowering.Value(op.Input("filter")!);
        CpuValue? bias = op.Input("bias") is { } b ? lowering.Value(b) : null;
        var output = lowering.Value(op.Outputs[0]);
        bool nchw = attributes.InputLayout == MLInputOperandLayout.Nchw;
        var (n, cin, h, w) = nchw ? (input.Shape[0], input.Shape[1], input.Shape[2], input.Shape[3]) : (input.Shape[0], input.Shape[3], input.Shape[1], input.Shape[2]);
        var (cout, oh, ow) = nchw ? (output.Shape[1], output.Shape[2], output.Shape[3]) : (output.Shape[3], output.Shape[1], output.Shape[2]);
        var (kh, kw) = attributes.FilterLayout switch
        {
            MLConv2dFilterOperandLayout.Oihw => (filter.Shape[2], filter.Shape[3]),
            MLConv2dFilterOperandLayout.Hwio => (filter.Shape[0], filter.Shape[1]),
            _ => (filter.Shape[1], filter.Shape[2]),
        };
        var geometry = new Conv2dGeometry(n, h, w, cin, oh, ow, cout, kh, kw, attributes.Groups,
            attributes.Padding[0], attributes.Padding[2], attributes.Strides[0], attributes.Strides[1], attributes.Dilations[0], attributes.Dilations[1]);
        var layout = attributes.FilterLayout;
        float[]? packed = null;
        CpuValue? packedScratch = null;
        if (lowering.ConstantBytes(filter) is { } constantFilter)
        {
            packed = new float[Conv2dKernel.PackedFilterLength(geometry)];
            Conv2dKernel.PackFilter(MemoryMarshal.Cast<byte, float>(constantFilter.AsSpan(0, filter.ByteLength)), layout, geometry, packed);
        }
        else
        {
            packedScratch = lowering.Scratch(MLOperandDataType.Float32, [Conv2dKernel.PackedFilterLength(geometry)]);
        }
        CpuValue? nhwcInput = nchw ? lowering.Scratch(MLOperandDataType.Float32, [n, h, w, cin]) : null;
        CpuValue? nhwcOutput = nchw ? lowering.Scratch(MLOperandDataType.Float32, [n, oh, ow, cout]) : null;
        // relu and clamp run in the kernel's store; other fused activations in a pass over the output.
        var epilogue = Conv2dEpilogue.None;
        (UnaryKind Kind, float Alpha, float Beta)? activationPass = null;
        if (attributes.Activation is { } fused)
        {
            var activation = ElementwiseLowering.Activation(fused);
            switch (activation.Kind)
            {
                case UnaryKind.Relu: epilogue = new Conv2dEpilogue(0, float.PositiveInfinity); break;
                case UnaryKind.Clamp: epilogue = new Conv2dEpilogue(activation.Alpha, activation.Beta); break;
                default: activationPass = activation; break;
            }
        }
        return new DelegateStep(run =>
        {
            ReadOnlySpan<float> filterPacked = packed;
            if (packedScratch is { } scratch)
            {
                Conv2dKernel.PackFilter(run.Floats(filter), layout, geometry, run.Floats(scratch));
                filterPacked = run.Floats(scratch);
            }
            ReadOnlySpan<float> biasValues = bias is { } biasValue ? run.Floats(biasValue) : [];
            if (nchw)
            {
                TransposeKernel.Run<float>(run.Floats(input), input.Shape, NchwToNhwc, run.Floats(nhwcInput!.Value));
                Conv2dKernel.Run(run.Floats(nhwcInput.Value), filterPacked, biasValues, run.Floats(nhwcOutput!.Value), geometry, epilogue);
                TransposeKernel.Run<float>(run.Floats(nhwcOutput.Value), nhwcOutput.Value.Shape, NhwcToNchw, run.Floats(output));
            }
            else
            {
                Conv2dKernel.Run(run.Floats(input), filterPacked, biasValues, run.Floats(output), geometry, epilogue);
            }
            if (activationPass is { } pass)
            {
                UnaryKernel.Run(pass.Kind, run.Floats(output), run.Floats(output), pass.Alpha, pass.Beta);
            }
        });
    }

    private static CpuStep ConvTranspose2d(MLOperator op, CpuLowering lowering)
    {
        var attributes = op.AttributesAs<ConvTranspose2dAttributes>();
        var input = lowering.Value(op.Input("input")!);
        var filter = lowering.Value(op.Input("filter")!);
        CpuValue? bias = op.Input("bias") is { } b ? lowering.Value(b) : null;
        var output = lowering.Value(op.Outputs[0]);
        bool nchw = attributes.InputLayout == MLInputOperandLayout.Nchw;
        var (n, cin, h, w) = nchw ? (input.Shape[0], input.Shape[1], input.Shape[2], input.Shape[3]) : (input.Shape[0], input.Shape[3], input.Shape[1], input.Shape[2]);
        var (cout, oh, ow) = nchw ? (output.Shape[1], output.Shape[2], output.Shape[3]) : (output.Shape[3], output.Shape[1], output.Shape[2]);
        var (layout, kh, kw) = attributes.FilterLayout switch
        {
            MLConvTranspose2dFilterOperandLayout.Iohw => (ConvTransposeFilterLayout.Iohw, filter.Shape[2], filter.Shape[3]),
            MLConvTranspose2dFilterOperandLayout.Hwoi => (ConvTransposeFilterLayout.Hwoi, filter.Shape[0], filter.Shape[1]),
            _ => (ConvTransposeFilterLayout.Ohwi, filter.Shape[1], filter.Shape[2]),
        };
        var geometry = new Conv2dGeometry(n, h, w, cin, oh, ow, cout, kh, kw, attributes.Groups,
            attributes.Padding[0], attributes.Padding[2], attributes.Strides[0], attributes.Strides[1], attributes.Dilations[0], attributes.Dilations[1]);
        CpuValue? nhwcInput = nchw ? lowering.Scratch(MLOperandDataType.Float32, [n, h, w, cin]) : null;
        CpuValue? nhwcOutput = nchw ? lowering.Scratch(MLOperandDataType.Float32, [n, oh, ow, cout]) : null;
        return new DelegateStep(run =>
        {
            ReadOnlySpan<float> biasValues = bias is { } biasValue ? run.Floats(biasValue) : [];
            if (nchw)
            {
                TransposeKernel.Run<float>(run.Floats(input), input.Shape, NchwToNhwc, run.Floats(nhwcInput!.Value));
                ConvTranspose2dKernel.Run(run.Floats(nhwcInput.Value), run.Floats(filter), layout, biasValues, run.Floats(nhwcOutput!.Value), geometry);
                TransposeKernel.Run<float>(run.Floats(nhwcOutput.Value), nhwcOutput.Value.Shape, NhwcToNchw, run.Floats(output));
            }
            else
            {
                ConvTranspose2dKernel.Run(run.Floats(input), run.Floats(filter), layout, biasValues, run.Floats(output), geometry);
            }
        });
    }
}
