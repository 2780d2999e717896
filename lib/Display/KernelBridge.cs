using System.Reflection;

namespace SplitBrain.Display;

/// <summary>
/// The few calls into a running .NET Interactive kernel that the library needs, made by reflection so that the
/// library references no notebook package: when no kernel is loaded (a console app, a test) every member says so and
/// does nothing.
/// </summary>
/// <remarks>
/// Why not the kernel's <c>display(x).Update(y)</c>: in the last .NET Interactive release it returns a different
/// display id from the one it published, so updates append instead of redrawing. Publishing through
/// <c>KernelInvocationContextExtensions.Display(context, value)</c> keeps one id.
/// </remarks>
internal static class KernelBridge
{
    private const string KernelAssembly = "Microsoft.DotNet.Interactive";
    private const string FormattingAssembly = "Microsoft.DotNet.Interactive.Formatting";

    /// <summary>The invocation context of the cell being run, or null outside a kernel.</summary>
    public static object? CurrentContext()
    {
        var contextType = FindType(KernelAssembly, "Microsoft.DotNet.Interactive.KernelInvocationContext");
        return contextType?.GetProperty("Current", BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
    }

    /// <summary>Publishes <paramref name="value"/> in the current cell; returns the kernel's DisplayedValue or null.</summary>
    public static object? Display(object value)
    {
        if (CurrentContext() is not { } context) return null;
        var extensions = FindType(KernelAssembly, "Microsoft.DotNet.Interactive.KernelInvocationContextExtensions");
        var display = extensions?.GetMethods(BindingFlags.Public | BindingFlags.Static).FirstOrDefault(m =>
            m.Name == "Display" && m.GetParameters() is { Length: 3 } p && p[1].ParameterType == typeof(object) && p[2].ParameterType == typeof(string[]));
        return display?.Invoke(null, [context, value, Array.Empty<string>()]);
    }

    /// <summary>Redraws a value published by <see cref="Display"/>.</summary>
    public static void Update(object displayedValue, object value) =>
        displayedValue.GetType().GetMethod("Update", [typeof(object)])?.Invoke(displayedValue, [value]);

    /// <summary>
    /// Registers an HTML and a plain-text formatter for a type the library does not own (a tensor, a module), and
    /// makes HTML its preferred rendering. Returns false outside a kernel.
    /// </summary>
    public static bool RegisterFormatter(Type type, Func<object, string> html, Func<object, string> text)
    {
        var formatter = FindType(FormattingAssembly, "Microsoft.DotNet.Interactive.Formatting.Formatter");
        var register = formatter?.GetMethod("Register", [typeof(Type), typeof(Action<object, TextWriter>), typeof(string)]);
        if (register is null) return false;
        register.Invoke(null, [type, (Action<object, TextWriter>)((o, w) => w.Write(html(o))), "text/html"]);
        register.Invoke(null, [type, (Action<object, TextWriter>)((o, w) => w.Write(text(o))), "text/plain"]);
        formatter!.GetMethod("SetPreferredMimeTypesFor", [typeof(Type), typeof(string[])])
            ?.Invoke(null, [type, new[] { "text/html", "text/plain" }]);
        return true;
    }

    private static Type? FindType(string assemblyName, string typeName) =>
        AppDomain.CurrentDomain.GetAssemblies()
            .FirstOrDefault(a => a.GetName().Name == assemblyName)?.GetType(typeName);
}
