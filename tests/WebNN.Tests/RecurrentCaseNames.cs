namespace WebNN.Tests;

/// <summary>Short names for the recurrent tests' cases (Cpu.RecurrentTests, WebGpu.RecurrentKernelTests), and their input size.</summary>
internal static class RecurrentCaseNames
{
    public const int InputSize = 5;
    public const MLOperandDataType F32 = MLOperandDataType.Float32;
    public const MLOperandDataType F16 = MLOperandDataType.Float16;
    public const MLRecurrentNetworkDirection Forward = MLRecurrentNetworkDirection.Forward;
    public const MLRecurrentNetworkDirection Backward = MLRecurrentNetworkDirection.Backward;
    public const MLRecurrentNetworkDirection Both = MLRecurrentNetworkDirection.Both;
    public const MLRecurrentNetworkActivation Relu = MLRecurrentNetworkActivation.Relu;
    public const MLRecurrentNetworkActivation Sigmoid = MLRecurrentNetworkActivation.Sigmoid;
    public const MLRecurrentNetworkActivation Tanh = MLRecurrentNetworkActivation.Tanh;
}
