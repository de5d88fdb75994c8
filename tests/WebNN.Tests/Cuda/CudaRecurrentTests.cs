using static WebNN.Tests.Cpu.CpuGraphRunner;

namespace WebNN.Tests.Cuda;

/// <summary>gru, gruCell, lstm and lstmCell on the cuda backend agree with the CPU backend (run on an NVIDIA GPU; skipped elsewhere).</summary>
[Collection(CudaContextCollection.Name)]
public sealed class CudaRecurrentTests(CudaContextFixture fixture)
{
    private const int Steps = 3, Batch = 2, InputSize = 4, Hidden = 5;

    private static MLOperand Constant(MLGraphBuilder g, int seed, params int[] shape) =>
        g.Constant(new MLOperandDescriptor(MLOperandDataType.Float32, shape), RandomFloats(seed, (int)Shapes.ElementCount(shape), -0.6f, 0.6f));

    private static (int[], float[]) Random(int seed, params int[] shape) => (shape, RandomFloats(seed, (int)Shapes.ElementCount(shape)));

    public static TheoryData<MLRecurrentNetworkDirection, MLGruWeightLayout, bool> GruCases()
    {
        var data = new TheoryData<MLRecurrentNetworkDirection, MLGruWeightLayout, bool>();
        foreach (var direction in Enum.GetValues<MLRecurrentNetworkDirection>())
        {
            data.Add(direction, MLGruWeightLayout.Zrn, true);
            data.Add(direction, MLGruWeightLayout.Rzn, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(GruCases))]
    public async Task Gru_agrees_with_the_cpu_in_every_direction_layout_and_reset(MLRecurrentNetworkDirection direction, MLGruWeightLayout layout, bool resetAfter)
    {
        int directions = direction == MLRecurrentNetworkDirection.Both ? 2 : 1;
        foreach (int output in new[] { 0, 1 })
        {
            foreach (bool optional in new[] { true, false })
            {
                await fixture.AssertSameAsync((g, x) => g.Gru(x[0], Constant(g, 2, directions, 3 * Hidden, InputSize), Constant(g, 3, directions, 3 * Hidden, Hidden), Steps, Hidden, new MLGruOptions
                {
                    Bias = optional ? Constant(g, 4, directions, 3 * Hidden) : null,
                    RecurrentBias = optional ? Constant(g, 5, directions, 3 * Hidden) : null,
                    InitialHiddenState = optional ? Constant(g, 6, directions, Batch, Hidden) : null,
                    ResetAfter = resetAfter, ReturnSequence = true, Direction = direction, Layout = layout,
                    Activations = optional ? null : [MLRecurrentNetworkActivation.Sigmoid, MLRecurrentNetworkActivation.Relu],
                })[output], 1e-4, Random(1, Steps, Batch, InputSize));
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GruCell_agrees_with_the_cpu(bool resetAfter)
    {
        await fixture.AssertSameAsync((g, x) => g.GruCell(x[0], Constant(g, 2, 3 * Hidden, InputSize), Constant(g, 3, 3 * Hidden, Hidden), x[1], Hidden, new MLGruCellOptions
        {
            Bias = Constant(g, 4, 3 * Hidden), RecurrentBias = Constant(g, 5, 3 * Hidden), ResetAfter = resetAfter, Layout = MLGruWeightLayout.Rzn,
        }), 1e-4, Random(1, Batch, InputSize), Random(6, Batch, Hidden));
    }

    public static TheoryData<MLRecurrentNetworkDirection, MLLstmWeightLayout> LstmCases()
    {
        var data = new TheoryData<MLRecurrentNetworkDirection, MLLstmWeightLayout>();
        foreach (var direction in Enum.GetValues<MLRecurrentNetworkDirection>())
        {
            foreach (var layout in Enum.GetValues<MLLstmWeightLayout>())
            {
                data.Add(direction, layout);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(LstmCases))]
    public async Task Lstm_agrees_with_the_cpu_in_every_direction_and_layout(MLRecurrentNetworkDirection direction, MLLstmWeightLayout layout)
    {
        int directions = direction == MLRecurrentNetworkDirection.Both ? 2 : 1;
        foreach (int output in new[] { 0, 1, 2 })
        {
            foreach (bool optional in new[] { true, false })
            {
                await fixture.AssertSameAsync((g, x) => g.Lstm(x[0], Constant(g, 2, directions, 4 * Hidden, InputSize), Constant(g, 3, directions, 4 * Hidden, Hidden), Steps, Hidden, new MLLstmOptions
                {
                    Bias = optional ? Constant(g, 4, directions, 4 * Hidden) : null,
                    RecurrentBias = optional ? Constant(g, 5, directions, 4 * Hidden) : null,
                    PeepholeWeight = optional ? Constant(g, 6, directions, 3 * Hidden) : null,
                    InitialHiddenState = optional ? Constant(g, 7, directions, Batch, Hidden) : null,
                    InitialCellState = optional ? Constant(g, 8, directions, Batch, Hidden) : null,
                    ReturnSequence = true, Direction = direction, Layout = layout,
                    Activations = optional ? null : [MLRecurrentNetworkActivation.Sigmoid, MLRecurrentNetworkActivation.Relu, MLRecurrentNetworkActivation.Tanh],
                })[output], 1e-4, Random(1, Steps, Batch, InputSize));
            }
        }
    }

    [Fact]
    public async Task LstmCell_agrees_with_the_cpu()
    {
        foreach (int output in new[] { 0, 1 })
        {
            await fixture.AssertSameAsync((g, x) => g.LstmCell(x[0], Constant(g, 2, 4 * Hidden, InputSize), Constant(g, 3, 4 * Hidden, Hidden), x[1], x[2], Hidden, new MLLstmCellOptions
            {
                Bias = Constant(g, 4, 4 * Hidden), RecurrentBias = Constant(g, 5, 4 * Hidden), PeepholeWeight = Constant(g, 6, 3 * Hidden), Layout = MLLstmWeightLayout.Ifgo,
            })[output], 1e-4, Random(1, Batch, InputSize), Random(7, Batch, Hidden), Random(8, Batch, Hidden));
        }
    }
}
