using WebNN.Cpu.Lowerings;

namespace WebNN.Cpu;

/// <summary>How the CPU backend runs one operator: the data types it accepts and how it lowers to a step.</summary>
/// <param name="DataTypes">The data types of the operator's values it supports (index-like arguments keep the spec's types).</param>
/// <param name="ComputeInFloat32">True when the kernel is float32-only and float16 values run through float32 copies.</param>
/// <param name="Lower">Makes the step.</param>
internal sealed record CpuOperatorEntry(MLOperandDataType[] DataTypes, bool ComputeInFloat32, OperatorLowering Lower);

/// <summary>Every operator the CPU backend runs; <see cref="CpuContext.OpSupportLimits"/> reports exactly these.</summary>
internal static class CpuOperators
{
    /// <summary>float32 and float16, for float32 kernels that also serve float16 through conversion.</summary>
    public static readonly MLOperandDataType[] Floats = [MLOperandDataType.Float32, MLOperandDataType.Float16];

    public static readonly IReadOnlyDictionary<string, CpuOperatorEntry> Registry = new Dictionary<string, CpuOperatorEntry>(
        [
            .. ElementwiseLowering.Entries(),
            .. ConvolutionLowering.Entries(),
            .. MatMulLowering.Entries(),
            .. ReductionLowering.Entries(),
            .. NormalizationLowering.Entries(),
            .. DataMovementLowering.Entries(),
            .. RecurrentLowering.Entries(),
            .. LogicalLowering.Entries(),
            .. IndexingLowering.Entries(),
            .. AxisLowering.Entries(),
            .. QuantizationLowering.Entries(),
            .. Resample2dLowering.Entries(),
        ]);
}
