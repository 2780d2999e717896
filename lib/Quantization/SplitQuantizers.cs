using SplitBrain.Color;
using static TorchSharp.torch;

namespace SplitBrain.Quantization;

/// <summary>The two quantizers of a split (<see cref="SplitSpace"/>): uniform bins over the first channel (F2's classes)
/// and the gamut grid of the second half (<see cref="GamutGrid"/>, F1's classes).</summary>
public static class SplitQuantizers
{
    /// <summary>
    /// <paramref name="bins"/> equal-width bins over the first channel's range: L over 0..100 ("L100" for 100 bins, the
    /// same as <see cref="Quantizer.Lightness"/>), Y or R over 0..1 ("Y100").
    /// </summary>
    /// <param name="split">The split.</param>
    /// <param name="bins">How many bins, at least 1.</param>
    /// <param name="device">Where to put the centres; the CPU when null.</param>
    /// <returns>A quantizer the caller owns.</returns>
    public static Quantizer First(SplitSpace split, int bins, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(split);
        return Quantizer.Uniform(bins, split.FirstMin, split.FirstMax, device, split.Channels.FirstName + bins);
    }

    /// <summary>
    /// The in-gamut grid bins of the second half: Lab's 313 ab bins (<see cref="Quantizer.AbGamut"/>), or the computed
    /// grid of YCbCr's CbCr or RGB's GB, named after the channels and the count ("CbCr280").
    /// </summary>
    /// <param name="split">The split.</param>
    /// <param name="device">Where to put the centres; the CPU when null.</param>
    /// <returns>A quantizer the caller owns.</returns>
    public static Quantizer Second(SplitSpace split, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(split);
        if (split.Kind == ColorSplit.Lab)
            return Quantizer.AbGamut(device);
        var values = GamutGrid.Centers(split);
        using var scope = NewDisposeScope();
        var centers = tensor(values, values.Length / 2, 2, ScalarType.Float32, device);
        return Quantizer.FromCenters(split.Channels.SecondName + values.Length / 2, centers, split.SecondSpacing);
    }
}
