using System.Text.Json;
using System.Text.Json.Nodes;

namespace SplitBrain.Runs;

/// <summary>
/// Configs as flat lists of dotted keys (<c>Training.LearningRate</c>, <c>Targets.LightnessBins</c>): the names knob
/// overrides use, so that "which settings differ" reads as the overrides that would turn one run into another.
/// </summary>
internal static class FlatJson
{
    /// <summary>The leaves of <paramref name="node"/> in document order: objects are walked into, everything else
    /// (numbers, strings, booleans, null, arrays) is a value.</summary>
    internal static List<KeyValuePair<string, JsonNode?>> Flatten(JsonNode? node)
    {
        var leaves = new List<KeyValuePair<string, JsonNode?>>();
        Walk(node, "", leaves);
        return leaves;

        static void Walk(JsonNode? node, string path, List<KeyValuePair<string, JsonNode?>> leaves)
        {
            if (node is JsonObject obj && obj.Count > 0)
            {
                foreach (var (key, value) in obj)
                    Walk(value, path.Length == 0 ? key : $"{path}.{key}", leaves);
            }
            else
            {
                leaves.Add(new(path, node));
            }
        }
    }

    /// <summary>
    /// The keys whose values are not all the same across <paramref name="configs"/>, in the order they first appear. A
    /// key that some configs lack differs only among those that have it (configs of different kinds have different keys,
    /// and a missing key says nothing about the setting).
    /// </summary>
    internal static IReadOnlyList<string> DifferingKeys(IReadOnlyList<IReadOnlyDictionary<string, JsonNode?>> configs)
    {
        var keys = configs.SelectMany(c => c.Keys).Distinct(StringComparer.Ordinal);
        return [.. keys.Where(key =>
        {
            var values = configs.Where(c => c.ContainsKey(key)).Select(c => c[key]).ToList();
            return values.Skip(1).Any(v => !JsonNode.DeepEquals(v, values[0]));
        })];
    }

    /// <summary>Every difference between two configs' JSON but the keys in <paramref name="ignore"/>, worded for an error
    /// message: "Training.LearningRate is 0.001 in the checkpoint but 0.002 now".</summary>
    internal static IReadOnlyList<string> Differences(string savedJson, string currentJson, IReadOnlySet<string> ignore)
    {
        var saved = Flatten(JsonNode.Parse(savedJson)).ToDictionary(p => p.Key, p => p.Value);
        var current = Flatten(JsonNode.Parse(currentJson)).ToDictionary(p => p.Key, p => p.Value);
        return [.. saved.Keys.Union(current.Keys)
            .Where(key => !ignore.Contains(key))
            .Where(key => !JsonNode.DeepEquals(saved.GetValueOrDefault(key), current.GetValueOrDefault(key)))
            .Select(key => $"{key} is {Text(saved.GetValueOrDefault(key))} in the checkpoint but {Text(current.GetValueOrDefault(key))} now")];
    }

    /// <summary>A leaf as a table cell: a number as a double, a string as itself, a boolean, null; anything else (an
    /// array) as its JSON.</summary>
    internal static object? Cell(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.TryGetValue<long>(out var whole) ? whole : (object)v.GetValue<double>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => value.ToJsonString(),
    };

    private static string Text(JsonNode? value) => value?.ToJsonString() ?? "null";
}
