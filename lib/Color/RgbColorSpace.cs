using System.Collections.ObjectModel;
using static TorchSharp.torch;

namespace SplitBrain.Color;

/// <summary>
/// sRGB itself as an <see cref="IColorSpace"/> (the baseline to compare Lab with): channels R, G, B as
/// float32 in 0..1, gamma-encoded. <see cref="FromRgb"/> only changes the dtype (uint8 is divided by 255);
/// <see cref="ToRgb"/> clips to [0, 1].
/// </summary>
/// <remarks>A record without state, so any two instances are equal; use <see cref="ColorSpaces.Rgb"/>.</remarks>
public sealed record RgbColorSpace : IColorSpace
{
    private static readonly ReadOnlyCollection<string> Channels = Array.AsReadOnly(["R", "G", "B"]);

    /// <inheritdoc />
    public string Name => "RGB";

    /// <inheritdoc />
    public IReadOnlyList<string> ChannelNames => Channels;

    /// <inheritdoc />
    /// <remarks>Always a new tensor, even for float32 input, so the caller may dispose it freely.</remarks>
    public Tensor FromRgb(Tensor rgb)
    {
        ColorTensors.CheckImage(rgb, nameof(rgb), "sRGB images");
        using var scope = NewDisposeScope();
        var x = ColorTensors.ToUnitFloat(rgb, nameof(rgb));
        // For float32 input the cast above shares the input's memory; clone so the result never aliases it.
        return (rgb.dtype == ScalarType.Float32 ? x.clone() : x).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor ToRgb(Tensor x)
    {
        ColorTensors.CheckImage(x, nameof(x), "RGB images");
        using var scope = NewDisposeScope();
        return ColorTensors.ToFloat32(x, nameof(x)).clamp(0.0, 1.0).MoveToOuterDisposeScope();
    }

    /// <summary>The space's name, <c>"RGB"</c>.</summary>
    /// <returns><see cref="Name"/>.</returns>
    public override string ToString() => Name;
}
