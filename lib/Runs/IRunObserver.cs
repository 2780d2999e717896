using System.Collections.ObjectModel;
using System.Text.Json.Nodes;

namespace SplitBrain.Runs;

/// <summary>
/// Something a run does besides its loop: progress, metric lines, previews, early stopping, scoring. The engine
/// (<see cref="Trainer"/>) calls every observer at six moments, in the order they were added; each method does nothing by
/// default. In the spirit of fastai's callbacks, with six events instead of twenty.
/// </summary>
/// <remarks>An observer whose state must survive a resume also implements <see cref="ICheckpointed"/>: the engine saves
/// its state in every checkpoint and gives it back when the run resumes (as Accelerate's
/// <c>register_for_checkpointing</c>).</remarks>
public interface IRunObserver
{
    /// <summary>Before the first step of a call of <see cref="Trainer.Fit"/> (after a resume restored the position).</summary>
    /// <param name="trainer">The engine.</param>
    void BeforeFit(Trainer trainer)
    {
    }

    /// <summary>After each step (the engine's position counts it already; before a step checkpoint is written).</summary>
    /// <param name="trainer">The engine.</param>
    /// <param name="step">What the step did.</param>
    void AfterStep(Trainer trainer, StepReport step)
    {
    }

    /// <summary>
    /// At each end of an epoch (whole, or the partial one a budget ends in), after the task's own end and before
    /// <see cref="AfterEpoch"/>: what the observer measures there (e.g. a test accuracy), added to the epoch's metrics, its
    /// line in <c>metrics.jsonl</c> and the summary. Nothing by default.
    /// </summary>
    /// <param name="trainer">The engine.</param>
    /// <param name="end">Which epoch ends, and how (<see cref="EpochEnd.Last"/>: the run's training ends here).</param>
    /// <param name="cancellationToken">Stops long work (scoring).</param>
    /// <returns>The measured values by name.</returns>
    IReadOnlyDictionary<string, double> MeasureEpoch(Trainer trainer, EpochEnd end, CancellationToken cancellationToken) =>
        ReadOnlyDictionary<string, double>.Empty;

    /// <summary>After each end of an epoch (whole, or the partial one a budget ends in), before its checkpoint.</summary>
    /// <param name="trainer">The engine.</param>
    /// <param name="epoch">What the epoch did and measured.</param>
    void AfterEpoch(Trainer trainer, EpochReport epoch)
    {
    }

    /// <summary>After training ends (its epochs or budget are done, or the task stopped it).</summary>
    /// <param name="trainer">The engine.</param>
    /// <param name="summary">The run's summary.</param>
    void AfterFit(Trainer trainer, RunSummary summary)
    {
    }

    /// <summary>When training is cancelled, after the engine wrote its checkpoint.</summary>
    /// <param name="trainer">The engine.</param>
    void OnCancel(Trainer trainer)
    {
    }
}

/// <summary>State that must survive a resume, saved by the engine in every checkpoint under <see cref="StateName"/>.</summary>
public interface ICheckpointed
{
    /// <summary>The key of the state in the checkpoint, unique in a run (e.g. <c>metricLines</c>).</summary>
    string StateName { get; }

    /// <summary>The state now, as JSON; null for none.</summary>
    JsonNode? SaveState();

    /// <summary>Takes back a state <see cref="SaveState"/> gave (null when the checkpoint holds none for it).</summary>
    /// <param name="state">The saved state.</param>
    void LoadState(JsonNode? state);
}

/// <summary>What one step did, for observers.</summary>
/// <param name="Outcome">The batch's images and its metrics' values.</param>
/// <param name="LearningRate">The rate it trained with.</param>
/// <param name="Seconds">How long it took.</param>
/// <param name="LastOfEpoch">Whether it ended the epoch (or the budget).</param>
public sealed record StepReport(StepOutcome Outcome, double LearningRate, double Seconds, bool LastOfEpoch);

/// <summary>What an epoch did and measured, for observers.</summary>
/// <param name="End">Which epoch ended, and how.</param>
/// <param name="Totals">The epoch's running sums (its means and speed).</param>
/// <param name="Metrics">Its means and what its end measured, by name.</param>
/// <param name="LearningRate">The rate of its last step.</param>
/// <param name="Status">A line for people (e.g. <c>epoch 2 done</c>).</param>
public sealed record EpochReport(EpochEnd End, StepTotals Totals, IReadOnlyDictionary<string, double> Metrics, double LearningRate, string Status);
