namespace SplitBrain.Quantization;

/// <summary>
/// Options of soft encoding (Zhang 2016, sec. 2.1): a value is spread over its <see cref="K"/> nearest bin centres,
/// each weighted by <c>exp(-d^2 / (2 Sigma^2))</c> of its distance d, and the weights are normalised to sum to 1.
/// </summary>
/// <param name="K">How many nearest bins receive weight (1 gives a one-hot, hard target). Default 5.</param>
/// <param name="Sigma">Width of the Gaussian, in the quantizer's units (ab or L). Default 5 (ab units).</param>
/// <remarks>
/// The defaults are the paper's ab values (<see cref="QuantizationDefaults.SoftEncodingK"/>,
/// <see cref="QuantizationDefaults.SoftEncodingSigma"/>). A quantizer's own default is
/// <see cref="Quantizer.DefaultSoftEncoding"/>: for L bins 1 unit wide its sigma is 0.5, the same fraction of the bin
/// spacing as 5 is of the 10-unit ab grid. Values are checked when used, against the quantizer's number of bins.
/// </remarks>
public sealed record SoftEncoding(
    int K = QuantizationDefaults.SoftEncodingK,
    double Sigma = QuantizationDefaults.SoftEncodingSigma)
{
    /// <summary>The paper's soft encoding of ab targets: K = 5, sigma = 5.</summary>
    public static SoftEncoding Paper { get; } = new();
}
