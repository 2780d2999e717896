using static TorchSharp.torch;

namespace SplitBrain.Color;

/// <summary>
/// The scaling that turns Lab values into network inputs and targets, and back: L is centred on 50 and
/// divided by 100 (so 0..100 becomes −0.5..0.5), a and b are divided by 110 (about −1..1).
/// </summary>
/// <remarks>
/// The constants are those of the original colorization code: richzhang/colorization,
/// colorizers/base_color.py (<c>l_cent = 50</c>, <c>l_norm = 100</c>, <c>ab_norm = 110</c>, with
/// <c>normalize_l</c>, <c>unnormalize_l</c>, <c>normalize_ab</c>, <c>unnormalize_ab</c>), which the
/// split-brain autoencoder shares. The functions accept any shape (an L map <c>[N, 1, H, W]</c>, an ab map
/// <c>[N, 2, H, W]</c>, ab bin centres <c>[Q, 2]</c>) and any floating dtype, return a new tensor of the
/// same shape, dtype and device (one new tensor, modified in place, so nothing is left to dispose), and never
/// modify their input.
/// </remarks>
public static class LabNormalization
{
    /// <summary>The L value that normalises to 0 (mid-grey lightness): 50.</summary>
    public const double LCenter = 50.0;

    /// <summary>The divisor for centred L: 100, the full L range, so L 0..100 maps to −0.5..0.5.</summary>
    public const double LNorm = 100.0;

    /// <summary>The divisor for a and b: 110, about their largest magnitude, so ab maps to about −1..1.</summary>
    public const double AbNorm = 110.0;

    /// <summary>Normalises lightness: <c>(L − 50) / 100</c>.</summary>
    /// <param name="l">L values (0..100), any shape, floating dtype.</param>
    /// <returns>A new tensor, about −0.5..0.5.</returns>
    /// <exception cref="ArgumentException"><paramref name="l"/> is not floating.</exception>
    public static Tensor NormalizeL(Tensor l)
    {
        CheckFloating(l, nameof(l));
        return l.sub(LCenter).div_(LNorm);
    }

    /// <summary>Inverse of <see cref="NormalizeL"/>: <c>L = x · 100 + 50</c>.</summary>
    /// <param name="normalizedL">Normalised lightness, any shape, floating dtype.</param>
    /// <returns>A new tensor of L values.</returns>
    /// <exception cref="ArgumentException"><paramref name="normalizedL"/> is not floating.</exception>
    public static Tensor DenormalizeL(Tensor normalizedL)
    {
        CheckFloating(normalizedL, nameof(normalizedL));
        return normalizedL.mul(LNorm).add_(LCenter);
    }

    /// <summary>Normalises the color channels: <c>ab / 110</c>.</summary>
    /// <param name="ab">a and b values (about −110..110), any shape, floating dtype.</param>
    /// <returns>A new tensor, about −1..1.</returns>
    /// <exception cref="ArgumentException"><paramref name="ab"/> is not floating.</exception>
    public static Tensor NormalizeAb(Tensor ab)
    {
        CheckFloating(ab, nameof(ab));
        return ab.div(AbNorm);
    }

    /// <summary>Inverse of <see cref="NormalizeAb"/>: <c>ab = x · 110</c>.</summary>
    /// <param name="normalizedAb">Normalised a and b, any shape, floating dtype.</param>
    /// <returns>A new tensor of a and b values.</returns>
    /// <exception cref="ArgumentException"><paramref name="normalizedAb"/> is not floating.</exception>
    public static Tensor DenormalizeAb(Tensor normalizedAb)
    {
        CheckFloating(normalizedAb, nameof(normalizedAb));
        return normalizedAb.mul(AbNorm);
    }

    // Integer inputs would be silently promoted or truncated; Lab values are always floating.
    private static void CheckFloating(Tensor x, string paramName)
    {
        ArgumentNullException.ThrowIfNull(x, paramName);
        if (!x.is_floating_point())
        {
            throw new ArgumentException(
                $"Expected a floating dtype (Lab values); got dtype {x.dtype} (shape {ColorTensors.Shape(x)}).",
                paramName);
        }
    }
}
