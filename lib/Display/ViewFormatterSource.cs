namespace SplitBrain.Display;

/// <summary>
/// The formatters a .NET Interactive kernel uses for every <see cref="View"/>: HTML for notebooks, plain text for
/// consoles. Found by convention (see <see cref="TypeFormatterSourceAttribute"/>): the kernel calls
/// <c>CreateTypeFormatters</c> and then each formatter's <c>MimeType</c>, <c>Type</c> and <c>Format(object, TextWriter)</c>.
/// </summary>
internal sealed class ViewFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return new ViewFormatter("text/html", v => v.ToHtml());
        yield return new ViewFormatter("text/plain", v => v.ToText());
    }

    internal sealed class ViewFormatter(string mimeType, Func<View, string> render)
    {
        public string MimeType { get; } = mimeType;

        public Type Type => typeof(View);

        public bool Format(object instance, TextWriter writer)
        {
            if (instance is not View view) return false;
            writer.Write(render(view));
            return true;
        }
    }
}
