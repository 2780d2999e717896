using System.Diagnostics;
using static TorchSharp.torch;

namespace SplitBrain.Exercises;

/// <summary>
/// Runs a check: compares a student's code with the library's on a few random inputs, each in its own dispose scope,
/// and turns what happens into a <see cref="CheckResult"/>. It never throws because of the student's code: an exercise
/// that is not done yet (its stub throws <see cref="NotImplementedException"/>) says so, and a chapter runs to its end
/// with its exercises undone.
/// </summary>
public static class ExerciseCheck
{
    /// <summary>
    /// Called with every result (set by the course's setup, which records them for a headless run; null elsewhere).
    /// </summary>
    public static Action<CheckResult>? Reported { get; set; }

    /// <summary>Runs <paramref name="compare"/> on inputs 1 to <paramref name="inputs"/> and reports the result.</summary>
    /// <param name="id">The exercise's number, e.g. <c>2.1</c>.</param>
    /// <param name="title">What the student writes.</param>
    /// <param name="hint">What to look at when it fails.</param>
    /// <param name="inputs">How many random inputs to compare on, at least 1.</param>
    /// <param name="compare">Draws input k (setting its <see cref="CheckInput.Description"/>), runs the student's code and
    /// the library's on it, and compares them.</param>
    /// <returns>The result, to show in the check cell.</returns>
    public static CheckResult Run(string id, string title, string hint, int inputs, Func<CheckInput, Comparison> compare)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(compare);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        // A check draws networks and inputs: leave torch's global generator as it found it, so that a chapter runs the
        // same whether its exercises are done or not.
        using var state = TorchSharp.torch.random.get_rng_state();
        CheckResult result;
        try
        {
            result = Evaluate(id, title, hint, inputs, compare);
        }
        finally
        {
            TorchSharp.torch.random.set_rng_state(state);
        }
        Reported?.Invoke(result);
        return result;
    }

    private static CheckResult Evaluate(string id, string title, string hint, int inputs, Func<CheckInput, Comparison> compare)
    {
        var worst = 0.0;
        var clock = Stopwatch.StartNew();
        for (var k = 1; k <= inputs; k++)
        {
            using var scope = NewDisposeScope();
            using var generator = new Generator((ulong)(1000 + k));
            var input = new CheckInput(k, generator);
            Comparison comparison;
            try
            {
                comparison = compare(input);
            }
            catch (NotImplementedException)
            {
                return new CheckResult(id, title, ExerciseOutcome.NotDone,
                    "Replace the line that throws NotImplementedException in the exercise cell above with your code, run that cell, then this one.",
                    hint);
            }
            catch (Exception e)
            {
                return new CheckResult(id, title, ExerciseOutcome.Failed,
                    $"On input {k} of {inputs} ({Described(input)}) your code threw {e.GetType().Name}: {e.Message}", hint);
            }
            if (!comparison.Agrees)
                return new CheckResult(id, title, ExerciseOutcome.Failed, $"On input {k} of {inputs} ({Described(input)}): {comparison.Detail}.", hint);
            worst = Math.Max(worst, comparison.RelativeError ?? 0);
        }
        return new CheckResult(id, title, ExerciseOutcome.Passed,
            $"Agrees with the library on {inputs} random input{(inputs == 1 ? "" : "s")}: largest relative error {Comparison.Number(worst)} ({clock.Elapsed.TotalSeconds:F1} s).",
            hint);
    }

    private static string Described(CheckInput input) => input.Description is { Length: > 0 } d ? d : "its description was not set";
}
