namespace SplitBrain.Display;

/// <summary>
/// Where shown values go. Inside a .NET Interactive kernel (Jupyter, VS Code, the headless runner) they become cell
/// outputs; anywhere else (a console app, a chapter exported as a file-based app) their text goes to standard output
/// and their HTML into <see cref="Report"/>. Notebook cells and console programs call the same API.
/// </summary>
public static class FrontEnd
{
    /// <summary>True while a .NET Interactive kernel is running the calling cell.</summary>
    public static bool InKernel => KernelBridge.CurrentContext() is not null;

    /// <summary>The HTML report that collects what is shown outside a kernel, or null for none.</summary>
    public static HtmlReport? Report { get; set; }

    /// <summary>Shows a value once (a view, a table, a string).</summary>
    /// <param name="value">What to show.</param>
    public static void Show(object value) => Live(value);

    /// <summary>Shows a value that can be redrawn with <see cref="LiveDisplay.Update"/> (a progress bar).</summary>
    /// <param name="value">What to show first.</param>
    public static LiveDisplay Live(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (KernelBridge.Display(value) is { } kernelValue) return new LiveDisplay(value, kernelValue, reportItem: -1);
        Console.WriteLine(TextOf(value));
        return new LiveDisplay(value, kernelValue: null, reportItem: Report?.Add(value) ?? -1);
    }

    /// <summary>The plain-text rendering of a value.</summary>
    internal static string TextOf(object value) => value is View view ? view.ToText() : value.ToString() ?? "";
}
