using SplitBrain.Models;
using SplitBrain.Tests.Support;

namespace SplitBrain.Tests.Models;

public class FeatureMapsTests
{
    [Fact]
    public void Indexer_ComputedLayer_ReturnsItsMap()
    {
        using var net = SubNetwork.Create("F1", 1, 313, ModelConfig.Small);
        using var x = TestTensors.Normal(1, 1, 2, 1, 32, 32);
        using var maps = net.Features(x, FeatureLayer.Conv2);
        Assert.Equal(2, maps.Count);
        Assert.Same(maps[1].Activation, maps[FeatureLayer.Conv2]);
        Assert.Same(maps[FeatureLayer.Conv2], maps.Last);
        Assert.Equal(FeatureLayer.Conv1, maps[0].Layer);
    }

    [Fact]
    public void Indexer_LayerNotComputed_ThrowsNamingLayerAndWhatIsHeld()
    {
        using var net = SubNetwork.Create("F1", 1, 313, ModelConfig.Small);
        using var x = TestTensors.Normal(1, 1, 2, 1, 32, 32);
        using var maps = net.Features(x, FeatureLayer.Conv2);
        var e = Assert.Throws<ArgumentException>(() => maps[FeatureLayer.Fc6]);
        Assert.Equal("layer", e.ParamName);
        Assert.Contains("Conv1, Conv2", e.Message);
    }

    [Fact]
    public void Dispose_FreesEveryMap()
    {
        using var net = SubNetwork.Create("F1", 1, 313, ModelConfig.Small);
        using var x = TestTensors.Normal(1, 1, 2, 1, 32, 32);
        TensorLeaks.AssertNone(() =>
        {
            using var maps = net.Features(x, FeatureLayer.Fc7);
            Assert.Equal(7, maps.Count);
        });
    }
}
