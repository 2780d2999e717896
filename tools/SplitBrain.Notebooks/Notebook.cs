using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SplitBrain.Notebooks;

/// <summary>
/// A Jupyter notebook (nbformat 4) kept as its JSON, so that every field the runner does not touch
/// (metadata of VS Code, Jupyter or Polyglot Notebooks) survives a round trip unchanged.
/// </summary>
public sealed class Notebook
{
    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true };

    private Notebook(JsonObject root, string path)
    {
        Root = root;
        Path = path;
        var cells = root["cells"] as JsonArray
            ?? throw new InvalidDataException($"{path} has no \"cells\" array: it is not an nbformat 4 notebook.");
        Cells = cells.Select((c, i) => new NotebookCell(c as JsonObject
            ?? throw new InvalidDataException($"{path}: cell {i + 1} is not a JSON object."))).ToList();
    }

    /// <summary>The notebook's JSON.</summary>
    public JsonObject Root { get; }

    /// <summary>Where the notebook was read from.</summary>
    public string Path { get; }

    /// <summary>The cells, in order.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary>The chapter's name: the file name without extension (e.g. <c>01-color-spaces</c>).</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>Why the chapter is left out of the main job (<c>course</c> without chapter names), or null when it is in
    /// it: the notebook's metadata <c>"splitbrain": { "separate": "why" }</c>, for a study that takes hours where the
    /// main job takes minutes.</summary>
    public string? SeparateFromMainJob => Root["metadata"]?["splitbrain"]?["separate"] is JsonValue why ? why.GetValue<string>() : null;

    /// <summary>Reads an .ipynb file.</summary>
    public static Notebook Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"No notebook at {path}.", path);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON ({e.Message}); is it an .ipynb file?", e);
        }
        return new Notebook(root as JsonObject ?? throw new InvalidDataException($"{path} is not a JSON object."), path);
    }

    /// <summary>
    /// A notebook of C# code cells, as if it had been read from <paramref name="path"/>: it runs in that file's folder
    /// under that file's name, but nothing is read from or written to it.
    /// </summary>
    /// <param name="path">Where the notebook would be (its folder is where relative <c>#r</c> paths start).</param>
    /// <param name="sources">The code of each cell, in order.</param>
    public static Notebook FromCode(string path, IEnumerable<string> sources)
    {
        var cells = new JsonArray();
        foreach (var source in sources)
            cells.Add(new JsonObject
            {
                ["cell_type"] = "code",
                ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
                ["source"] = SplitText(source),
                ["outputs"] = new JsonArray(),
                ["execution_count"] = null,
            });
        return new Notebook(new JsonObject { ["cells"] = cells, ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5 }, path);
    }

    /// <summary>A deep copy, to execute without touching the source.</summary>
    public Notebook Clone(string? path = null) => new((JsonObject)Root.DeepClone(), path ?? Path);

    /// <summary>Writes the notebook atomically (a temporary file moved into place).</summary>
    public void Save(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, Root.ToJsonString(WriteOptions) + "\n", new UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// Joins an nbformat multi-line string (a string, or an array of lines each ending in a newline).
    /// </summary>
    internal static string JoinText(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        _ => node.GetValue<string>(),
    };

    /// <summary>Splits text into nbformat's array of lines, each keeping its newline.</summary>
    internal static JsonArray SplitText(string text)
    {
        var array = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n') continue;
            array.Add(text[start..(i + 1)]);
            start = i + 1;
        }
        if (start < text.Length) array.Add(text[start..]);
        return array;
    }
}

/// <summary>One cell of a <see cref="Notebook"/>.</summary>
public sealed class NotebookCell(JsonObject json)
{
    /// <summary>The cell's JSON.</summary>
    public JsonObject Json { get; } = json;

    /// <summary><c>code</c>, <c>markdown</c> or <c>raw</c>.</summary>
    public string Kind => Json["cell_type"]?.GetValue<string>() ?? "code";

    /// <summary>The cell's text.</summary>
    public string Source => Notebook.JoinText(Json["source"]);

    /// <summary>
    /// The kernel language of a code cell, read the way Polyglot Notebooks and .NET Interactive's Jupyter
    /// kernel write it; C# where nothing says otherwise.
    /// </summary>
    public string Language =>
        Json["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
        ?? Json["metadata"]?["dotnet_interactive"]?["language"]?.GetValue<string>()
        ?? "csharp";

    /// <summary>The outputs array of a code cell (created if missing).</summary>
    public JsonArray Outputs
    {
        get
        {
            if (Json["outputs"] is JsonArray outputs) return outputs;
            var created = new JsonArray();
            Json["outputs"] = created;
            return created;
        }
    }
}
