using System.Text.Json;
using System.Text.Json.Serialization;

namespace SplitBrain.Runs;

/// <summary>
/// What made a run folder: the <c>"kind"</c> its <c>config.json</c> names (<see cref="RunFolder.Kind"/>). Open: each kind
/// of run above the engine names itself (e.g. <c>SplitBrain.Training.PretrainingRuns.Kind</c>, <c>"pretraining"</c>), and
/// two kinds are the same when their names are; the engine knows none of them.
/// </summary>
[JsonConverter(typeof(RunKindJsonConverter))]
public sealed record RunKind
{
    /// <summary>A kind named <paramref name="name"/> (lower case, words joined by hyphens, e.g. <c>fine-tuning</c>).</summary>
    /// <param name="name">The name in files.</param>
    /// <exception cref="ArgumentException">The name is empty or has white space.</exception>
    public RunKind(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Any(char.IsWhiteSpace))
            throw new ArgumentException($"A run kind's name has no white space: '{name}'.", nameof(name));
        Name = name;
    }

    /// <summary>A folder whose <c>config.json</c> names no kind (another tool's, damaged, or written before runs named
    /// their kind).</summary>
    public static RunKind Unknown { get; } = new("unknown");

    /// <summary>The kind's name in files.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>How <see cref="RunKind"/>s are written in files.</summary>
public static class RunKinds
{
    /// <summary>The key of the kind in <c>config.json</c> and <c>summary.json</c>.</summary>
    public const string Key = "kind";

    /// <summary>The kind a name in a file stands for; <see cref="RunKind.Unknown"/> for none. Reads the names older
    /// summaries wrote (<c>Pretraining</c>, <c>FineTuning</c>) as today's.</summary>
    /// <param name="name">The name, e.g. <c>fine-tuning</c>.</param>
    public static RunKind Parse(string? name) => name switch
    {
        null or "" or "Unknown" or "unknown" => RunKind.Unknown,
        "Pretraining" => new("pretraining"),
        "FineTuning" => new("fine-tuning"),
        _ when name.Any(char.IsWhiteSpace) => RunKind.Unknown,
        _ => new(name),
    };
}

/// <summary>A <see cref="RunKind"/> as its name in JSON.</summary>
internal sealed class RunKindJsonConverter : JsonConverter<RunKind>
{
    public override RunKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        RunKinds.Parse(reader.TokenType == JsonTokenType.String ? reader.GetString() : null);

    public override void Write(Utf8JsonWriter writer, RunKind value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);
}
