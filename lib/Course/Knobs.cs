using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SplitBrain.Course;

/// <summary>
/// Applies overrides to a chapter's knobs: an immutable config record in, a changed copy out.
/// </summary>
/// <remarks>
/// A key names a property of the record, case-insensitively (<c>Epochs</c>); a dotted key walks into nested records
/// (<c>Model.Fc</c>); a plain key that is not a property of the record itself is looked for in its nested records and
/// used where it is the only match (so <c>Fc</c> reaches <c>Model.Fc</c>). Keys that match nothing are left alone:
/// they may be meant for another chapter, so one set of overrides serves a whole course run. Values are JSON
/// (numbers, booleans, strings, enum names). The copy's <c>Validate()</c> runs when the record has one, so a bad
/// value fails here, naming the field.
/// </remarks>
public static class Knobs
{
    private static readonly JsonSerializerOptions ValueOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>Returns <paramref name="defaults"/> with the overrides applied, and what was applied.</summary>
    /// <param name="defaults">The chapter's knobs (a record).</param>
    /// <param name="overrides">Key/value overrides; keys that match nothing are ignored.</param>
    /// <exception cref="ArgumentException">A value does not convert to its property's type, a key is ambiguous,
    /// or the changed record fails its <c>Validate()</c>.</exception>
    public static (T Config, IReadOnlyList<AppliedOverride> Applied) Apply<T>(T defaults, JsonObject? overrides) where T : class
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var type = defaults.GetType();
        var applied = new List<AppliedOverride>();
        object config = defaults;
        foreach (var (key, value) in overrides ?? [])
        {
            if (Resolve(type, key) is not { } path) continue;
            config = SetPath(config, path, 0, key, value, applied, type.Name);
        }
        if (applied.Count > 0) Validate(config);
        return ((T)config, applied);
    }

    /// <summary>
    /// Returns <paramref name="config"/> with every property called <paramref name="name"/> (case-insensitively, at any
    /// depth of its nested records) set to <paramref name="value"/>, and what was applied: for a setting that every run of
    /// a course shares, such as the device.
    /// </summary>
    /// <param name="config">A record of knobs.</param>
    /// <param name="name">A property name, e.g. <c>Device</c>.</param>
    /// <param name="value">The value (JSON).</param>
    /// <exception cref="ArgumentException">The value does not convert to a property's type, or the result fails its
    /// <c>Validate()</c>.</exception>
    public static (T Config, IReadOnlyList<AppliedOverride> Applied) ApplyToAll<T>(T config, string name, JsonNode? value) where T : class
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var type = config.GetType();
        var paths = new List<PropertyInfo[]>();
        Search(type, name, [], paths, depth: 0);
        var applied = new List<AppliedOverride>();
        object result = config;
        foreach (var path in paths.Where(p => Reachable(config, p)))
            result = SetPath(result, path, 0, string.Join('.', path.Select(p => p.Name)), value, applied, type.Name);
        if (applied.Count > 0) Validate(result);
        return ((T)result, applied);
    }

    // Whether every record on the way to the path's last property is there (a nested record may be null: nothing to set).
    private static bool Reachable(object config, PropertyInfo[] path)
    {
        object? current = config;
        foreach (var property in path[..^1])
            current = current is null ? null : property.GetValue(current);
        return current is not null;
    }

    /// <summary>The property path a key refers to, or null when the key is not about this record.</summary>
    private static PropertyInfo[]? Resolve(Type type, string key)
    {
        var parts = key.Split('.', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var path = new List<PropertyInfo>();
        var current = type;
        foreach (var part in parts)
        {
            var property = Settable(current).FirstOrDefault(p => string.Equals(p.Name, part, StringComparison.OrdinalIgnoreCase));
            if (property is null) break;
            path.Add(property);
            current = property.PropertyType;
        }
        if (parts.Length > 0 && path.Count == parts.Length) return path.ToArray();
        if (parts.Length != 1) return null;

        var matches = new List<PropertyInfo[]>();
        Search(type, parts[0], [], matches, depth: 0);
        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => throw new ArgumentException(
                $"Override '{key}' is ambiguous for {type.Name}: it could set " +
                $"{string.Join(" or ", matches.Select(m => string.Join('.', m.Select(p => p.Name))))}. Use the dotted name.", nameof(key)),
        };
    }

    private static void Search(Type type, string name, List<PropertyInfo> prefix, List<PropertyInfo[]> matches, int depth)
    {
        if (depth > 4) return; // records nest a few levels at most; this also stops cycles
        foreach (var property in Settable(type))
        {
            var path = new List<PropertyInfo>(prefix) { property };
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) matches.Add(path.ToArray());
            else if (IsRecord(property.PropertyType)) Search(property.PropertyType, name, path, matches, depth + 1);
        }
    }

    private static object SetPath(object target, PropertyInfo[] path, int index, string key, JsonNode? value,
        List<AppliedOverride> applied, string typeName)
    {
        var property = path[index];
        object? newValue;
        if (index == path.Length - 1)
        {
            var before = property.GetValue(target);
            newValue = Convert(value, property, key, typeName);
            applied.Add(new AppliedOverride(key, typeName + "." + string.Join('.', path.Select(p => p.Name)), Format(before), Format(newValue)));
        }
        else
        {
            var nested = property.GetValue(target)
                         ?? throw new ArgumentException($"Override '{key}': {property.Name} of {typeName} is null, so it has no {path[index + 1].Name}.", nameof(key));
            newValue = SetPath(nested, path, index + 1, key, value, applied, typeName);
        }
        var copy = Clone(target);
        property.SetValue(copy, newValue); // init-only setters are callable on the fresh copy
        return copy;
    }

    private static object? Convert(JsonNode? value, PropertyInfo property, string key, string typeName)
    {
        try
        {
            return value.Deserialize(property.PropertyType, ValueOptions);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new ArgumentException(
                $"Override {key}={value?.ToJsonString()}: {property.Name} of {typeName} is a {Describe(property.PropertyType)}, and that value is not one.",
                nameof(key), e);
        }
    }

    private static string Describe(Type type) =>
        type.IsEnum ? $"{type.Name} (one of {string.Join(", ", Enum.GetNames(type))})" : type.Name;

    private static object Clone(object record)
    {
        var clone = record.GetType().GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance)
                    ?? throw new ArgumentException($"{record.GetType().Name} is not a record: knobs must be immutable records so that overrides make copies.");
        return clone.Invoke(record, null)!;
    }

    private static void Validate(object config)
    {
        var validate = config.GetType().GetMethod("Validate", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
        try
        {
            validate?.Invoke(config, null);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
    }

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0);

    private static bool IsRecord(Type type) => type.GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance) is not null;

    private static string Format(object? value) => value switch
    {
        null => "null",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable items when value is not string => "[" + string.Join(", ", items.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? "",
    };
}
