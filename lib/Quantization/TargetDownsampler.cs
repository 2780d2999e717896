using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Quantization;

/// <summary>
/// Brings targets down to the resolution the sub-networks predict at, by averaging non-overlapping f x f blocks.
/// </summary>
/// <remarks>
/// Works on any [N, C, H, W] floating map: ab or L values before encoding (as the released code shrinks ab before
/// <c>NNEncode</c>), or a bin distribution [N, Q, H, W] after it (block means of distributions still sum to 1).
/// </remarks>
public static class TargetDownsampler
{
    /// <summary>Mean over each <paramref name="factor"/> x <paramref name="factor"/> block (average pooling, stride = size).</summary>
    /// <param name="x">[N, C, H, W] floating-point map; H and W must be multiples of <paramref name="factor"/>.</param>
    /// <param name="factor">Block side f, at least 1; default 8 (96 x 96 -&gt; 12 x 12).</param>
    /// <returns>[N, C, H / f, W / f] block means, same dtype and device as <paramref name="x"/>.</returns>
    public static Tensor Downsample(Tensor x, int factor = QuantizationDefaults.TargetDownsampleFactor)
    {
        const string expected = "a [N, C, H, W] tensor";
        TensorArguments.RequireRank(x, 4, expected, nameof(x));
        TensorArguments.RequireFloating(x, expected, nameof(x));
        if (factor < 1)
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"{nameof(factor)} must be at least 1; got {factor}.");
        if (x.shape[2] % factor != 0 || x.shape[3] % factor != 0)
            throw new ArgumentException(
                $"{nameof(x)} must have H and W divisible by {nameof(factor)} = {factor}; got {TensorArguments.Describe(x)} " +
                $"(crop or resize the images to a multiple of {factor} first).", nameof(x));
        if (factor == 1)
            return x.clone();
        return nn.functional.avg_pool2d(x, new long[] { factor, factor }, new long[] { factor, factor });
    }
}
