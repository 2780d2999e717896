using System.Net;
using System.Text;
using SplitBrain.Color;
using SplitBrain.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Display;

/// <summary>
/// A grid of images with optional row labels and captions: inline PNGs in HTML (no files, no network), a one-line
/// summary in a console, and one PNG file with <see cref="Save"/>.
/// </summary>
/// <remarks>
/// Small images (a 12x12 target) are enlarged without smoothing so each pixel stays a visible square.
/// The grid copies what it shows: it keeps PNG bytes, not tensors, so nothing needs disposing.
/// </remarks>
public sealed class ImageGrid : View
{
    private readonly List<Row> _rows;

    private ImageGrid(List<Row> rows, int displaySize, string? title)
    {
        _rows = rows;
        DisplaySize = displaySize;
        Title = title;
    }

    /// <summary>A labelled row of images, built with <see cref="ImageGrid.Rows"/>.</summary>
    /// <param name="Label">Shown at the start of the row (e.g. "L" or "ab").</param>
    /// <param name="Images">[N, 3, H, W] or [N, 1, H, W] sRGB, uint8 0..255 or floating 0..1, any device.</param>
    /// <param name="Captions">One caption per image, or null.</param>
    public sealed record ImageRow(string Label, Tensor Images, IReadOnlyList<string>? Captions = null);

    private sealed record Row(string? Label, List<(byte[] Png, string? Caption)> Cells, int Width, int Height);

    /// <summary>Width in CSS pixels each image is drawn at.</summary>
    public int DisplaySize { get; }

    /// <summary>The caption over the grid, if any.</summary>
    public string? Title { get; }

    /// <summary>Number of images in the grid.</summary>
    public int Count => _rows.Sum(r => r.Cells.Count);

    /// <summary>The PNG files of the images, row by row.</summary>
    public IEnumerable<byte[]> Pngs => _rows.SelectMany(r => r.Cells.Select(c => c.Png));

    /// <summary>Images of an sRGB batch, wrapped into rows of <paramref name="columns"/>.</summary>
    /// <param name="images">[N, 3, H, W] or [N, 1, H, W] (grey), uint8 0..255 or floating 0..1, any device.</param>
    /// <param name="captions">One caption per image, or null.</param>
    /// <param name="columns">Images per row.</param>
    /// <param name="displaySize">Width in CSS pixels of each image.</param>
    /// <param name="title">A caption over the grid.</param>
    public static ImageGrid FromRgb(Tensor images, IReadOnlyList<string>? captions = null, int columns = 8, int displaySize = 96, string? title = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        var cells = Encode(images, captions, nameof(images));
        var (height, width) = ((int)images.shape[2], (int)images.shape[3]);
        var rows = cells.Chunk(columns).Select(chunk => new Row(null, chunk.ToList(), width, height)).ToList();
        return new ImageGrid(rows, displaySize, title);
    }

    /// <summary>Images of a Lab batch ([N, 3, H, W], L 0..100), shown in sRGB.</summary>
    /// <param name="lab">[N, 3, H, W] float Lab.</param>
    /// <param name="captions">One caption per image, or null.</param>
    /// <param name="columns">Images per row.</param>
    /// <param name="displaySize">Width in CSS pixels of each image.</param>
    /// <param name="title">A caption over the grid.</param>
    public static ImageGrid FromLab(Tensor lab, IReadOnlyList<string>? captions = null, int columns = 8, int displaySize = 96, string? title = null)
    {
        using var rgb = Lab.ToRgb(lab);
        return FromRgb(rgb, captions, columns, displaySize, title);
    }

    /// <summary>One labelled row per batch, e.g. the images, their L channel and their ab channels.</summary>
    /// <param name="rows">The rows, top to bottom.</param>
    /// <param name="displaySize">Width in CSS pixels of each image.</param>
    /// <param name="title">A caption over the grid.</param>
    public static ImageGrid Rows(IEnumerable<ImageRow> rows, int displaySize = 96, string? title = null) =>
        new(rows.Select(r => new Row(r.Label, Encode(r.Images, r.Captions, nameof(rows)), (int)r.Images.shape[3], (int)r.Images.shape[2])).ToList(),
            displaySize, title);

