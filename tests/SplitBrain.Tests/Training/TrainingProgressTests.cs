using SplitBrain.Display;
using SplitBrain.Runs;

namespace SplitBrain.Tests.Training;

public class TrainingProgressTests
{
    private static TrainingProgress Progress() =>
        new("pretraining small-1", 120, 480, 2, 4, 120, 120, ["lossF1", "lossF2", "accF1", "accF2"], [2.5, 4.0, 0.3, 0.02],
            [2.3456, 4.1, 0.352, 0.021], 1.5e-3, 1234.4, TimeSpan.FromSeconds(75), TimeSpan.FromMinutes(62));

    [Fact]
    public void ToView_ShowsTheStepEpochMeansOfTheMetricsSpeedAndTime()
    {
        var progress = Progress();

        var text = progress.ToView().ToText();

        Assert.Equal(0.25, progress.Fraction);
        Assert.Equal("pretraining small-1 [#####...............] step 120 / 480 | epoch 2/4 | loss F1 2.346 | loss F2 4.100 | acc F1 35.2% | "
            + "acc F2 2.1% | lr 1.5e-3 | images/s 1234 | elapsed 1:15 | left 1:02:00", text);
        Assert.Contains("left ?", (progress with { Remaining = null }).ToView().ToText());
    }

    [Fact]
    public void Metrics_ByName_TheStepsValueAndTheEpochsMean_AnUnknownNameSaysWhichThereAre()
    {
        var progress = Progress();

        Assert.Equal(2.5, progress["lossF1"]);
        Assert.Equal(0.021, progress.EpochMean("accF2"));
        Assert.Contains("lossF1, lossF2, accF1, accF2", Assert.Throws<KeyNotFoundException>(() => progress["loss"]).Message);
    }

    [Theory]
    [InlineData("lossF1", 2.3456, "loss F1", "2.346")]
    [InlineData("trainAccuracy", 0.5, "train accuracy", "50.0%")]
    [InlineData("loss", 0.25, "loss", "0.250")]
    public void LabelAndFormat_ReadAsPeopleWriteThem(string name, double value, string label, string formatted)
    {
        Assert.Equal(label, TrainingProgress.Label(name));
        Assert.Equal(formatted, TrainingProgress.Format(name, value));
    }
}
