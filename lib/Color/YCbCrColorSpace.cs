using System.Collections.ObjectModel;
using static TorchSharp.torch;

namespace SplitBrain.Color;

/// <summary>
/// YCbCr, ITU-R BT.601 full range (the JPEG/JFIF variant), as an <see cref="IColorSpace"/>: a luma channel
/// and two color-difference channels computed linearly from gamma-encoded sRGB in 0..1.
/// </summary>
/// <remarks>
/// <para>
/// From ITU-R BT.601 (Kr = 0.299, Kb = 0.114) with JFIF's full-range scaling (ITU-T T.871):
/// <c>Y = 0.299 R + 0.587 G + 0.114 B</c>,
/// <c>Cb = −0.168736 R − 0.331264 G + 0.5 B</c>,
/// <c>Cr = 0.5 R − 0.418688 G − 0.081312 B</c>.
/// </para>
/// <para>
/// Ranges: Y 0..1, Cb and Cr −0.5..0.5, centred on 0 like Lab's a and b (JFIF stores Cb and Cr with an
/// offset of 0.5, i.e. 128 in bytes; add 0.5 to compare with JPEG's values). Grey has Cb = Cr = 0.
/// The inverse is the exact inverse matrix (computed in double), so a round trip of in-gamut colors is
/// exact up to float32 rounding; <see cref="ToRgb"/> clips to [0, 1].
/// </para>
/// <para>A record without state, so any two instances are equal; use <see cref="ColorSpaces.YCbCr"/>.</para>
/// </remarks>
public sealed record YCbCrColorSpace : IColorSpace
{
    private static readonly ReadOnlyCollection<string> Channels = Array.AsReadOnly(["Y", "Cb", "Cr"]);

    private static readonly double[,] YCbCrFromRgb =
    {
        { 0.299, 0.587, 0.114 },
        { -0.168736, -0.331264, 0.5 },
        { 0.5, -0.418688, -0.081312 },
    };

    private static readonly double[,] RgbFromYCbCr = ColorTensors.Invert(YCbCrFromRgb);

    /// <inheritdoc />
    public string Name => "YCbCr";

    /// <inheritdoc />
    public IReadOnlyList<string> ChannelNames => Channels;

    /// <inheritdoc />
    /// <returns>float32 Y in 0..1, Cb and Cr in −0.5..0.5, same shape and device.</returns>
    public Tensor FromRgb(Tensor rgb)
    {
        ColorTensors.CheckImage(rgb, nameof(rgb), "sRGB images");
        using var scope = NewDisposeScope();
        var x = ColorTensors.ToUnitFloat(rgb, nameof(rgb));
        return ColorTensors.Mix(YCbCrFromRgb, x).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor ToRgb(Tensor x)
    {
        ColorTensors.CheckImage(x, nameof(x), "YCbCr images");
        using var scope = NewDisposeScope();
        var values = ColorTensors.ToFloat32(x, nameof(x));
        return ColorTensors.Mix(RgbFromYCbCr, values).clamp_(0.0, 1.0).MoveToOuterDisposeScope();
    }

    /// <summary>The space's name, <c>"YCbCr"</c>.</summary>
    /// <returns><see cref="Name"/>.</returns>
    public override string ToString() => Name;
}
