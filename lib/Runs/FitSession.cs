using System.Diagnostics;

namespace SplitBrain.Runs;

/// <summary>What one call of <see cref="Trainer.Fit"/> tracks: its clock, the recent speed, the GC guard's cost.</summary>
internal sealed class FitSession
{
    private const double Keep = 0.9; // the speed's moving averages: about the last ten steps
    private double _seconds;
    private double _images;
    private int _steps;

    /// <summary>The session's clock: running only inside <see cref="Trainer.Fit"/>.</summary>
    public Stopwatch Clock { get; } = new();

    public long GuardTicks { get; set; }

    public int GuardedSteps { get; set; }

    public int RegionsLost { get; set; }

    /// <summary>Recent seconds per step, or null before two steps.</summary>
    public double? SecondsPerStep => _steps < 2 ? null : _seconds;

    /// <summary>Recent images per second.</summary>
    public double ImagesPerSecond => _seconds > 0 ? _images / _seconds : 0;

    /// <summary>Milliseconds the GC guard cost per step.</summary>
    public double GuardMilliseconds => GuardedSteps == 0 ? 0 : GuardTicks * 1000.0 / Stopwatch.Frequency / GuardedSteps;

    public void AddStep(int images, double seconds)
    {
        // The first step pays for warm-up (allocator, JIT): it would spoil the estimate, so it starts from the second.
        if (++_steps == 1)
            return;
        (_seconds, _images) = _steps == 2 ? (seconds, images) : (Keep * _seconds + (1 - Keep) * seconds, Keep * _images + (1 - Keep) * images);
    }
}
