namespace SplitBrain.Display;

/// <summary>
/// An <see cref="IProgress{T}"/> that shows each report as a view redrawn in place (<see cref="FrontEnd.Live"/>): in a
/// notebook the cell's output is replaced, in a console a line is printed. Reports closer together than
/// <see cref="MinimumInterval"/> are dropped, so a loop can report every step without slowing down or flooding the
/// output.
/// </summary>
/// <typeparam name="T">What is reported, e.g. a training step's numbers.</typeparam>
/// <remarks>Call <see cref="Complete"/> at the end, so that the last report is shown even if it came too soon after the
/// one before. Reports are handled synchronously on the reporting thread (unlike <see cref="Progress{T}"/>, which posts
/// them to a synchronization context).</remarks>
public sealed class LiveProgress<T> : IProgress<T>
{
    private readonly Func<T, View> _render;
    private readonly Lock _gate = new();
    private LiveDisplay? _display;
    private DateTime _shownAt;
    private T? _latest;
    private bool _pending;

    /// <summary>A live progress that renders each report with <paramref name="render"/>.</summary>
    /// <param name="render">Turns a report into what is shown (e.g. a <see cref="ProgressView"/>).</param>
    /// <param name="minimumInterval">The least time between two redraws; a quarter of a second when null.</param>
    public LiveProgress(Func<T, View> render, TimeSpan? minimumInterval = null)
    {
        ArgumentNullException.ThrowIfNull(render);
        _render = render;
        MinimumInterval = minimumInterval ?? TimeSpan.FromSeconds(0.25);
    }

    /// <summary>The least time between two redraws.</summary>
    public TimeSpan MinimumInterval { get; }

    /// <summary>The live display, once the first report has been shown.</summary>
    public LiveDisplay? Display => _display;

    /// <summary>Shows <paramref name="value"/>, unless the previous redraw was less than <see cref="MinimumInterval"/>
    /// ago (then it is kept for <see cref="Complete"/>). A report that renders as a finished <see cref="ProgressView"/>
    /// (fraction 1) is always shown, so that a bar whose owner never calls <see cref="Complete"/> still ends full.</summary>
    /// <param name="value">The report.</param>
    public void Report(T value)
    {
        lock (_gate)
        {
            _latest = value;
            _pending = true;
            if (_display is null || DateTime.UtcNow - _shownAt >= MinimumInterval)
            {
                Show();
            }
            else if (_render(value) is ProgressView { Fraction: >= 1 } finished)
            {
                Show(finished);
            }
        }
    }

    /// <summary>Shows the last report if it was dropped, and ends the live display.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_pending)
            {
                Show();
            }

            _display?.Complete();
        }
    }

    private void Show(View? rendered = null)
    {
        var view = rendered ?? _render(_latest!);
        if (_display is null)
        {
            _display = FrontEnd.Live(view);
        }
        else
        {
            _display.Update(view);
        }

        _shownAt = DateTime.UtcNow;
        _pending = false;
    }
}
