namespace SplitBrain.Training;

/// <summary>How config validation words its errors, so that every field is named the same way.</summary>
internal static class ConfigErrors
{
    /// <summary>An <see cref="ArgumentException"/> whose message says <c>Record.Field must ...; got value.</c>, with the
    /// field as the parameter name.</summary>
    internal static ArgumentException Field(string record, string field, string requirement, object? value) =>
        new($"{record}.{field} must {requirement}; got {Describe(value)}.", field);

    /// <summary>A nested record's validation error, re-raised with the path from the outer record (<c>Model.Conv1</c>).</summary>
    internal static ArgumentException Nested(string record, string property, ArgumentException inner)
    {
        var path = inner.ParamName is { Length: > 0 } name ? $"{property}.{name}" : property;
        return new ArgumentException($"{record}.{property}: {Reason(inner)}", path, inner);
    }

    /// <summary>Runs a nested record's <paramref name="validate"/>, re-raising its error with the path from the outer
    /// record (see <see cref="Nested(string, string, ArgumentException)"/>).</summary>
    internal static void Within(string record, string property, Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            throw Nested(record, property, e);
        }
    }

    /// <summary>The message of <paramref name="e"/> without the " (Parameter 'x')" and "Actual value was" lines .NET appends.</summary>
    internal static string Reason(ArgumentException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return cut >= 0 ? message[..cut] : message;
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"'{s}'",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