    /// <summary>Writes the whole grid as one PNG (images side by side, 2-pixel white gaps; labels and captions left out).</summary>
    /// <param name="path">A .png file; written atomically.</param>
    public void Save(string path)
    {
        const int gap = 2;
        var cellWidth = _rows.Max(r => r.Width);
        var cellHeight = _rows.Max(r => r.Height);
        var columns = _rows.Max(r => r.Cells.Count);
        using var canvas = full(3, _rows.Count * (cellHeight + gap) - gap, columns * (cellWidth + gap) - gap, (byte)255, ScalarType.Byte);
        for (var r = 0; r < _rows.Count; r++)
        for (var c = 0; c < _rows[r].Cells.Count; c++)
        {
            using var image = ImageFile.Decode(_rows[r].Cells[c].Png); // [3, h, w]
            var top = r * (cellHeight + gap);
            var left = c * (cellWidth + gap);
            using var target = canvas[.., top..(top + (int)image.shape[1]), left..(left + (int)image.shape[2])];
            target.copy_(image);
        }
        ImageFile.Save(canvas, path);
    }

    /// <inheritdoc />
    public override string ToHtml()
    {
        var html = new StringBuilder("<div class=\"splitbrain-grid\" style=\"font:12px sans-serif\">");
        if (Title is not null) html.Append("<div style=\"font-weight:600;margin:2px 0 4px\">").Append(WebUtility.HtmlEncode(Title)).Append("</div>");
        html.Append("<table style=\"border-collapse:collapse\">");
        foreach (var row in _rows)
        {
            // Upscaled images keep hard pixel edges: a 12x12 target should look like 144 squares, not a blur.
            var pixelated = DisplaySize > row.Width ? "image-rendering:pixelated;" : "";
            var heightPx = (int)Math.Round(DisplaySize * (double)row.Height / row.Width);
            html.Append("<tr>");
            if (row.Label is not null)
                html.Append("<td style=\"padding:2px 8px 2px 0;text-align:right;vertical-align:middle;white-space:nowrap\">").Append(WebUtility.HtmlEncode(row.Label)).Append("</td>");
            foreach (var (png, caption) in row.Cells)
            {
                html.Append("<td style=\"padding:2px;vertical-align:top;text-align:center\">")
                    .Append("<img style=\"").Append(pixelated).Append("width:").Append(DisplaySize).Append("px;height:").Append(heightPx)
                    .Append("px;display:block\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(png)).Append("\"/>");
                if (caption is not null)
                    html.Append("<div style=\"max-width:").Append(DisplaySize).Append("px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap\">")
                        .Append(WebUtility.HtmlEncode(caption)).Append("</div>");
                html.Append("</td>");
            }
            html.Append("</tr>");
        }
        return html.Append("</table></div>").ToString();
    }

    /// <inheritdoc />
    public override string ToText()
    {
        var size = _rows.Count == 0 ? "" : $" of {_rows[0].Width}x{_rows[0].Height}";
        var labels = _rows.Any(r => r.Label is not null) ? $" (rows: {string.Join(", ", _rows.Select(r => r.Label))})" : "";
        return $"[{Title ?? "images"}: {Count} images{size}{labels}]";
    }

    private static List<(byte[], string?)> Encode(Tensor images, IReadOnlyList<string>? captions, string argument)
    {
        ArgumentNullException.ThrowIfNull(images, argument);
        if (images.dim() != 4 || (images.shape[1] != 3 && images.shape[1] != 1))
            throw new ArgumentException(
                $"{argument} must be a batch [N, 3, H, W] or [N, 1, H, W]; got a tensor of shape [{string.Join(", ", images.shape)}].", argument);
        if (captions is not null && captions.Count != images.shape[0])
            throw new ArgumentException($"{argument}: {captions.Count} captions for {images.shape[0]} images.", argument);
        using var scope = NewDisposeScope();
        var bytes = images.dtype == ScalarType.Byte
            ? images.cpu()
            : images.detach().cpu().to_type(ScalarType.Float32).clamp(0, 1).mul(255).round().to_type(ScalarType.Byte);
        if (bytes.shape[1] == 1) bytes = bytes.expand(-1, 3, -1, -1);
        var cells = new List<(byte[], string?)>((int)bytes.shape[0]);
        for (var i = 0; i < bytes.shape[0]; i++)
            cells.Add((ImageFile.EncodePng(bytes[i]), captions?[i]));
        return cells;
    }
}
