using SplitBrain.Training;

namespace SplitBrain.Tests.Training;

public class TrainingProgressTests
{
    [Fact]
    public void ToView_ShowsTheStepEpochLossesAccuracySpeedAndTime()
    {
        var progress = new TrainingProgress("small-1", 120, 480, 2, 4, 0, 120, 2.3456, 4.1, 0.352, 0.021, 1.5e-3, 1234.4,
            TimeSpan.FromSeconds(75), TimeSpan.FromMinutes(62));

        var text = progress.ToView().ToText();

        Assert.Equal(0.25, progress.Fraction);
        Assert.Equal("pretraining small-1 [#####...............] step 120 / 480 | epoch 2/4 | loss F1 2.346 | loss F2 4.100 | acc F1 35.2% | "
            + "acc F2 2.1% | lr 1.5e-3 | images/s 1234 | elapsed 1:15 | left 1:02:00", text);
        Assert.Contains("left ?", (progress with { Remaining = null }).ToString());
    }
}
