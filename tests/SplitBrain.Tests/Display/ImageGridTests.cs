using SplitBrain.Data;
using SplitBrain.Display;
using SplitBrain.Tests.Support;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Display;

public class ImageGridTests
{
    [Fact]
    public void FromRgb_WrapsIntoRowsAndEmbedsEachImageAsPng()
    {
        using var images = zeros(5, 3, 12, 12, ScalarType.Byte);

        var grid = ImageGrid.FromRgb(images, columns: 2, displaySize: 48);

        Assert.Equal(5, grid.Count);
        var html = grid.ToHtml();
        Assert.Equal(5, html.Split("src=\"data:image/png;base64,").Length - 1);
        Assert.Equal(3, html.Split("<tr>").Length - 1);
        Assert.Contains("image-rendering:pixelated", html); // 12 px drawn at 48 px keeps square pixels
        Assert.All(grid.Pngs, png => Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]));
    }

    [Fact]
    public void FromRgb_FloatAndByteOfSameColors_GiveSamePixels()
    {
        using var floats = full(1, 3, 4, 4, 0.5f);
        using var bytes = full(1, 3, 4, 4, (byte)128, ScalarType.Byte);

        using var a = ImageFile.Decode(ImageGrid.FromRgb(floats).Pngs.Single());
        using var b = ImageFile.Decode(ImageGrid.FromRgb(bytes).Pngs.Single());

        Assert.True(a.Equals(b));
    }

    [Fact]
    public void FromRgb_GreyBatch_ShownAsGrey()
    {
        using var grey = linspace(0, 1, 16).reshape(1, 1, 4, 4);

        using var decoded = ImageFile.Decode(ImageGrid.FromRgb(grey).Pngs.Single()); // [3, 4, 4]

        Assert.True(decoded[0].Equals(decoded[1]) && decoded[1].Equals(decoded[2]));
        Assert.Equal(255, decoded[0, 3, 3].item<byte>());
    }

    [Fact]
    public void Rows_LabelsAndCaptionsAreEncoded()
    {
        using var images = zeros(2, 3, 8, 8);

        var grid = ImageGrid.Rows([new ImageGrid.ImageRow("L <1>", images, ["a&b", "c"])], title: "t");

        var html = grid.ToHtml();
        Assert.Contains("L &lt;1&gt;", html);
        Assert.Contains("a&amp;b", html);
        Assert.Equal("[t: 2 images of 8x8 (rows: L <1>)]", grid.ToText());
    }

    [Fact]
    public void FromRgb_WrongShape_ThrowsWithShape()
    {
        using var images = zeros(3, 8, 8);

        var error = Assert.Throws<ArgumentException>(() => ImageGrid.FromRgb(images));

        Assert.Contains("[3, 8, 8]", error.Message);
        Assert.Equal("images", error.ParamName);
    }

    [Fact]
    public void FromRgb_CaptionCountMismatch_Throws()
    {
        using var images = zeros(2, 3, 8, 8);

        Assert.Throws<ArgumentException>(() => ImageGrid.FromRgb(images, ["only one"]));
    }

    [Fact]
    public void Save_WritesOnePngWithAllImagesAndGaps()
    {
        using var red = zeros(3, 3, 4, 4);
        red[.., 0] = 1;
        var path = Path.Combine(Path.GetTempPath(), $"grid-{Guid.NewGuid():N}.png");
        try
        {
            ImageGrid.FromRgb(red, columns: 2).Save(path);

            using var saved = ImageFile.Load(path);                          // 2 rows x 2 columns of 4 px, 2 px gaps
            Assert.Equal([3L, 10, 10], saved.shape);
            Assert.Equal(255, saved[0, 0, 0].item<byte>());                   // red image
            Assert.Equal(255, saved[1, 4, 4].item<byte>());                   // white gap
            Assert.Equal(255, saved[1, 9, 9].item<byte>());                   // empty cell stays white
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FromRgb_LeavesNoTensorsBehind()
    {
        using var images = rand(3, 3, 8, 8);

        TensorLeaks.AssertNone(() => ImageGrid.FromRgb(images).ToHtml());
    }
}
