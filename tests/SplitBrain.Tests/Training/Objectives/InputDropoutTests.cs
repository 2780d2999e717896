using SplitBrain.Tests.Support;
using SplitBrain.Training.Objectives;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Training.Objectives;

public sealed class InputDropoutTests
{
    [Fact]
    public void Mask_DropsAboutHalfOfTheValues_ZeroOrTwo_EachValueOnItsOwn()
    {
        using var scope = NewDisposeScope();
        var mask = InputDropout.Mask([4, 3, 32, 32], new ObjectiveStep(7, 1), CPU);

        var values = TestTensors.Read(mask);
        Assert.All(values, v => Assert.True(v is 0 or 2, $"a mask value is {v}, not 0 or 2"));
        var dropped = values.Count(v => v == 0) / (double)values.Length;
        Assert.InRange(dropped, 0.48, 0.52);                                         // 12,288 draws: sd of the fraction 0.0045
        // Per value, not per pixel: the three channels of a pixel are not all dropped together.
        var perPixel = mask.sum(1);                                                    // [4, 32, 32]: 0, 2, 4 or 6
        Assert.True(perPixel.eq(2).any().item<bool>() || perPixel.eq(4).any().item<bool>(), "channels of a pixel differ");
    }

    [Fact]
    public void Mask_IsFixedByTheSeedAndTheStep_AndDiffersBetweenSteps()
    {
        using var scope = NewDisposeScope();
        long[] shape = [2, 3, 8, 8];
        var first = InputDropout.Mask(shape, new ObjectiveStep(5, 3), CPU);
        manual_seed(123); // the global generator plays no part
        var again = InputDropout.Mask(shape, new ObjectiveStep(5, 3), CPU);

        Assert.True(first.eq(again).all().item<bool>(), "the same step and seed give the same mask");
        Assert.False(first.eq(InputDropout.Mask(shape, new ObjectiveStep(6, 3), CPU)).all().item<bool>(), "another step");
        Assert.False(first.eq(InputDropout.Mask(shape, new ObjectiveStep(5, 4), CPU)).all().item<bool>(), "another seed");
    }

    [Fact]
    public void Apply_IsTheInputTimesTheStepsMask()
    {
        using var scope = NewDisposeScope();
        var input = TestTensors.Uniform(-0.5, 0.5, 2, 2, 3, 8, 8);
        var step = new ObjectiveStep(11, 0);

        var dropped = InputDropout.Apply(input, step);

        var (x, m, d) = (TestTensors.Read(input), TestTensors.Read(InputDropout.Mask(input.shape, step, CPU)), TestTensors.Read(dropped));
        AssertClose.Elementwise([.. x.Select((v, i) => (double)v * m[i])], d, 1e-7);
    }
}
