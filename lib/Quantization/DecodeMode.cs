namespace SplitBrain.Quantization;

/// <summary>How <see cref="Quantizer.Decode"/> turns a distribution over bins into one value per position.</summary>
public enum DecodeMode
{
    /// <summary>The centre of the most probable bin. Vivid but blotchy: neighbouring pixels jump between bins.</summary>
    Mode,

    /// <summary>The expectation of the centres under the distribution. Smooth but desaturated (Zhang 2016, fig. 3).</summary>
    Mean,

    /// <summary>
    /// The expectation under the distribution sharpened to <c>p^(1/T)</c> and renormalised (Zhang 2016, sec. 2.3, eq. 5).
    /// T = 1 is <see cref="Mean"/>; T towards 0 approaches <see cref="Mode"/>; the paper uses T = 0.38.
    /// </summary>
    AnnealedMean,
}
