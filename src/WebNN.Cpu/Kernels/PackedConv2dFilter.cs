namespace WebNN.Cpu.Kernels;

/// <summary>
/// A conv2d filter in the layout its kernel reads, made once (a constant filter's at build): for a depthwise filter
/// (one input and one output channel per group) the weights as [kh][kw][c]; for any other, per group the
/// [kh·kw·cin/groups × cout/groups] matrix packed for <see cref="Gemm"/>, or for a convolution that
/// <see cref="WinogradConv2d"/> computes its 16 transformed matrices instead.
/// </summary>
internal sealed class PackedConv2dFilter
{
    /// <param name="filter">The filter's values in <paramref name="layout"/>.</param>
    /// <param name="shape">Its 4 dimensions.</param>
    /// <param name="layout">Oihw, Hwio, Ohwi or Ihwo.</param>
    /// <param name="groups">The convolution's groups.</param>
    /// <param name="winograd">The convolution is one <see cref="WinogradConv2d"/> computes (see <see cref="WinogradConv2d.Applies"/>).</param>
    public PackedConv2dFilter(ReadOnlySpan<float> filter, ReadOnlySpan<int> shape, MLConv2dFilterOperandLayout layout, int groups, bool winograd = false)
    {
        var (outputChannels, inputChannelsPerGroup, height, width) = Conv2d.FilterDims(shape, layout);
        Height = height;
        Width = width;
        Groups = groups;
        int outputChannelsPerGroup = outputChannels / groups, kSize = height * width * inputChannelsPerGroup;
        var matrices = new float[groups * kSize * outputChannelsPerGroup];
        Conv2d.ReorderFilter(filter, shape, layout, groups, matrices);
        if (inputChannelsPerGroup == 1 && outputChannelsPerGroup == 1 && groups > 1)
        {
            // The matrices are [c][ky][kx]; the depthwise loop reads [ky][kx][c].
            DepthwiseWeights = new float[matrices.Length];
            ConvLayout.Transpose(matrices, DepthwiseWeights, groups, height * width);
            GroupMatrices = [];
            return;
        }
        DepthwiseWeights = [];
        if (winograd)
        {
            WinogradMatrices = WinogradConv2d.TransformFilter(matrices, inputChannelsPerGroup, outputChannels);
            GroupMatrices = [];
            return;
        }
        GroupMatrices = new PackedGemmB[groups];
        for (int g = 0; g < groups; g++)
        {
            GroupMatrices[g] = new PackedGemmB(matrices.AsSpan(g * kSize * outputChannelsPerGroup, kSize * outputChannelsPerGroup),
                kSize, outputChannelsPerGroup, outputChannelsPerGroup, transB: false);
        }
    }

    public int Height { get; }

    public int Width { get; }

    public int Groups { get; }

    public bool IsDepthwise => DepthwiseWeights.Length > 0;

    /// <summary>[kh][kw][c] for a depthwise filter, else empty.</summary>
    public float[] DepthwiseWeights { get; }

    /// <summary>Per group the packed [kh·kw·cin/groups × cout/groups] matrix; empty for a depthwise or Winograd filter.</summary>
    public PackedGemmB[] GroupMatrices { get; }

    /// <summary>The 16 transformed [cin × cout] matrices of <see cref="WinogradConv2d"/>, else empty.</summary>
    public PackedGemmB[] WinogradMatrices { get; } = [];
}
