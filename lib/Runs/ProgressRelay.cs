namespace SplitBrain.Runs;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its action at once, on the reporting thread. (<see cref="Progress{T}"/>
/// posts to a synchronization context or the thread pool instead, so reports would arrive late and out of order.)
/// Used to translate one stage's progress into the caller's progress type.
/// </summary>
internal sealed class ProgressRelay<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);

    /// <summary>A relay into <paramref name="target"/> through <paramref name="map"/>, or null when there is no target.</summary>
    internal static ProgressRelay<T>? To<TTarget>(IProgress<TTarget>? target, Func<T, TTarget> map) =>
        target is null ? null : new ProgressRelay<T>(value => target.Report(map(value)));
}
