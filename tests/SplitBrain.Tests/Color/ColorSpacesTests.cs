using SplitBrain.Color;

namespace SplitBrain.Tests.Color;

public class ColorSpacesTests
{
    [Fact]
    public void All_ListsLabYCbCrRgb_WithThreeChannelsEach()
    {
        Assert.Equal(["Lab", "YCbCr", "RGB"], ColorSpaces.All.Select(s => s.Name));
        Assert.All(ColorSpaces.All, s => Assert.Equal(3, s.ChannelNames.Count));
    }

    [Fact]
    public void Instances_AreEqualToNewOnes()
    {
        Assert.Equal(new YCbCrColorSpace(), ColorSpaces.YCbCr);
        Assert.Equal(new RgbColorSpace(), ColorSpaces.Rgb);
        Assert.NotEqual<IColorSpace>(ColorSpaces.Lab, ColorSpaces.Rgb);
    }
}
