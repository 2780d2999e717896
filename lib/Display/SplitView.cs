using SplitBrain.Color;
using static TorchSharp.torch;

namespace SplitBrain.Display;

/// <summary>
/// Shows what a <see cref="ChannelSplit"/> hands each sub-network: the images, then the first channel subset alone
/// (e.g. L, as a grey image), then the second alone (e.g. ab, on a neutral lightness).
/// </summary>
public static class SplitView
{
    /// <summary>A grid with three labelled rows: the images and the two channel subsets.</summary>
    /// <param name="images">[N, 3, H, W] sRGB, uint8 0..255 or floating 0..1.</param>
    /// <param name="split">The split; <see cref="ChannelSplit.Lab"/> when null.</param>
    /// <param name="displaySize">Width in CSS pixels of each image.</param>
    public static ImageGrid Of(Tensor images, ChannelSplit? split = null, int displaySize = 96)
    {
        split ??= ChannelSplit.Lab;
        using var scope = NewDisposeScope();
        var x = split.Space.FromRgb(images);                                          // [N, 3, H, W] in the split's space
        var (first, second) = split.Split(x);
        // The "neutral" value of each channel is that of mid-grey: L=53.4, a=b=0 in Lab; Y=0.5, Cb=Cr=0 in YCbCr.
        var grey = split.Space.FromRgb(full(1, 3, 1, 1, 0.5f, ScalarType.Float32, device: images.device)).expand_as(x);
        var (greyFirst, greySecond) = split.Split(grey);
        var firstOnly = split.Space.ToRgb(split.Join(first, greySecond));
        var secondOnly = split.Space.ToRgb(split.Join(greyFirst, second));
        return ImageGrid.Rows(
        [
            new ImageGrid.ImageRow("image", images),
            new ImageGrid.ImageRow(split.FirstName, firstOnly),
            new ImageGrid.ImageRow(split.SecondName, secondOnly),
        ], displaySize, title: split.ToString());
    }

    /// <summary>
    /// One row per channel of a color space, each channel drawn as a grey image (stretched from its smallest to its
    /// largest value in the batch, so that its structure shows whatever its range).
    /// </summary>
    /// <param name="images">[N, 3, H, W] sRGB, uint8 0..255 or floating 0..1.</param>
    /// <param name="space">The color space; Lab when null.</param>
    /// <param name="displaySize">Width in CSS pixels of each image.</param>
    public static ImageGrid Channels(Tensor images, IColorSpace? space = null, int displaySize = 96)
    {
        space ??= ColorSpaces.Lab;
        using var scope = NewDisposeScope();
        var x = space.FromRgb(images); // [N, 3, H, W]
        var rows = new List<ImageGrid.ImageRow> { new("image", images) };
        for (var c = 0; c < 3; c++)
        {
            var channel = x[.., c..(c + 1)];                              // [N, 1, H, W]
            var (low, high) = (channel.min(), channel.max());
            rows.Add(new ImageGrid.ImageRow(space.ChannelNames[c], (channel - low) / (high - low).clamp_min(1e-6)));
        }
        return ImageGrid.Rows(rows, displaySize, title: $"{space.Name} channels (each stretched to its range)");
    }
}
