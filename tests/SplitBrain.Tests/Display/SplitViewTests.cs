using SplitBrain.Color;
using SplitBrain.Data;
using SplitBrain.Display;
using SplitBrain.Tests.Support;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Display;

public class SplitViewTests
{
    [Fact]
    public void Of_LabSplit_ImagesThenGreyLThenColorOnNeutralLightness()
    {
        using var images = zeros(2, 3, 6, 6);
        images[.., 0] = 1; // pure red

        var grid = SplitView.Of(images);

        Assert.Equal("[Lab: L | ab: 6 images of 6x6 (rows: image, L, ab)]", grid.ToText());
        var pngs = grid.Pngs.ToList();
        using var l = ImageFile.Decode(pngs[2]);
        Assert.True(l[0].Equals(l[1]) && l[1].Equals(l[2]), "the L row must be grey");
        using var ab = ImageFile.Decode(pngs[4]);
        Assert.True(ab[0, 0, 0].item<byte>() > ab[2, 0, 0].item<byte>() + 50, "the ab row of red must be reddish");
    }

    [Fact]
    public void Of_YCbCr_UsesTheSplitsNames() =>
        Assert.Contains("rows: image, Y, CbCr", SplitView.Of(zeros(1, 3, 4, 4), ChannelSplit.YCbCr).ToText());

    [Fact]
    public void Channels_OneRowPerChannel()
    {
        using var images = rand(2, 3, 5, 5);

        var grid = SplitView.Channels(images, ColorSpaces.Rgb);

        Assert.Equal(8, grid.Count);
        Assert.Contains("rows: image, R, G, B", grid.ToText());
    }

    [Fact]
    public void Of_LeavesNoTensorsBehind()
    {
        using var images = rand(2, 3, 8, 8);

        TensorLeaks.AssertNone(() => SplitView.Of(images));
    }
}
