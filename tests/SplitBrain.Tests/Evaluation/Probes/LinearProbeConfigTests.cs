using System.Text.Json;
using SplitBrain.Evaluation;
using SplitBrain.Models;

namespace SplitBrain.Tests.Evaluation;

public class LinearProbeOptionsTests
{
    [Fact]
    public void Presets_AreValid()
    {
        LinearProbeConfig.Default.Validate();
        LinearProbeConfig.Fast.Validate();
        Assert.Equal(FeatureExtractor.PaperDimension, LinearProbeConfig.Default.TargetDimension);
    }

    public static TheoryData<LinearProbeConfig, string> Invalid => new()
    {
        { new(TargetDimension: 0), "TargetDimension" },
        { new(Epochs: 0), "Epochs" },
        { new(BatchSize: -1), "BatchSize" },
        { new(LearningRate: 0), "LearningRate" },
        { new(WeightDecay: double.NaN), "WeightDecay" },
        { new(ValidationFraction: 0.6), "ValidationFraction" },
        { new(Patience: 0), "Patience" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_BadField_ThrowsNamingIt(LinearProbeConfig options, string field) =>
        ConfigAssert.RejectsField(() => options.Validate(), nameof(LinearProbeConfig), field);

    [Fact]
    public void Targets_OneNumberByDefault_PerLayerWhereGiven()
    {
        Assert.Equal(TargetDimensions.Paper, LinearProbeConfig.Default.Targets());

        var options = LinearProbeConfig.Fast with { LayerTargetDimensions = new Dictionary<FeatureLayer, int> { [FeatureLayer.Fc6] = 2048 } };

        Assert.Equal(1000, options.Targets().For(FeatureLayer.Conv1));
        Assert.Equal(2048, options.Targets().For(FeatureLayer.Fc6));
    }

    [Fact]
    public void WithTargets_SetsBothFields_AndReadsBack()
    {
        var targets = TargetDimensions.Parse("4096,fc7=1024");

        var options = LinearProbeConfig.Default.WithTargets(targets);

        Assert.Equal(4096, options.TargetDimension);
        Assert.Equal(targets, options.Targets());
        Assert.Null(LinearProbeConfig.Default.WithTargets(new TargetDimensions(500)).LayerTargetDimensions);
    }

    [Fact]
    public void Validate_LayerTargetBelowOne_NamesTheField() =>
        ConfigAssert.RejectsField(() => (LinearProbeConfig.Default with
        {
            LayerTargetDimensions = new Dictionary<FeatureLayer, int> { [FeatureLayer.Conv1] = 0 },
        }).Validate(), nameof(LinearProbeConfig), nameof(LinearProbeConfig.LayerTargetDimensions));

    [Fact]
    public void Json_RoundTrip_KeepsTheLayerTargets()
    {
        var options = LinearProbeConfig.Default.WithTargets(TargetDimensions.Parse("2000,conv5=300"));

        var back = JsonSerializer.Deserialize<LinearProbeConfig>(JsonSerializer.Serialize(options))!;

        Assert.Equal(options.Targets(), back.Targets());
        Assert.Equal(options with { LayerTargetDimensions = null }, back with { LayerTargetDimensions = null });
    }
}
