namespace SplitBrain.Color;

/// <summary>
/// The color spaces and splits a split-brain network can be trained on (<c>PretrainConfig.Split</c>,
/// <c>--set Split=YCbCr</c>): which channels the two sub-networks see and predict. <see cref="SplitSpace.For"/> gives
/// each its channels, normalisation and bin sizes.
/// </summary>
public enum ColorSplit
{
    /// <summary>The paper's split: CIE Lab, F1 sees L and predicts ab, F2 sees ab and predicts L (the default).</summary>
    Lab,

    /// <summary>YCbCr (ITU-R BT.601 full range, JPEG's): F1 sees the luma Y and predicts CbCr, F2 the reverse.</summary>
    YCbCr,

    /// <summary>sRGB itself: F1 sees R and predicts GB, F2 the reverse. The baseline of chapter 1: R tells much about G
    /// and B, so the task is easy and teaches little.</summary>
    Rgb,
}
