using static TorchSharp.torch;

namespace SplitBrain.Color;

/// <summary>
/// Everything a split-brain network needs to know about the space it is trained in (<see cref="ColorSplit"/>): the
/// <see cref="ChannelSplit"/> into a first half of one channel and a second half of two, how each half is normalised
/// into a network input, the range of the first channel (divided into uniform bins) and the bin size of the second
/// half's 2-D grid.
/// </summary>
/// <remarks>
/// <para>Normalisation is <c>(x − centre) / norm</c> per half, so that both inputs lie within about ±1 as in the
/// paper's Lab: L (0..100) as <c>(L − 50) / 100</c> and ab as <c>ab / 110</c> (<see cref="LabNormalization"/>'s
/// constants); Y (0..1) as <c>Y − 0.5</c> and CbCr (±0.5) as <c>CbCr / 0.5</c>; R (0..1) as <c>R − 0.5</c> and GB as
/// <c>(GB − 0.5) / 0.5</c>.</para>
/// <para>Bin sizes: Lab's ab grid is the paper's (10 units, 313 in-gamut bins, a table shipped as data). YCbCr's CbCr
/// grid has bins 0.05 wide, about 10 / 110 of the normalised range as ab's; RGB's GB grid 0.05 as well. Which of a
/// grid's bins exist is computed from the RGB cube (<c>GamutGrid</c>), not listed by hand.</para>
/// </remarks>
public sealed record SplitSpace
{
    private SplitSpace(ColorSplit kind, ChannelSplit channels, double firstCenter, double firstNorm, double firstMin,
        double firstMax, double secondCenter, double secondNorm, double secondSpacing)
    {
        Kind = kind;
        Channels = channels;
        FirstCenter = firstCenter;
        FirstNorm = firstNorm;
        FirstMin = firstMin;
        FirstMax = firstMax;
        SecondCenter = secondCenter;
        SecondNorm = secondNorm;
        SecondSpacing = secondSpacing;
    }

    /// <summary>The paper's Lab, L | ab.</summary>
    public static SplitSpace Lab { get; } = new(ColorSplit.Lab, ChannelSplit.Lab,
        LabNormalization.LCenter, LabNormalization.LNorm, 0, 100, 0, LabNormalization.AbNorm, 10);

    /// <summary>YCbCr, Y | CbCr: Y uniform over 0..1, CbCr on a grid of 0.05.</summary>
    public static SplitSpace YCbCr { get; } = new(ColorSplit.YCbCr, ChannelSplit.YCbCr, 0.5, 1, 0, 1, 0, 0.5, 0.05);

    /// <summary>sRGB, R | GB: R uniform over 0..1, GB on a grid of 0.05.</summary>
    public static SplitSpace Rgb { get; } = new(ColorSplit.Rgb, new ChannelSplit(ColorSpaces.Rgb, [0], [1, 2]), 0.5, 1, 0, 1, 0.5, 0.5, 0.05);

    /// <summary>Which split this is.</summary>
    public ColorSplit Kind { get; }

    /// <summary>The space and its two channel groups (the first of one channel, the second of two).</summary>
    public ChannelSplit Channels { get; }

    /// <summary>The color space.</summary>
    public IColorSpace Space => Channels.Space;

    /// <summary>The first channel's value that normalises to 0 (L: 50).</summary>
    public double FirstCenter { get; }

    /// <summary>The first channel's divisor (L: 100).</summary>
    public double FirstNorm { get; }

    /// <summary>The lower end of the first channel's range, where its uniform bins start (L: 0).</summary>
    public double FirstMin { get; }

    /// <summary>The upper end of the first channel's range (L: 100).</summary>
    public double FirstMax { get; }

    /// <summary>The second half's value that normalises to 0 (ab: 0).</summary>
    public double SecondCenter { get; }

    /// <summary>The second half's divisor (ab: 110).</summary>
    public double SecondNorm { get; }

