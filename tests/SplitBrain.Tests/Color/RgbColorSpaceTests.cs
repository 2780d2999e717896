using SplitBrain.Color;
using TorchSharp;
using static SplitBrain.Tests.Color.ColorTestTensors;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Color;

public class RgbColorSpaceTests
{
    [Fact]
    public void NameAndChannelNames_AreRgb()
    {
        Assert.Equal("RGB", ColorSpaces.Rgb.Name);
        Assert.Equal(["R", "G", "B"], ColorSpaces.Rgb.ChannelNames);
    }

    [Fact]
    public void FromRgb_Bytes_DividesBy255()
    {
        using var scope = NewDisposeScope();
        var rgb = tensor(new byte[] { 0, 51, 255 }, [1, 3, 1, 1]);

        var x = ColorSpaces.Rgb.FromRgb(rgb);

        Assert.Equal(ScalarType.Float32, x.dtype);
        Assert.Equal([0f, 0.2f, 1f], x.data<float>().ToArray());
    }

    [Fact]
    public void FromRgb_Float32_ReturnsACopyNotSharingMemory()
    {
        using var scope = NewDisposeScope();
        var rgb = rand([1, 3, 2, 2], generator: new Generator(4));
        var copy = rgb.clone();

        var x = ColorSpaces.Rgb.FromRgb(rgb);
        x.fill_(0.25f);

        Assert.True(Same(copy, rgb));
    }

    [Fact]
    public void ToRgb_OutOfRange_ClipsToUnitInterval()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { -0.5f, 0.5f, 1.5f }, [3, 1, 1]);

        var rgb = ColorSpaces.Rgb.ToRgb(x);

        Assert.Equal([0f, 0.5f, 1f], rgb.data<float>().ToArray());
    }

    [Fact]
    public void ToRgb_ByteInput_ThrowsNamingDtype()
    {
        using var x = zeros([1, 3, 2, 2], ScalarType.Byte);

        var e = Assert.Throws<ArgumentException>(() => ColorSpaces.Rgb.ToRgb(x));

        Assert.Equal("x", e.ParamName);
        Assert.Contains("Byte", e.Message);
    }
}
