using SplitBrain.Training;

namespace SplitBrain.Course;

/// <summary>The knobs of chapter 04 (pretraining).</summary>
/// <param name="Pretrain">The pretraining run; <see cref="PretrainConfig.Small"/> (its time on two CPU cores: README, "What the main job shows")
/// when null. Chapters 05 and 06 read the same knob, so that they evaluate the network this chapter trained.</param>
/// <param name="Run">The run's folder name under the runs folder; chapters 05 and 06 load the network from it.</param>
/// <param name="InterruptAfterSeconds">In the resume demonstration, how long a short second run trains before it is
/// interrupted.</param>
/// <param name="PrecisionEpochs">In the precision comparison, how many epochs of <see cref="Pretrain"/> each of the two
/// runs (float32 and bfloat16, same seed) trains.</param>
public sealed record PretrainingChapterConfig(PretrainConfig? Pretrain = null, string Run = CourseRuns.Pretrain, double InterruptAfterSeconds = 3,
    int PrecisionEpochs = 2)
{
    /// <summary>The pretraining run.</summary>
    public PretrainConfig Pretrain { get; init; } = Pretrain ?? PretrainConfig.Small;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first knob out of range.</summary>
    public void Validate()
    {
        Pretrain.Validate();
        ArgumentException.ThrowIfNullOrWhiteSpace(Run);
        if (!(InterruptAfterSeconds > 0)) throw new ArgumentException($"{nameof(InterruptAfterSeconds)} must be positive; got {InterruptAfterSeconds}.", nameof(InterruptAfterSeconds));
        if (PrecisionEpochs < 1) throw new ArgumentException($"{nameof(PrecisionEpochs)} must be at least 1; got {PrecisionEpochs}.", nameof(PrecisionEpochs));
    }
}
