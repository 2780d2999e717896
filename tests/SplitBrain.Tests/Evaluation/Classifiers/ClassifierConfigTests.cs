using SplitBrain.Evaluation;
using SplitBrain.Models;

namespace SplitBrain.Tests.Evaluation;

public class ClassifierConfigTests
{
    [Fact]
    public void Presets_ModesOnConv5()
    {
        Assert.Equal(ClassifierMode.Frozen, ClassifierConfig.Frozen.Validate().Mode);
        Assert.Equal(ClassifierMode.FineTune, ClassifierConfig.FineTune.Validate().Mode);
        Assert.Equal(ClassifierMode.Scratch, ClassifierConfig.Scratch.Validate().Mode);
        Assert.All([ClassifierConfig.Frozen, ClassifierConfig.FineTune, ClassifierConfig.Scratch],
            c => Assert.Equal(FeatureLayer.Conv5, c.Layer));
    }

    public static TheoryData<ClassifierConfig, string> Invalid => new()
    {
        { new(Mode: (ClassifierMode)7), "Mode" },
        { new(Layer: (FeatureLayer)9), "Layer" },
        { new(PoolSide: 0), "PoolSide" },
        { new(Dropout: -0.1), "Dropout" },
        { new(Dropout: 1), "Dropout" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_BadField_ThrowsNamingIt(ClassifierConfig config, string field) =>
        ConfigAssert.RejectsField(() => config.Validate(), nameof(ClassifierConfig), field);
}
