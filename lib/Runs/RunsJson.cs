using System.Text.Json.Serialization;

namespace SplitBrain.Runs;

/// <summary>
/// Source-generated JSON of the engine's files: checkpoint state and summary (camelCase; NaN allowed, as a summary of a
/// run stopped before its first epoch has no means yet). .NET 10 file-based apps switch reflection-based serialization
/// off, so the library must not depend on it.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(CheckpointHeader))]
[JsonSerializable(typeof(CheckpointState))]
[JsonSerializable(typeof(RunSummary))]
[JsonSerializable(typeof(StepTotals))]
internal sealed partial class RunsJson : JsonSerializerContext;

/// <summary><see cref="RunsJson"/> indented, for the files people read.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(CheckpointState))]
[JsonSerializable(typeof(RunSummary))]
internal sealed partial class RunsJsonIndented : JsonSerializerContext;
