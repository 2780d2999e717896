namespace SplitBrain.Display;

/// <summary>
/// A value shown once and then redrawn in place: a progress bar, a chart that grows during training.
/// In a notebook the cell's output is replaced. In a console the new text is printed at most every
/// <see cref="ConsoleInterval"/> and the report's copy is replaced likewise; <see cref="Complete"/> writes the last
/// value out in any case.
/// </summary>
public sealed class LiveDisplay
{
    private readonly object? _kernelValue;
    private readonly int _reportItem;
    private readonly object _gate = new();
    private object _value;
    private DateTime _lastWritten;
    private bool _pending;

    internal LiveDisplay(object value, object? kernelValue, int reportItem)
    {
        _value = value;
        _kernelValue = kernelValue;
        _reportItem = reportItem;
        _lastWritten = DateTime.UtcNow; // the first value was just written
    }

    /// <summary>Minimum time between two console writes of an updated value.</summary>
    public static TimeSpan ConsoleInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The value shown now.</summary>
    public object Value
    {
        get { lock (_gate) return _value; }
    }

    /// <summary>Replaces the shown value.</summary>
    /// <param name="value">The new value.</param>
    public void Update(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            _value = value;
            if (_kernelValue is not null)
            {
                KernelBridge.Update(_kernelValue, value);
                return;
            }
            _pending = true;
            if (DateTime.UtcNow - _lastWritten >= ConsoleInterval) Write();
        }
    }

    /// <summary>Ends the live display: in a console, writes the last value if it has not been written yet.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_kernelValue is null && _pending) Write();
        }
    }

    private void Write()
    {
        Console.WriteLine(FrontEnd.TextOf(_value));
        if (_reportItem >= 0) FrontEnd.Report?.Replace(_reportItem, _value);
        _lastWritten = DateTime.UtcNow;
        _pending = false;
    }
}
