namespace SplitBrain.Display;

/// <summary>
/// A value shown once and then redrawn in place: a progress bar, a chart that grows during training.
/// In a notebook the output is replaced; in a console the new text is printed (at most every
/// <see cref="ConsoleInterval"/>, and always the last one) and the final value goes into the HTML report.
/// </summary>
public sealed class LiveDisplay
{
    private readonly object? _kernelValue;
    private readonly object _gate = new();
    private object _value;
    private DateTime _lastPrinted = DateTime.MinValue;
    private bool _pendingPrint;

    internal LiveDisplay(object value, object? kernelValue)
    {
        _value = value;
        _kernelValue = kernelValue;
        _lastPrinted = kernelValue is null ? DateTime.UtcNow : DateTime.MinValue; // the first value was just printed
    }

    /// <summary>Minimum time between two console prints of an updated value.</summary>
    public static TimeSpan ConsoleInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The value shown now.</summary>
    public object Value => _value;

    /// <summary>Replaces the shown value.</summary>
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
            if (DateTime.UtcNow - _lastPrinted < ConsoleInterval)
            {
                _pendingPrint = true;
                return;
            }
            Print();
        }
    }

    /// <summary>
    /// Ends the live display: in a console prints the last value if it was not printed yet and adds it to the report.
    /// </summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_kernelValue is not null) return;
            if (_pendingPrint) Print();
            FrontEnd.Report?.Add(_value);
        }
    }

    private void Print()
    {
        Console.WriteLine(FrontEnd.TextOf(_value));
        _lastPrinted = DateTime.UtcNow;
        _pendingPrint = false;
    }
}
