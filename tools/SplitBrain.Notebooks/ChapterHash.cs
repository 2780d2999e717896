using System.Security.Cryptography;
using System.Text;

namespace SplitBrain.Notebooks;

/// <summary>
/// A short fingerprint of a chapter's source cells (their kinds and text, not their outputs), which a published page
/// records so that a test can tell when the chapter changed after it was published.
/// </summary>
public static class ChapterHash
{
    /// <summary>The marker in front of the hash in a published page.</summary>
    public const string Marker = "source-hash: ";

    /// <summary>The first 16 hex digits of the SHA-256 of every cell's kind and source, line endings normalised.</summary>
    public static string Of(Notebook notebook)
    {
        var text = new StringBuilder();
        foreach (var cell in notebook.Cells)
            text.Append(cell.Kind).Append('\n').Append(cell.Source.Replace("\r\n", "\n", StringComparison.Ordinal)).Append('\0');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>The hash a published page records, or null when it records none.</summary>
    public static string? ReadFrom(string page)
    {
        var at = page.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0) return null;
        var start = at + Marker.Length;
        var end = start;
        while (end < page.Length && Uri.IsHexDigit(page[end])) end++;
        return end > start ? page[start..end] : null;
    }
}
