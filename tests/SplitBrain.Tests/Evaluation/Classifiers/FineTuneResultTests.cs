using System.Text.Json;
using SplitBrain.Evaluation;

namespace SplitBrain.Tests.Evaluation;

public class FineTuneResultTests
{
    private static FineTuneResult Sample() => new("fine-tuned", ClassifierMode.FineTune,
        [new(1, 2.0, 0.3, 4.0), new(2, 1.5, 0.5, 5.0, 0.45)],
        new ClassificationReport(["a", "b"], [[9L, 1], [2L, 8]], 1, null), 12);

    [Fact]
    public void SecondsPerEpochAndSummary()
    {
        Assert.Equal(4.5, Sample().SecondsPerEpoch);
        Assert.Equal("fine-tuned: 2 epochs, 4.5 s each; test top-1 85.0% (17/20), mean per class 85.0%", Sample().ToString());
    }

    [Fact]
    public void Json_RoundTrip_KeepsEpochsAndTest()
    {
        var back = JsonSerializer.Deserialize<FineTuneResult>(JsonSerializer.Serialize(Sample()))!;

        Assert.Equal(Sample().Epochs, back.Epochs);
        Assert.Equal(0.85, back.Test!.Top1);
        Assert.Equal(ClassifierMode.FineTune, back.Mode);
    }
}
