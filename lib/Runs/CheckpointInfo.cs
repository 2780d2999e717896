namespace SplitBrain.Runs;

/// <summary>A complete checkpoint of a pretraining run: where it is and how far the run had got.</summary>
/// <param name="Path">The checkpoint's folder (<c>runs/&lt;name&gt;/checkpoints/step-00000120</c>).</param>
/// <param name="Step">Steps done when it was written.</param>
/// <param name="CompletedEpochs">Whole epochs done (their previews and epoch lines included).</param>
/// <param name="BatchesIntoEpoch">Batches of the next epoch already done: a run resumed from it starts there.</param>
/// <param name="Written">When it was written (UTC).</param>
public sealed record CheckpointInfo(string Path, long Step, int CompletedEpochs, int BatchesIntoEpoch, DateTime Written)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"checkpoint at step {Step} ({CompletedEpochs} epoch(s)" + (BatchesIntoEpoch > 0 ? $" + {BatchesIntoEpoch} batch(es)" : "") + $"): {Path}";
}
