using SplitBrain.Color;
using SplitBrain.Data;
using SplitBrain.Display;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Training;

/// <summary>
/// The per-epoch preview picture of a run (<c>previews/epoch-NNN.png</c>): three rows (the images, their L, F1's
/// colorization) saved with <see cref="ImageGrid.Save"/>, and read back into its first and last rows, so that one file
/// per epoch serves both the epoch's picture and the all-epochs grid (<see cref="PretrainingRuns.Previews"/>).
/// </summary>
internal static class PreviewSheet
{
    /// <summary>The white gap <see cref="ImageGrid.Save"/> leaves between images (a test checks that they agree).</summary>
    internal const int Gap = 2;

    /// <summary>The grid of one epoch: originals, L as grey, colorization; all [N, 3, S, S] uint8 or float 0..1. The rows
    /// are named after the split's halves (<paramref name="split"/>; Lab's L and ab when null).</summary>
    internal static ImageGrid Grid(Tensor originals, Tensor lightness, Tensor colorized, string title, int displaySize = 96,
        SplitSpace? split = null)
    {
        var (first, second) = split is null ? ("L", "ab") : (split.Channels.FirstName, split.Channels.SecondName);
        return ImageGrid.Rows(
        [
            new ImageGrid.ImageRow("original", originals),
            new ImageGrid.ImageRow($"{first} (input)", lightness),
            new ImageGrid.ImageRow($"{first} \u2192 {second} (F1)", colorized),
        ], displaySize, title);
    }

    /// <summary>The first and last rows of a saved sheet, each uint8 [N, 3, S, S] on the CPU (the caller owns them).</summary>
    /// <exception cref="InvalidDataException">The picture does not have the sheet's layout.</exception>
    internal static (Tensor Originals, Tensor Colorized) Read(string path)
    {
        using var scope = NewDisposeScope();
        var sheet = ImageFile.Load(path);                                   // [3, H, W]
        var (height, width) = ((int)sheet.shape[1], (int)sheet.shape[2]);
        var side = (height - 2 * Gap) / 3;
        var count = (width + Gap) / (side + Gap);
        if (side < 1 || 3 * side + 2 * Gap != height || count * (side + Gap) - Gap != width)
        {
            throw new InvalidDataException(
                $"'{path}' ({width} x {height}) is not a preview sheet: 3 rows of square images with {Gap}-pixel gaps.");
        }

        Tensor Row(int row) => stack(Enumerable.Range(0, count).Select(c => sheet[
            .., (row * (side + Gap))..(row * (side + Gap) + side), (c * (side + Gap))..(c * (side + Gap) + side)]).ToArray()); // [N, 3, S, S]

        return (Row(0).MoveToOuterDisposeScope(), Row(2).MoveToOuterDisposeScope());
    }
}
