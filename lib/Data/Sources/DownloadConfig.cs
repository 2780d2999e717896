namespace SplitBrain.Data;

/// <summary>How <see cref="Downloader"/> copes with a slow or broken connection.</summary>
/// <param name="Retries">Further attempts after a failed one (connection lost, stalled, server error), each resuming
/// where the last stopped, at least 0. Default 5.</param>
/// <param name="IdleTimeout">A read that brings no byte for this long counts as a failed attempt. Null (the default)
/// means 60 seconds.</param>
/// <param name="RetryDelay">The wait before the first retry, doubled for each further one. Null (the default) means
/// 2 seconds.</param>
public sealed record DownloadConfig(int Retries = 5, TimeSpan? IdleTimeout = null, TimeSpan? RetryDelay = null)
{
    /// <summary>The defaults.</summary>
    public static DownloadConfig Default { get; } = new();

    internal TimeSpan Idle => IdleTimeout ?? TimeSpan.FromSeconds(60);

    internal TimeSpan FirstDelay => RetryDelay ?? TimeSpan.FromSeconds(2);

    /// <summary>Checks every field, naming the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative.</exception>
    public void Validate()
    {
        if (Retries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Retries), Retries, $"{nameof(Retries)} must be >= 0; got {Retries}.");
        }

        if (Idle <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(IdleTimeout), IdleTimeout, $"{nameof(IdleTimeout)} must be positive; got {IdleTimeout}.");
        }

        if (FirstDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, $"{nameof(RetryDelay)} must be >= 0; got {RetryDelay}.");
        }
    }
}
