namespace SplitBrain.Evaluation;

/// <summary>One epoch of <see cref="FineTuner"/>: its training loss and accuracy, and the test accuracy when scored.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Loss">Mean cross-entropy over the epoch's batches (weighted by batch size).</param>
/// <param name="TrainAccuracy">Top-1 accuracy on the (augmented) training batches, in training mode (dropout on).</param>
/// <param name="Seconds">Time the epoch took, scoring excluded.</param>
/// <param name="TestAccuracy">Test top-1 accuracy after the epoch; null when the test set was not scored.</param>
public sealed record FineTuneEpoch(int Epoch, double Loss, double TrainAccuracy, double Seconds, double? TestAccuracy = null);
