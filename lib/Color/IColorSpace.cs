using static TorchSharp.torch;

namespace SplitBrain.Color;

/// <summary>
/// A three-channel color space that images can be converted into and back, so that a notebook can swap the
/// space a split-brain network sees (Lab, YCbCr, RGB) without changing anything else.
/// </summary>
/// <remarks>
/// Implementations are stateless, work on whatever device their input is on, never modify or dispose their
/// input, and return float32. See <see cref="ColorSpaces"/> for the shared instances.
/// </remarks>
public interface IColorSpace
{
    /// <summary>Short display name, e.g. <c>"Lab"</c>.</summary>
    string Name { get; }

    /// <summary>The names of the three channels in order, e.g. <c>L</c>, <c>a</c>, <c>b</c>.</summary>
    IReadOnlyList<string> ChannelNames { get; }

    /// <summary>Converts sRGB images into this space.</summary>
    /// <param name="rgb">
    /// sRGB images <c>[N, 3, H, W]</c> (or one image <c>[3, H, W]</c>), uint8 in 0..255 or floating in 0..1.
    /// </param>
    /// <returns>float32 values in this space, same shape and device.</returns>
    /// <exception cref="ArgumentException">Wrong shape, or a dtype that is neither uint8 nor floating.</exception>
    Tensor FromRgb(Tensor rgb);

    /// <summary>Converts values in this space back to sRGB, clipped into the sRGB gamut.</summary>
    /// <param name="x">Values in this space, <c>[N, 3, H, W]</c> (or <c>[3, H, W]</c>), floating dtype.</param>
    /// <returns>float32 sRGB in [0, 1], same shape and device.</returns>
    /// <exception cref="ArgumentException">Wrong shape, or a dtype that is not floating.</exception>
    Tensor ToRgb(Tensor x);
}
