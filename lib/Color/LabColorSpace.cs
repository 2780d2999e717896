using System.Collections.ObjectModel;
using static TorchSharp.torch;

namespace SplitBrain.Color;

/// <summary>
/// CIE Lab (D65, 2°) as an <see cref="IColorSpace"/>: channels L (0..100), a and b (about −110..110).
/// The conversion is <see cref="Lab"/>'s, which matches scikit-image.
/// </summary>
/// <remarks>A record without state, so any two instances are equal; use <see cref="ColorSpaces.Lab"/>.</remarks>
public sealed record LabColorSpace : IColorSpace
{
    private static readonly ReadOnlyCollection<string> Channels = Array.AsReadOnly(["L", "a", "b"]);

    /// <inheritdoc />
    public string Name => "Lab";

    /// <inheritdoc />
    public IReadOnlyList<string> ChannelNames => Channels;

    /// <inheritdoc />
    public Tensor FromRgb(Tensor rgb) => Lab.FromRgb(rgb);

    /// <inheritdoc />
    /// <remarks>Out-of-gamut colors are clipped as scikit-image's <c>lab2rgb</c> clips them.</remarks>
    public Tensor ToRgb(Tensor x) => Lab.ToRgb(x);

    /// <summary>The space's name, <c>"Lab"</c>.</summary>
    /// <returns><see cref="Name"/>.</returns>
    public override string ToString() => Name;
}
