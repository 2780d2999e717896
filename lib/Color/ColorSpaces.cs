namespace SplitBrain.Color;

/// <summary>
/// The color spaces the course compares, as shared instances (they are stateless), e.g.
/// <c>ColorSpaces.Lab.FromRgb(rgb)</c> or <c>new ChannelSplit(ColorSpaces.YCbCr, [0], [1, 2])</c>.
/// </summary>
public static class ColorSpaces
{
    /// <summary>CIE Lab, D65 and 2° observer (the paper's space): L 0..100, a and b about −110..110.</summary>
    public static LabColorSpace Lab { get; } = new();

    /// <summary>YCbCr, ITU-R BT.601 full range: Y 0..1, Cb and Cr −0.5..0.5.</summary>
    public static YCbCrColorSpace YCbCr { get; } = new();

    /// <summary>sRGB as float32 0..1, unchanged (the baseline).</summary>
    public static RgbColorSpace Rgb { get; } = new();

    /// <summary>All of the above, in that order, for notebooks that loop over spaces.</summary>
    public static IReadOnlyList<IColorSpace> All { get; } = Array.AsReadOnly<IColorSpace>([Lab, YCbCr, Rgb]);
}
