using SplitBrain.Color;
using TorchSharp;
using static SplitBrain.Tests.Color.ColorTestTensors;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Color;

public class LabColorSpaceTests
{
    [Fact]
    public void NameAndChannelNames_AreLab()
    {
        var space = new LabColorSpace();

        Assert.Equal("Lab", space.Name);
        Assert.Equal(["L", "a", "b"], space.ChannelNames);
        Assert.Equal("Lab", space.ToString());
    }

    [Fact]
    public void FromRgbAndToRgb_AreLabsConversions()
    {
        using var scope = NewDisposeScope();
        var rgb = randint(0, 256, [2, 3, 4, 4], ScalarType.Byte, generator: new Generator(11));

        var lab = ColorSpaces.Lab.FromRgb(rgb);

        Assert.True(Same(Lab.FromRgb(rgb), lab));
        Assert.True(Same(Lab.ToRgb(lab), ColorSpaces.Lab.ToRgb(lab)));
    }

    [Fact]
    public void Equals_AnotherInstance_IsTrue()
    {
        Assert.Equal(ColorSpaces.Lab, new LabColorSpace());
        Assert.Equal(ColorSpaces.Lab.GetHashCode(), new LabColorSpace().GetHashCode());
    }
}
