using SplitBrain.Models;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Models;

[Collection(GlobalGeneratorCollection.Name)] // builds networks from torch's global generator
public sealed class FullWidthNetTests
{
    [Fact]
    public void Create_EachInput_HasTheSplitNetworksFeatureWidths_AndOneTowerTwiceAsWide()
    {
        using var split = SplitBrainNet.Create(ModelConfig.Small, 1, 2, 100, 313);
        foreach (var input in Enum.GetValues<NetworkInput>())
        {
            using var full = FullWidthNet.Create(ModelConfig.Small, input, 1, 2, outputs: 5);
            Assert.Single(full.Towers);
            Assert.Equal(ModelConfig.Small.FullWidth(), full.Tower.Config);
            Assert.Equal(input switch { NetworkInput.First => 1, NetworkInput.Second => 2, _ => 3 }, full.Tower.InChannels);
            foreach (var layer in Enum.GetValues<FeatureLayer>())
                Assert.Equal(split.FeatureChannels(layer), full.FeatureChannels(layer));
        }
    }

    [Fact]
    public void Features_SeesOnlyItsInput_AndEqualsTheTowersFeaturesOfIt()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var full = FullWidthNet.Create(ModelConfig.Small, NetworkInput.Second, 1, 2, outputs: 100);
        full.eval();
        var (l, ab) = (rand(2, 1, 32, 32) - 0.5, rand(2, 2, 32, 32) - 0.5);

        var features = full.Features(l, ab, FeatureLayer.Conv3);

        using var maps = full.Tower.Features(ab, FeatureLayer.Conv3);
        Assert.True(features.eq(maps.Last).all().item<bool>());
        Assert.True(full.Features(rand(2, 1, 32, 32), ab, FeatureLayer.Conv3).eq(features).all().item<bool>(), "L is not read");
        Assert.Equal([2L, 100, 4, 4], full.call(ab).shape);
    }

    [Fact]
    public void CreateLike_IsTheSameKindAndArchitecture_WithStateDictKeysUnderNet()
    {
        using var full = FullWidthNet.Create(ModelConfig.Small, NetworkInput.Both, 1, 2, outputs: 3);

        using var copy = Assert.IsType<FullWidthNet>(FeatureNetwork.CreateLike(full, seed: 4));

        Assert.Equal((full.Input, full.Outputs, full.Config), (copy.Input, copy.Outputs, copy.Config));
        Assert.Equal(full.state_dict().Keys, copy.state_dict().Keys);
        Assert.All(full.state_dict().Keys, k => Assert.StartsWith("net.", k));
    }

    [Fact]
    public void Features_InputsOfOtherImageSizes_AreRefusedNamingBoth()
    {
        using var scope = NewDisposeScope();
        using var full = FullWidthNet.Create(ModelConfig.Small, NetworkInput.Both, 1, 2, outputs: 3);

        var e = Assert.Throws<ArgumentException>(() => full.Features(zeros(2, 1, 32, 32), zeros(2, 2, 16, 16), FeatureLayer.Conv1));

        Assert.Contains("second", e.Message);
        Assert.Contains("first", e.Message);
    }
}
