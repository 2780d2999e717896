namespace SplitBrain.Display;

/// <summary>
/// Tells a .NET Interactive kernel (Jupyter, VS Code, the course's headless runner) how to render a type.
/// </summary>
/// <remarks>
/// The kernel finds formatters by convention: any attribute named <c>TypeFormatterSourceAttribute</c> with a
/// <c>FormatterSourceType</c> property works (dotnet/interactive, Formatter.TryRegisterFromFormatterSources). So the
/// library declares its own and needs no reference to the (deprecated) Microsoft.DotNet.Interactive packages: it loads
/// in any kernel version, in a console app and in tests alike.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
internal sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    /// <summary>The type whose <c>CreateTypeFormatters()</c> yields the formatters.</summary>
    public Type FormatterSourceType { get; } = formatterSourceType;

    /// <summary>MIME types in order of preference; the kernel shows the first one a front end supports.</summary>
    public string[] PreferredMimeTypes { get; set; } = [];
}
