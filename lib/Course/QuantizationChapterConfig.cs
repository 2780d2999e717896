using SplitBrain.Quantization;

namespace SplitBrain.Course;

/// <summary>The knobs of chapter 02 (quantization).</summary>
/// <param name="PriorImages">How many synthetic images the empirical color prior is counted over.</param>
/// <param name="ShowImages">How many images the pictures show.</param>
/// <param name="SoftK">Soft encoding: how many nearest bins share each value (Zhang et al. 2016: 5).</param>
/// <param name="SoftSigma">Soft encoding: width of the Gaussian, in ab units (Zhang et al. 2016: 5).</param>
/// <param name="Lambda">Class rebalancing: weight of the uniform distribution mixed into the prior (0.5).</param>
/// <param name="Temperature">Annealed-mean decoding temperature (Zhang et al. 2016: 0.38).</param>
/// <param name="Confidence">How much of a made-up "prediction" is the true color, the rest being the prior (0..1).</param>
/// <param name="Seed">Seed of the synthetic images.</param>
public sealed record QuantizationChapterConfig(
    int PriorImages = 2000,
    int ShowImages = 6,
    int SoftK = QuantizationDefaults.SoftEncodingK,
    double SoftSigma = QuantizationDefaults.SoftEncodingSigma,
    double Lambda = QuantizationDefaults.PriorMixLambda,
    double Temperature = QuantizationDefaults.AnnealedMeanTemperature,
    double Confidence = 0.6,
    int Seed = 0)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first knob out of range.</summary>
    public void Validate()
    {
        if (PriorImages < 1) throw new ArgumentException($"{nameof(PriorImages)} must be at least 1; got {PriorImages}.", nameof(PriorImages));
        if (ShowImages is < 1 or > 32) throw new ArgumentException($"{nameof(ShowImages)} must be in 1..32; got {ShowImages}.", nameof(ShowImages));
        if (SoftK < 1) throw new ArgumentException($"{nameof(SoftK)} must be at least 1; got {SoftK}.", nameof(SoftK));
        if (!(SoftSigma > 0)) throw new ArgumentException($"{nameof(SoftSigma)} must be positive; got {SoftSigma}.", nameof(SoftSigma));
        if (Lambda is < 0 or > 1) throw new ArgumentException($"{nameof(Lambda)} must be in 0..1; got {Lambda}.", nameof(Lambda));
        if (!(Temperature > 0)) throw new ArgumentException($"{nameof(Temperature)} must be positive; got {Temperature}.", nameof(Temperature));
        if (Confidence is < 0 or > 1) throw new ArgumentException($"{nameof(Confidence)} must be in 0..1; got {Confidence}.", nameof(Confidence));
    }
}
