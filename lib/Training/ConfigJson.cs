using System.Text.Json.Nodes;

namespace SplitBrain.Training;

/// <summary>Helpers of the config records' <c>FromJson</c> (<see cref="PretrainConfig"/>,
/// <c>SplitBrain.Evaluation.FineTuneRunConfig</c>).</summary>
internal static class ConfigJson
{
    /// <summary>
    /// Lays <paramref name="source"/> over <paramref name="target"/>, object by object: what the source gives replaces
    /// the target's value, what it lacks keeps it. Names match case-insensitively and keep the target's spelling, so that
    /// <c>"epochs"</c> replaces <c>"Epochs"</c> instead of sitting beside it.
    /// </summary>
    /// <remarks>Why: the source-generated deserializer sets an init-only property that the JSON lacks to its type's
    /// default (null, 0) rather than keeping the initializer's value, so a partial JSON is laid over the full JSON of the
    /// defaults first.</remarks>
    internal static void Overlay(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source)
        {
            var name = target.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)) ?? key;
            if (target[name] is JsonObject inner && value is JsonObject overlay)
            {
                Overlay(inner, overlay);
            }
            else
            {
                target[name] = value?.DeepClone();
            }
        }
    }
}
