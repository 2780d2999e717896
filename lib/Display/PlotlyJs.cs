using System.Reflection;
using Plotly.NET;

namespace SplitBrain.Display;

/// <summary>
/// The plotly.js library, shipped inside Plotly.NET's assembly, so that charts render with no network: a chart's
/// HTML never points to a CDN.
/// </summary>
/// <remarks>
/// A notebook page needs the 3.6 MB library once. The setup cell of every chapter carries it
/// (the course's <c>Chapter.Setup</c>), reports put it in their head, and otherwise the first chart drawn in a
/// process brings it along. Each chart's script waits until <c>window.Plotly</c> exists, so their order on the page
/// does not matter.
/// </remarks>
public static class PlotlyJs
{
    private static readonly Lazy<(string Version, string Source)> Library = new(Load);
    private static int _emitted;

    /// <summary>The version of the embedded plotly.js (e.g. 2.28.0).</summary>
    public static string Version => Library.Value.Version;

    /// <summary>True once this process has written the library into an output.</summary>
    public static bool Emitted => Volatile.Read(ref _emitted) != 0;

    /// <summary>
    /// A script element that defines <c>window.Plotly</c> unless the page already has it. AMD and CommonJS loaders
    /// are hidden from the bundle so that it always sets the global, also in classic Jupyter where require.js is
    /// present.
    /// </summary>
    public static string ScriptElement()
    {
        Interlocked.Exchange(ref _emitted, 1);
        return "<script type=\"text/javascript\">if (typeof window.Plotly === 'undefined') { (function () { var define, module, exports;\n"
               + Library.Value.Source
               + "\n}).call(window); }</script>";
    }

    /// <summary>Marks the library as present on the page being written (e.g. in a report's head).</summary>
    internal static void MarkEmitted() => Interlocked.Exchange(ref _emitted, 1);

    private static (string, string) Load()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith(".min.js", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"{assembly.GetName().Name} carries no plotly.js resource; the charts cannot be drawn offline.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        // Resource name "Plotly.NET.plotly-2.28.0.min.js".
        var version = name.Split("plotly-").Last().Replace(".min.js", "", StringComparison.Ordinal);
        return (version, reader.ReadToEnd());
    }
}
