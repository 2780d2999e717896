using System.Text.Json;
using SplitBrain.Models;

namespace SplitBrain.Tests.Models;

public class ModelConfigTests
{
    [Fact]
    public void Default_IsThePeersHalfAlexNet()
    {
        var c = ModelConfig.Default;
        Assert.Equal((48, 128, 192, 192, 128, 512), (c.Conv1, c.Conv2, c.Conv3, c.Conv4, c.Conv5, c.Fc));
        Assert.Equal((true, 11, 4, 5), (c.BatchNorm, c.Conv1Kernel, c.Conv1Stride, c.Conv1Padding()));
    }

    [Fact]
    public void Paper_IsDefaultWithFc2048()
    {
        Assert.Equal(ModelConfig.Default with { Fc = 2048 }, ModelConfig.Paper);
    }

    [Fact]
    public void Small_HasNarrowWidthsAndTheSameGeometry()
    {
        var c = ModelConfig.Small;
        Assert.Equal((16, 32, 48, 48, 32, 64), (c.Conv1, c.Conv2, c.Conv3, c.Conv4, c.Conv5, c.Fc));
        Assert.Equal((ModelConfig.Default.Conv1Kernel, ModelConfig.Default.Conv1Stride, ModelConfig.Default.BatchNorm),
            (c.Conv1Kernel, c.Conv1Stride, c.BatchNorm));
    }

    [Fact]
    public void Presets_Validate()
    {
        Assert.Same(ModelConfig.Default, ModelConfig.Default.Validate());
        ModelConfig.Paper.Validate();
        ModelConfig.Small.Validate();
    }

    [Theory]
    [InlineData(FeatureLayer.Conv1, 48)]
    [InlineData(FeatureLayer.Conv3, 192)]
    [InlineData(FeatureLayer.Conv5, 128)]
    [InlineData(FeatureLayer.Fc6, 512)]
    [InlineData(FeatureLayer.Fc7, 512)]
    public void Width_DefaultConfig_IsTheLayersChannels(FeatureLayer layer, int expected)
    {
        Assert.Equal(expected, ModelConfig.Default.Width(layer));
    }

    public static TheoryData<ModelConfig, string> InvalidConfigs => new()
    {
        { ModelConfig.Default with { Conv1 = 0 }, nameof(ModelConfig.Conv1) },
        { ModelConfig.Default with { Conv2 = -1 }, nameof(ModelConfig.Conv2) },
        { ModelConfig.Default with { Conv3 = 0 }, nameof(ModelConfig.Conv3) },
        { ModelConfig.Default with { Conv4 = 0 }, nameof(ModelConfig.Conv4) },
        { ModelConfig.Default with { Conv5 = 0 }, nameof(ModelConfig.Conv5) },
        { ModelConfig.Default with { Fc = 0 }, nameof(ModelConfig.Fc) },
        { ModelConfig.Default with { Conv1Kernel = 0 }, nameof(ModelConfig.Conv1Kernel) },
        { ModelConfig.Default with { Conv1Kernel = 8 }, nameof(ModelConfig.Conv1Kernel) },
        { ModelConfig.Default with { Conv1Stride = 0 }, nameof(ModelConfig.Conv1Stride) },
    };

    [Theory]
    [MemberData(nameof(InvalidConfigs))]
    public void Validate_InvalidField_ThrowsNamingTheField(ModelConfig config, string field)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => config.Validate());
        Assert.Equal(field, e.ParamName);
        Assert.Contains($"{nameof(ModelConfig)}.{field}", e.Message);
    }

    [Fact]
    public void Json_RoundTrip_GivesAnEqualConfig()
    {
        var config = ModelConfig.Small with { BatchNorm = false, Conv1Kernel = 7 };
        var json = JsonSerializer.Serialize(config);
        Assert.Equal(config, JsonSerializer.Deserialize<ModelConfig>(json));
    }
}
