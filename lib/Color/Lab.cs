using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Color;

/// <summary>
/// Conversion between sRGB and CIE L*a*b* (CIELAB) under the D65 illuminant and the 2° standard observer,
/// batched, as tensor operations on the input's device.
/// </summary>
/// <remarks>
/// <para>
/// The formulas and every constant are those of scikit-image's <c>skimage.color.rgb2lab</c> and
/// <c>lab2rgb</c> (skimage/color/colorconv.py, version 0.19), the functions the original colorization and
/// split-brain code (richzhang/colorization, richzhang/splitbrainauto) used to make their training data,
/// so Lab values here match the ones those models were trained on (tested to 1e-3):
/// </para>
/// <list type="number">
/// <item>sRGB decoding (IEC 61966-2-1): <c>lin = c / 12.92</c> for <c>c ≤ 0.04045</c>, else
/// <c>((c + 0.055) / 1.055)^2.4</c>.</item>
/// <item><c>XYZ = M · lin</c>, with M the sRGB matrix
/// <c>[[0.412453, 0.357580, 0.180423], [0.212671, 0.715160, 0.072169], [0.019334, 0.119193, 0.950227]]</c>.</item>
/// <item><c>t = XYZ / white</c>, white = (0.95047, 1.0, 1.08883);
/// <c>f(t) = t^(1/3)</c> for <c>t &gt; 0.008856</c>, else <c>7.787 t + 16/116</c>.</item>
/// <item><c>L = 116 f(Y) − 16</c>, <c>a = 500 (f(X) − f(Y))</c>, <c>b = 200 (f(Y) − f(Z))</c>.</item>
/// </list>
/// <para>
/// Value ranges over all 2^24 sRGB colors: L 0..100, a −86.18..98.23, b −107.86..94.48 (the library's
/// "about −110..110" for ab, which <see cref="LabNormalization.AbNorm"/> divides by). Note that sRGB white
/// (1, 1, 1) maps to L = 100, a = −0.0025, b = 0.0047, not exactly to (100, 0, 0): M's rows and the white
/// point come from different roundings, and scikit-image has the same offset.
/// </para>
/// <para>
/// Precision: computed in float32. Against scikit-image in float64, over a million colors (a 3-step uint8
/// grid, random colors, dark colors) the largest difference measured was 6.5e-5 (in a; 1.8e-5 in L), and
/// 1.2e-5 in RGB over half a million random Lab values for the reverse, far inside the 1e-3 the tests ask
/// for; every one of the 2^24 uint8 colors survives <see cref="FromRgb"/> then <see cref="ToRgbBytes"/>
/// exactly. So float64 buys nothing here, and would cost speed and memory on a GPU.
/// </para>
/// </remarks>
public static class Lab
{
    // sRGB companding (IEC 61966-2-1), as scikit-image writes it.
    private const double EncodedThreshold = 0.04045;
    private const double LinearThreshold = 0.0031308;
    private const double LinearSlope = 12.92;
    private const double Gamma = 2.4;
    private const double Offset = 0.055;

    // CIE Lab's f(t), with scikit-image's rounded constants: epsilon = 0.008856 (≈ (6/29)^3),
    // kappa/116 = 7.787 (≈ (29/6)^2 / 3), and the f-space threshold 0.2068966 (≈ 6/29).
    private const double Epsilon = 0.008856;
    private const double LinearFactor = 7.787;
    private const double LinearIntercept = 16.0 / 116.0;
    private const double FThreshold = 0.2068966;

    /// <summary>The D65 reference white for the 2° observer, (X, Y, Z), as in scikit-image.</summary>
    private static readonly double[] White = [0.95047, 1.0, 1.08883];

    /// <summary>Linear sRGB to XYZ, from the sRGB specification, as in scikit-image.</summary>
    private static readonly double[,] XyzFromRgb =
    {
        { 0.412453, 0.357580, 0.180423 },
        { 0.212671, 0.715160, 0.072169 },
        { 0.019334, 0.119193, 0.950227 },
    };

    // The division by the white point is folded into the matrix (row i divided by White[i]), and its
    // inverse multiplies back, so each direction is one matrix product; both are formed in double.
    private static readonly double[,] WhiteScaledFromRgb = DivideRows(XyzFromRgb, White);
    private static readonly double[,] RgbFromWhiteScaled = ColorTensors.Invert(WhiteScaledFromRgb);

    // L, a, b as one matrix on (f(X), f(Y), f(Z)): L = 116 fy - 16, a = 500 (fx - fy), b = 200 (fy - fz).
    private static readonly double[,] LabFromF = { { 0, 116, 0 }, { 500, -500, 0 }, { 0, 200, -200 } };

    // Keys of the per-device constants below.
    private static readonly object DecodingTableKey = new();
    private static readonly object LabOffsetKey = new();

