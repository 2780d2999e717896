namespace SplitBrain.Quantization;

/// <summary>
/// The constants of the quantization side of the method, named once with their source.
/// Everything else in <c>SplitBrain.Quantization</c> takes these as defaults and lets a caller override them.
/// </summary>
/// <remarks>
/// "Zhang 2016" is Zhang, Isola, Efros, <i>Colorful Image Colorization</i>, ECCV 2016 (sections 2.1-2.3);
/// "the released code" is richzhang/colorization, <c>resources/caffe_traininglayers.py</c>.
/// </remarks>
public static class QuantizationDefaults
{
    /// <summary>Spacing of the ab grid the gamut bins sit on, in ab units (Zhang 2016, sec. 2.1: "grid size 10").</summary>
    public const double AbGridSpacing = 10.0;

    /// <summary>Number of in-gamut ab bins on that grid (Zhang 2016, sec. 2.1: Q = 313).</summary>
    public const int AbBins = 313;

    /// <summary>
    /// Nearest bins a soft-encoded target spreads over (Zhang 2016, sec. 2.1: "the 5-nearest neighbors").
    /// The released <c>NNEncLayer</c> uses 10; with sigma 5 the 6th to 10th neighbours would carry about 4% of the mass
    /// (measured on points spread over the gamut), so the two agree closely.
    /// </summary>
    public const int SoftEncodingK = 5;

    /// <summary>Gaussian kernel width of soft encoding, in ab units (Zhang 2016, sec. 2.1: sigma = 5; same in the released code).</summary>
    public const double SoftEncodingSigma = 5.0;

    /// <summary>
    /// Soft-encoding sigma as a fraction of a quantizer's bin spacing: 5 / 10 for ab. Applied to the other quantizers
    /// (L) so that a target spreads over the same number of neighbouring bins with the same profile.
    /// </summary>
    public const double SoftEncodingSigmaPerSpacing = SoftEncodingSigma / AbGridSpacing;

    /// <summary>Temperature of the annealed-mean decoding (Zhang 2016, sec. 2.3: T = 0.38).</summary>
    public const double AnnealedMeanTemperature = 0.38;

    /// <summary>
    /// Weight of the uniform distribution mixed into the prior before inverting it
    /// (Zhang 2016, sec. 2.2, eq. 4: lambda = 1/2; <c>gamma = .5</c> in the released <c>PriorBoostLayer</c>).
    /// </summary>
    public const double PriorMixLambda = 0.5;

    /// <summary>Exponent of the inverted mixed prior (the released <c>PriorBoostLayer</c>: <c>alpha = 1.</c>; eq. 4 of Zhang 2016 is the case 1).</summary>
    public const double RebalancingAlpha = 1.0;

    /// <summary>Width of the Gaussian that smooths the empirical prior over the bins, in ab units (Zhang 2016, sec. 2.2: sigma = 5).</summary>
    public const double PriorSmoothingSigma = 5.0;

    /// <summary>Number of L bins (course default: bins 1 L unit wide over the whole L range).</summary>
    public const int LightnessBins = 100;

    /// <summary>Lower end of the L range (CIE Lab: black).</summary>
    public const double LightnessMin = 0.0;

    /// <summary>Upper end of the L range (CIE Lab: diffuse white).</summary>
    public const double LightnessMax = 100.0;

    /// <summary>
    /// Side of the blocks targets are averaged over before encoding (course default: a 96 x 96 image gives
    /// 12 x 12 targets, the resolution the sub-networks predict at).
    /// </summary>
    public const int TargetDownsampleFactor = 8;
}
