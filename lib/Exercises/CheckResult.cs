using System.Net;
using SplitBrain.Display;

namespace SplitBrain.Exercises;

/// <summary>
/// What a check cell shows: the exercise, its outcome, and a message that says on which input the student's code
/// disagrees, by how much, and a hint; or that the exercise is not done yet.
/// </summary>
public sealed class CheckResult : View
{
    /// <summary>A result.</summary>
    /// <param name="id">The exercise's number, e.g. <c>2.1</c> (the cell's <c>// Exercise 2.1: ...</c> marker).</param>
    /// <param name="title">What the student writes, e.g. <c>the nearest-bin encoding</c>.</param>
    /// <param name="outcome">Passed, failed or not done.</param>
    /// <param name="message">The detail: the largest relative error over the inputs, or the input that failed and how.</param>
    /// <param name="hint">What to look at when it fails (shown only then: an exercise not done yet does not give it away).</param>
    public CheckResult(string id, string title, ExerciseOutcome outcome, string message, string hint)
    {
        Id = id;
        Title = title;
        Outcome = outcome;
        Message = message;
        Hint = hint;
    }

    /// <summary>The exercise's number, e.g. <c>2.1</c>.</summary>
    public string Id { get; }

    /// <summary>What the student writes.</summary>
    public string Title { get; }

    /// <summary>Passed, failed or not done.</summary>
    public ExerciseOutcome Outcome { get; }

    /// <summary>The detail of the outcome.</summary>
    public string Message { get; }

    /// <summary>What to look at when it fails.</summary>
    public string Hint { get; }

    /// <inheritdoc/>
    public override string ToHtml()
    {
        var (mark, color, word) = Outcome switch
        {
            ExerciseOutcome.Passed => ("&#10003;", "#1a7f37", "passed"),
            ExerciseOutcome.NotDone => ("&#8230;", "#6e7781", "not done yet"),
            _ => ("&#10007;", "#cf222e", "failed"),
        };
        var hint = Outcome == ExerciseOutcome.Failed ? $"<div><i>Hint:</i> {WebUtility.HtmlEncode(Hint)}</div>" : "";
        return $"<div class=\"splitbrain-exercise\" style=\"border-left:4px solid {color};padding:4px 10px;margin:4px 0\">"
               + $"<div style=\"color:{color}\"><b>{mark} Exercise {WebUtility.HtmlEncode(Id)}</b> ({WebUtility.HtmlEncode(Title)}): <b>{word}</b></div>"
               + $"<div>{WebUtility.HtmlEncode(Message)}</div>{hint}</div>";
    }

    /// <summary>One line: <c>Exercise 2.1 (the nearest-bin encoding): passed. ...</c>, with the hint when it failed.</summary>
    public override string ToText() => Outcome switch
    {
        ExerciseOutcome.Passed => $"Exercise {Id} ({Title}): passed. {Message}",
        ExerciseOutcome.NotDone => $"Exercise {Id} ({Title}): not done yet. {Message}",
        _ => $"Exercise {Id} ({Title}): FAILED. {Message} Hint: {Hint}",
    };
}
