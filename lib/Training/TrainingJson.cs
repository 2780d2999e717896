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
