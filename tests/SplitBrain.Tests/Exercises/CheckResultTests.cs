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
        Assert.Equal(outcome != ExerciseOutcome.Passed, html.Contains("look here"));
    }

    [Fact]
    public void ToText_OneLineWithTheHintUnlessPassed()
    {
        Assert.Equal("Exercise 3.1 (sizes): passed. fine", new CheckResult("3.1", "sizes", ExerciseOutcome.Passed, "fine", "hint").ToText());
        Assert.Equal("Exercise 3.1 (sizes): FAILED. off by one Hint: hint", new CheckResult("3.1", "sizes", ExerciseOutcome.Failed, "off by one", "hint").ToText());
        Assert.StartsWith("Exercise 3.1 (sizes): not done yet.", new CheckResult("3.1", "sizes", ExerciseOutcome.NotDone, "", "hint").ToString());
    }
}
