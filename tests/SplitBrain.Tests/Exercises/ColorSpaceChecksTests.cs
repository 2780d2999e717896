using SplitBrain.Color;
using SplitBrain.Exercises;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Exercises;

[Collection(ExerciseCollection.Name)]
public class ColorSpaceChecksTests
{
    [Fact]
    public void NetworkInputs_TheLibrary_Passes() =>
        Assert.Equal(ExerciseOutcome.Passed, ColorSpaceChecks.NetworkInputs(lab =>
        {
            var (l, ab) = ChannelSplit.Lab.Split(lab);
            return (LabNormalization.NormalizeL(l), LabNormalization.NormalizeAb(ab));
        }).Outcome);

    [Fact]
    public void NetworkInputs_LNotCentred_FailsOnTheLInput()
    {
        var result = ColorSpaceChecks.NetworkInputs(lab => (lab[.., ..1] / 100, lab[.., 1..] / 110));

        Assert.Equal(ExerciseOutcome.Failed, result.Outcome);
        Assert.Contains("On input 1 of 3 (Lab [", result.Message);
        Assert.Contains("L input: relative error", result.Message);
    }

    [Fact]
    public void NetworkInputs_Stub_IsNotDone() =>
        Assert.Equal(ExerciseOutcome.NotDone, ColorSpaceChecks.NetworkInputs(_ => throw new NotImplementedException()).Outcome);

    [Fact]
    public void LabToRgb_TheLibraryPassesAndAWrongConversionFails()
    {
        Assert.Equal(ExerciseOutcome.Passed, ColorSpaceChecks.LabToRgb(Lab.ToRgb).Outcome);
        var wrong = ColorSpaceChecks.LabToRgb(lab => (lab / 100).clamp(0, 1));
        Assert.Equal(ExerciseOutcome.Failed, wrong.Outcome);
        Assert.Contains("sRGB: relative error", wrong.Message);
        Assert.Contains("Invert the steps", wrong.Hint);
    }
}
