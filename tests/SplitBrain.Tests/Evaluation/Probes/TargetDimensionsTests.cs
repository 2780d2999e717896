using System.Text.Json;
using SplitBrain.Evaluation;
using SplitBrain.Models;

namespace SplitBrain.Tests.Evaluation;

public class TargetDimensionsTests
{
    [Fact]
    public void For_OwnTargetWhereGiven_DefaultElsewhere()
    {
        var targets = TargetDimensions.Paper.With(FeatureLayer.Fc7, 2048);

        Assert.Equal(2048, targets.For(FeatureLayer.Fc7));
        Assert.Equal(FeatureExtractor.PaperDimension, targets.For(FeatureLayer.Conv1));
        Assert.Null(TargetDimensions.Paper.PerLayer); // With made a copy
    }

    [Theory]
    [InlineData("9600", 9600, "")]
    [InlineData("4096,fc6=2048,FC7=1024", 4096, "Fc6=2048;Fc7=1024")]
    [InlineData(" conv1 = 4000 ", 9600, "Conv1=4000")]
    public void Parse_DefaultAndPairs(string text, int expectedDefault, string expectedPairs)
    {
        var targets = TargetDimensions.Parse(text);

        Assert.Equal(expectedDefault, targets.Default);
        Assert.Equal(expectedPairs, string.Join(';', (targets.PerLayer ?? new Dictionary<FeatureLayer, int>()).OrderBy(e => e.Key).Select(e => $"{e.Key}={e.Value}")));
    }

    [Theory]
    [InlineData("lots", "'lots'")]
    [InlineData("fc9=100", "'fc9' in 'fc9=100' is not a layer")]
    [InlineData("3=100", "'3' in '3=100' is not a layer")]
    [InlineData("fc6=1,fc6=2", "fc6 twice")]
    [InlineData("100,200", "every layer twice")]
    public void Parse_Malformed_FormatExceptionNamingThePart(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => TargetDimensions.Parse(text)).Message);

    [Fact]
    public void Parse_TargetBelowOne_RejectedNamingTheLayer() =>
        Assert.Contains("PerLayer[conv2] must be at least 1",
            Assert.Throws<ArgumentOutOfRangeException>(() => TargetDimensions.Parse("conv2=0")).Message);

    [Fact]
    public void Validate_DefaultBelowOne_NamesTheField() =>
        ConfigAssert.RejectsField(() => new TargetDimensions(0).Validate(), nameof(TargetDimensions), nameof(TargetDimensions.Default));

    [Fact]
    public void Equality_ByWhatTheTargetsDo()
    {
        var a = TargetDimensions.Paper.With(FeatureLayer.Fc6, 2048).With(FeatureLayer.Fc7, 1024);
        var b = TargetDimensions.Paper.With(FeatureLayer.Fc7, 1024).With(FeatureLayer.Fc6, 2048);

        Assert.Equal(a, b);                                                          // the dictionary's order does not count
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(TargetDimensions.Paper, TargetDimensions.Paper.With(FeatureLayer.Conv3, 9600)); // same as the default
        Assert.NotEqual(TargetDimensions.Paper, a);
        Assert.Equal("9600 per layer; fc6 2048, fc7 1024", a.ToString());
    }

    [Fact]
    public void Json_RoundTrip_KeepsTheLayerTargets()
    {
        var targets = TargetDimensions.Parse("4096,fc7=1024");

        var back = JsonSerializer.Deserialize<TargetDimensions>(JsonSerializer.Serialize(targets));

        Assert.Equal(targets, back);
    }
}
