using SplitBrain.Models;

namespace SplitBrain.Course;

/// <summary>The knobs of chapter 03 (the two sub-networks).</summary>
/// <param name="Model">The sub-networks' architecture; <see cref="ModelConfig.Default"/> when null.</param>
/// <param name="BatchSize">Images of the batch the chapter runs through the network.</param>
/// <param name="OverfitSteps">Optimizer steps of the closing experiment (fitting one batch).</param>
/// <param name="LearningRate">Adam's learning rate in that experiment.</param>
/// <param name="Seed">Seed of the images and of the weights.</param>
public sealed record SubNetworksChapterConfig(ModelConfig? Model = null, int BatchSize = 8, int OverfitSteps = 30, double LearningRate = 1e-3, int Seed = 0)
{
    /// <summary>The sub-networks' architecture.</summary>
    public ModelConfig Model { get; init; } = Model ?? ModelConfig.Default;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first knob out of range.</summary>
    public void Validate()
    {
        Model.Validate();
        if (BatchSize is < 1 or > 256) throw new ArgumentException($"{nameof(BatchSize)} must be in 1..256; got {BatchSize}.", nameof(BatchSize));
        if (OverfitSteps is < 0 or > 10_000) throw new ArgumentException($"{nameof(OverfitSteps)} must be in 0..10000; got {OverfitSteps}.", nameof(OverfitSteps));
        if (!(LearningRate > 0)) throw new ArgumentException($"{nameof(LearningRate)} must be positive; got {LearningRate}.", nameof(LearningRate));
    }
}