    /// <summary>The side of a bin of the second half's 2-D grid, in its units (ab: 10).</summary>
    public double SecondSpacing { get; }

    /// <summary>The split of <paramref name="split"/>.</summary>
    /// <param name="split">A defined <see cref="ColorSplit"/>.</param>
    /// <returns>Its shared instance.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="split"/> is not one of the named values.</exception>
    public static SplitSpace For(ColorSplit split) => split switch
    {
        ColorSplit.Lab => Lab,
        ColorSplit.YCbCr => YCbCr,
        ColorSplit.Rgb => Rgb,
        _ => throw new ArgumentOutOfRangeException(nameof(split), split,
            $"{nameof(ColorSplit)} must be one of {string.Join(", ", Enum.GetNames<ColorSplit>())}; got {split}."),
    };

    /// <summary>
    /// The trainable split equal to <paramref name="channels"/>: the quantizers bin one channel uniformly and two on a
    /// grid, and know the ranges of the three splits of <see cref="ColorSplit"/> only.
    /// </summary>
    /// <param name="channels">A channel split, e.g. <see cref="ChannelSplit.YCbCr"/>.</param>
    /// <returns>The matching split.</returns>
    /// <exception cref="ArgumentException">No <see cref="ColorSplit"/> has these channels (e.g. <c>Lab: a | Lb</c>); the
    /// message names the ones there are.</exception>
    public static SplitSpace Of(ChannelSplit channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        return Enum.GetValues<ColorSplit>().Select(For).FirstOrDefault(s => s.Channels.Equals(channels))
            ?? throw new ArgumentException(
                $"The split {channels} cannot be binned: the quantizers bin one channel uniformly and two on a grid, for "
                + $"{string.Join(", ", Enum.GetValues<ColorSplit>().Select(s => $"{s} ({For(s).Channels})"))}; use one of those.",
                nameof(channels));
    }

    /// <summary>The images in the space, float32 <c>[N, 3, H, W]</c> (<see cref="IColorSpace.FromRgb"/>).</summary>
    /// <param name="rgb">sRGB images, uint8 (0..255) or floating (0..1).</param>
    /// <returns>A new tensor on the images' device.</returns>
    public Tensor FromRgb(Tensor rgb) => Space.FromRgb(rgb);

    /// <summary>The first half as F1's input: <c>(x − FirstCenter) / FirstNorm</c>.</summary>
    /// <param name="first">First-channel values, any shape, floating.</param>
    /// <returns>A new tensor.</returns>
    public Tensor NormalizeFirst(Tensor first) => first.sub(FirstCenter).div_(FirstNorm);

    /// <summary>The second half as F2's input: <c>(x − SecondCenter) / SecondNorm</c>.</summary>
    /// <param name="second">Second-half values, any shape, floating.</param>
    /// <returns>A new tensor.</returns>
    public Tensor NormalizeSecond(Tensor second) =>
        SecondCenter == 0 ? second.div(SecondNorm) : second.sub(SecondCenter).div_(SecondNorm);

    /// <summary>sRGB in 0..1 of the two halves joined (<see cref="ChannelSplit.Join"/>, then the space's ToRgb).</summary>
    /// <param name="first">The first channel <c>[N, 1, H, W]</c>, in the space's units.</param>
    /// <param name="second">The second half <c>[N, 2, H, W]</c>, in the space's units.</param>
    /// <returns>float32 sRGB <c>[N, 3, H, W]</c>, clipped to [0, 1].</returns>
    public Tensor ToRgb(Tensor first, Tensor second)
    {
        using var scope = NewDisposeScope();
        return Space.ToRgb(Channels.Join(first, second)).MoveToOuterDisposeScope();
    }

    /// <summary>The second half's neutral value (grey: ab 0, CbCr 0; RGB's GB at mid-range), for showing the first alone.</summary>
    public double SecondNeutral => SecondCenter;

    /// <summary>The split's name and halves, e.g. <c>"YCbCr: Y | CbCr"</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Channels.ToString();
}
