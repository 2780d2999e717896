namespace SplitBrain.Course;

/// <summary>One knob changed from its default by an override.</summary>
/// <param name="Key">The override's key as given (e.g. <c>Epochs</c> or <c>Model.Fc</c>).</param>
/// <param name="Path">The property it set (e.g. <c>PretrainConfig.Model.Fc</c>).</param>
/// <param name="Default">The value before.</param>
/// <param name="Value">The value after.</param>
public sealed record AppliedOverride(string Key, string Path, string Default, string Value);
