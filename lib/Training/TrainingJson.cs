using System.Text.Json.Serialization;

namespace SplitBrain.Training;

/// <summary>
/// Source-generated JSON for <see cref="PretrainConfig"/> (<c>config.json</c>): indented, property names as in C# (the
/// names knob overrides use), enums as names. .NET 10 file-based apps (the chapters exported as apps, the scripts)
/// switch reflection-based serialization off, so the library must not depend on it.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(PretrainConfig))]
internal sealed partial class PretrainConfigJson : JsonSerializerContext;

/// <summary>Source-generated JSON of the other run files: metrics lines, summary, checkpoint state (camelCase, compact).</summary>
// Named floating-point literals: a summary of a run stopped before its first epoch has NaN losses, which plain JSON
// numbers cannot hold.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(StepMetrics))]
[JsonSerializable(typeof(EpochMetrics))]
[JsonSerializable(typeof(PretrainSummary))]
[JsonSerializable(typeof(CheckpointState))]
[JsonSerializable(typeof(CheckpointHeader))]
internal sealed partial class RunJson : JsonSerializerContext;

/// <summary><see cref="RunJson"/> indented, for the files people read (summary, checkpoint state).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(PretrainSummary))]
[JsonSerializable(typeof(CheckpointState))]
internal sealed partial class RunJsonIndented : JsonSerializerContext;
