using SplitBrain.Exercises;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Exercises;

[Collection(ExerciseCollection.Name)]
public class ExerciseCheckTests
{
    [Fact]
    public void Run_EveryInputAgrees_PassesWithTheLargestError()
    {
        var result = ExerciseCheck.Run("9.1", "t", "h", 3, input => new Comparison(true, "ok", input.Number * 1e-7));

        Assert.Equal(ExerciseOutcome.Passed, result.Outcome);
        Assert.Contains("3 random inputs", result.Message);
        Assert.Contains("3E-07", result.Message);
    }

    [Fact]
    public void Run_AnInputDisagrees_FailsNamingItsNumberAndDescription()
    {
        var seen = new List<int>();
        var result = ExerciseCheck.Run("9.1", "t", "h", 4, input =>
        {
            seen.Add(input.Number);
            input.Description = $"input of size {input.Number}";
            return new Comparison(input.Number < 2, "relative error 0.5");
        });

        Assert.Equal(ExerciseOutcome.Failed, result.Outcome);
        Assert.Equal("On input 2 of 4 (input of size 2): relative error 0.5.", result.Message);
        Assert.Equal([1, 2], seen);   // stops at the first failure
    }

    [Fact]
    public void Run_StubThrowsNotImplemented_IsNotDoneAndThrowsNothing()
    {
        var result = ExerciseCheck.Run("9.1", "t", "h", 2, _ => throw new NotImplementedException("Exercise 9.1: not done yet"));

        Assert.Equal(ExerciseOutcome.NotDone, result.Outcome);
        Assert.Contains("NotImplementedException", result.Message);
    }

    [Fact]
    public void Run_CodeThrows_FailsWithTheExceptionAndTheInput()
    {
        var result = ExerciseCheck.Run("9.1", "t", "h", 2, input =>
        {
            input.Description = "a [2, 3] tensor";
            throw new InvalidOperationException("shapes do not match");
        });

        Assert.Equal(ExerciseOutcome.Failed, result.Outcome);
        Assert.Contains("On input 1 of 2 (a [2, 3] tensor) your code threw InvalidOperationException: shapes do not match", result.Message);
    }

    [Fact]
    public void Run_DrawsTheSameInputsEveryTime_AndLeavesTheGlobalGeneratorAlone()
    {
        manual_seed(7);
        using var expectedNext = rand(3);
        manual_seed(7);
        var draws = new List<float>();
        for (var run = 0; run < 2; run++)
            ExerciseCheck.Run("9.1", "t", "h", 1, input =>
            {
                draws.Add(rand([1], generator: input.Random).item<float>());
                using var _ = randn(10);   // a check may draw from the global generator (network weights)
                return new Comparison(true, "");
            });
        using var next = rand(3);

        Assert.Equal(draws[0], draws[1]);
        Assert.Equal(expectedNext.data<float>().ToArray(), next.data<float>().ToArray());
    }

    [Fact]
    public void Run_ReportsEveryResult()
    {
        var reported = new List<CheckResult>();
        ExerciseCheck.Reported = reported.Add;
        try
        {
            var result = ExerciseCheck.Run("9.2", "t", "h", 1, _ => new Comparison(true, ""));
            Assert.Same(result, Assert.Single(reported));
        }
        finally
        {
            ExerciseCheck.Reported = null;
        }
    }

    [Fact]
    public void CheckInput_Integer_IsInItsRangeInclusive()
    {
        var values = new HashSet<int>();
        ExerciseCheck.Run("9.1", "t", "h", 1, input =>
        {
            for (var i = 0; i < 200; i++) values.Add(input.Integer(2, 4));
            return new Comparison(true, "");
        });

        Assert.Equal([2, 3, 4], values.Order());
    }
}

/// <summary>Tests that set <see cref="ExerciseCheck.Reported"/> (process-wide) or draw from torch's global generator run
/// one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExerciseCollection
{
    public const string Name = "Exercise checks";
}
