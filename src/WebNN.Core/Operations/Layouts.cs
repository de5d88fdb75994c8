namespace WebNN;

/// <summary>The layout of 4-D image tensors (spec: <c>MLInputOperandLayout</c>).</summary>
public enum MLInputOperandLayout
{
    /// <summary>[batches, channels, height, width].</summary>
    Nchw,
    /// <summary>[batches, height, width, channels].</summary>
    Nhwc,
}
