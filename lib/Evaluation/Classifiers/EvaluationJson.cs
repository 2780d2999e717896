using System.Text.Json.Serialization;

namespace SplitBrain.Evaluation;

/// <summary>
/// Source-generated JSON for <see cref="FineTuneRunConfig"/> (a fine-tuning run's <c>config.json</c>): indented, property
/// names as in C# (the names knob overrides use), enums as names, as <c>PretrainConfig</c>'s. .NET 10 file-based apps
/// switch reflection-based serialization off, so the library must not depend on it.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(FineTuneRunConfig))]
internal sealed partial class EvaluationConfigJson : JsonSerializerContext;

/// <summary>Source-generated JSON of a fine-tuning run's <c>result.json</c>, camelCase, NaN allowed.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FineTuneResult))]
internal sealed partial class EvaluationRunJson : JsonSerializerContext;

/// <summary><see cref="EvaluationRunJson"/> indented, for people.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(FineTuneResult))]
internal sealed partial class EvaluationRunJsonIndented : JsonSerializerContext;
