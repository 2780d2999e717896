namespace SplitBrain.Runs;

/// <summary>Writes a text file so that a reader sees the old content or the new, never half of it: into a temporary file
/// beside it, then renamed over it (a rename within one folder is atomic).</summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/> atomically, creating its folder.</summary>
    internal static void WriteAllText(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + $".{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllText(temporary, text);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
