namespace WebNN.WebGpu.Kernels;

/// <summary>
/// prelu as a broadcast binary kernel over input (x) and slope (z), with the CPU's formula slope · min(x, 0) + max(x, 0);
/// on integers it wraps, as the CPU's does.
/// </summary>
internal static class PreluKernels
{
    public static IEnumerable<KeyValuePair<string, GpuOperator>> Operators()
    {
        yield return new("prelu", GpuOperator.Single(WebGpuOperators.FloatsAndWrappedIntegers, (op, b) =>
            WebGpuOperators.Binary(op, b, op.Inputs[0].Operand.DataType.IsFloatingPoint() ? "z * min(x, 0.0) + max(x, 0.0)" : "z * min(x, 0) + max(x, 0)")));
    }
}
