using SplitBrain.Evaluation;

namespace SplitBrain.Tests.Evaluation;

public class LinearProbeOptionsTests
{
    [Fact]
    public void Presets_AreValid()
    {
        LinearProbeOptions.Default.Validate();
        LinearProbeOptions.Fast.Validate();
        Assert.Equal(FeatureExtractor.PaperDimension, LinearProbeOptions.Default.TargetDimension);
    }

    public static TheoryData<LinearProbeOptions, string> Invalid => new()
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
    public void Validate_BadField_ThrowsNamingIt(LinearProbeOptions options, string field) =>
        ConfigAssert.RejectsField(() => options.Validate(), nameof(LinearProbeOptions), field);
}
