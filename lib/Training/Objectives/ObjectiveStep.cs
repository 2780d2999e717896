namespace SplitBrain.Training.Objectives;

/// <summary>
/// Where a step is in its run, for the objectives that draw or alternate per step (the denoising autoencoder's dropped
/// values, the alternative aggregation's task). Derived from the run's position only, so a resumed run computes exactly
/// what the uninterrupted one did.
/// </summary>
/// <param name="Index">The step's number in the run, from 0 (epoch x steps per epoch + batch).</param>
/// <param name="Seed">The run's seed (<see cref="PretrainConfig.Seed"/>).</param>
public sealed record ObjectiveStep(long Index, long Seed);