    /// <summary>
    /// Converts sRGB to CIE Lab (D65, 2°).
    /// </summary>
    /// <param name="rgb">
    /// sRGB images <c>[N, 3, H, W]</c>, uint8 in 0..255 or any floating dtype in 0..1; a single image
    /// <c>[3, H, W]</c> is accepted too. Any device.
    /// </param>
    /// <returns>
    /// float32 Lab of the same shape and device: L in 0..100, a and b in about −110..110 (see the remarks of
    /// <see cref="Lab"/>).
    /// </returns>
    /// <exception cref="ArgumentException">The shape is not <c>[N, 3, H, W]</c> or <c>[3, H, W]</c>, or the
    /// dtype is neither uint8 nor floating.</exception>
    public static Tensor FromRgb(Tensor rgb)
    {
        ColorTensors.CheckImage(rgb, nameof(rgb), "sRGB images");
        using var scope = NewDisposeScope();
        // 8-bit images (the training pipeline's input) are decoded with a 256-entry table of the same formula:
        // one gather instead of eight elementwise passes, which made the whole conversion about 5x faster on a CPU.
        var linear = rgb.dtype == ScalarType.Byte ? DecodeBytes(rgb) : Decode(ColorTensors.ToUnitFloat(rgb, nameof(rgb)));

        var t = ColorTensors.Mix(WhiteScaledFromRgb, linear); // [N, 3, H, W]: X/Xw, Y/Yw, Z/Zw
        var f = where(
            t.gt(Epsilon),
            t.clamp_min(Epsilon).pow_(1.0 / 3.0),
            t.mul(LinearFactor).add_(LinearIntercept));

        var offset = ColorTensors.Constant(LabOffsetKey, rgb.device, () => tensor(new[] { -16f, 0f, 0f }).reshape(3, 1, 1));
        return ColorTensors.Mix(LabFromF, f).add_(offset).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Converts CIE Lab (D65, 2°) to sRGB in 0..1, clipping out-of-gamut colors exactly as scikit-image's
    /// <c>lab2rgb</c> does: a negative <c>f(Z) = f(Y) − b/200</c> is set to 0 (very yellow colors), and
    /// the resulting RGB is clipped to [0, 1] channel by channel.
    /// </summary>
    /// <param name="lab">
    /// Lab images <c>[N, 3, H, W]</c> (or one image <c>[3, H, W]</c>), any floating dtype, any device.
    /// Any values are accepted (network outputs need not be in gamut).
    /// </param>
    /// <returns>float32 sRGB in [0, 1], same shape and device.</returns>
    /// <exception cref="ArgumentException">The shape is not <c>[N, 3, H, W]</c> or <c>[3, H, W]</c>, or
    /// the dtype is not floating.</exception>
    public static Tensor ToRgb(Tensor lab)
    {
        ColorTensors.CheckImage(lab, nameof(lab), "Lab images");
        using var scope = NewDisposeScope();
        var x = ColorTensors.ToFloat32(lab, nameof(lab));

        var fy = x.select(-3, 0).add(16.0).div_(116.0);
        var fx = x.select(-3, 1).div(500.0).add_(fy);
        var fz = x.select(-3, 2).div(-200.0).add_(fy).clamp_min_(0.0);
        var f = stack([fx, fy, fz], -3);

        var t = where(
            f.gt(FThreshold),
            f.pow(3.0),
            f.sub(LinearIntercept).div_(LinearFactor));

        var linear = ColorTensors.Mix(RgbFromWhiteScaled, t);

        // Clamped into the power branch for the same reason as in FromRgb: no NaN from negative inputs.
        var encoded = where(
            linear.gt(LinearThreshold),
            linear.clamp_min(LinearThreshold).pow_(1.0 / Gamma).mul_(1 + Offset).sub_(Offset),
            linear.mul(LinearSlope));
        return encoded.clamp_(0.0, 1.0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Converts CIE Lab to 8-bit sRGB: <see cref="ToRgb"/> scaled by 255 and rounded to the nearest integer
    /// (ties to even). For any uint8 color <c>c</c>, <c>ToRgbBytes(FromRgb(c)) == c</c>.
    /// </summary>
    /// <param name="lab">Lab images <c>[N, 3, H, W]</c> (or <c>[3, H, W]</c>), floating dtype, any device.</param>
    /// <returns>uint8 sRGB in 0..255, same shape and device.</returns>
    /// <exception cref="ArgumentException">As for <see cref="ToRgb"/>.</exception>
    public static Tensor ToRgbBytes(Tensor lab)
    {
        using var scope = NewDisposeScope();
        var rgb = ToRgb(lab);
        return rgb.mul_(255.0).round_().to_type(ScalarType.Byte).MoveToOuterDisposeScope();
    }

    /// <summary>sRGB decoding (IEC 61966-2-1) of values in 0..1.</summary>
    private static Tensor Decode(Tensor encoded) =>
        // The power law is evaluated on values clamped into its branch: torch.where evaluates both branches,
        // and a power of a negative (out-of-range) input would be NaN there, which would poison gradients.
        where(
            encoded.gt(EncodedThreshold),
            encoded.clamp_min(EncodedThreshold).add(Offset).div_(1 + Offset).pow_(Gamma),
            encoded.div(LinearSlope));

    /// <summary>sRGB decoding of uint8 values by table lookup; the table is the same formula, in double, rounded once.</summary>
    private static Tensor DecodeBytes(Tensor bytes)
    {
        var table = ColorTensors.Constant(DecodingTableKey, bytes.device, () => tensor(Enumerable.Range(0, 256).Select(i =>
        {
            var c = i / 255.0;
            return (float)(c > EncodedThreshold ? Math.Pow((c + Offset) / (1 + Offset), Gamma) : c / LinearSlope);
        }).ToArray()));
        return table.index_select(0, bytes.flatten().to_type(ScalarType.Int64)).view(bytes.shape);
    }

    private static double[,] DivideRows(double[,] m, double[] divisors)
    {
        var result = new double[3, 3];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                result[i, j] = m[i, j] / divisors[i];
            }
        }

        return result;
    }
}
