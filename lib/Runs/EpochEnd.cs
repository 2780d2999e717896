namespace SplitBrain.Runs;

/// <summary>
/// Which end of an epoch the engine reports to <see cref="TrainingTask.EndEpoch(EpochEnd, IReadOnlyDictionary{string, double}, CancellationToken)"/>:
/// an epoch's last batch, or the last step of a <see cref="TrainingBudget"/> that ends the run inside an epoch.
/// </summary>
/// <param name="Epoch">The epoch that ends, from 1 (for a partial one, the epoch its steps belong to).</param>
/// <param name="Partial">True when a budget ends the run before the epoch's last batch.</param>
/// <param name="Last">True when the run's training ends here (its epochs or its budget are done); a classifier's test
/// scoring observer scores then.</param>
/// <param name="Step">Steps done.</param>
/// <param name="EpochsTrained">Epochs trained so far, with the fraction of a partial one (e.g. 3.4).</param>
public sealed record EpochEnd(int Epoch, bool Partial, bool Last, long Step, double EpochsTrained);
