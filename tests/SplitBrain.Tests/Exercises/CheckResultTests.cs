using SplitBrain.Exercises;

namespace SplitBrain.Tests.Exercises;

public class CheckResultTests
{
    [Theory]
    [InlineData(ExerciseOutcome.Passed, "passed", "#1a7f37")]
    [InlineData(ExerciseOutcome.Failed, "failed", "#cf222e")]
    [InlineData(ExerciseOutcome.NotDone, "not done yet", "#6e7781")]
    public void ToHtml_SaysTheOutcomeInItsColour(ExerciseOutcome outcome, string word, string colour)
    {
        var html = new CheckResult("2.1", "the <nearest> bin", outcome, "detail & more", "look here").ToHtml();

        Assert.Contains($"<b>{word}</b>", html);
        Assert.Contains(colour, html);
        Assert.Contains("Exercise 2.1", html);
        Assert.Contains("the &lt;nearest&gt; bin", html);   // encoded
        Assert.Contains("detail &amp; more", html);
        Assert.Equal(outcome == ExerciseOutcome.Failed, html.Contains("look here"));   // a blank does not give the hint away
    }

    [Fact]
    public void ToText_OneLineWithTheHintWhenFailed()
    {
        Assert.Equal("Exercise 3.1 (sizes): passed. fine", new CheckResult("3.1", "sizes", ExerciseOutcome.Passed, "fine", "hint").ToText());
        Assert.Equal("Exercise 3.1 (sizes): FAILED. off by one Hint: hint", new CheckResult("3.1", "sizes", ExerciseOutcome.Failed, "off by one", "hint").ToText());
        Assert.Equal("Exercise 3.1 (sizes): not done yet. replace the stub", new CheckResult("3.1", "sizes", ExerciseOutcome.NotDone, "replace the stub", "hint").ToString());
    }
}
