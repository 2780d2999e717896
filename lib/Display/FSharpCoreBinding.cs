using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace SplitBrain.Display;

/// <summary>
/// Lets Plotly.NET run inside kernels that ship an older FSharp.Core than it was built against.
/// </summary>
/// <remarks>
/// Plotly.NET 6.0.0 references FSharp.Core 10.1.0.0, but the last .NET Interactive tools (dotnet-interactive
/// 1.0.712001, dotnet-repl 0.3.259) load FSharp.Core 10.0.0.0 at start-up, and a process cannot load two versions
/// into one load context: every chart then fails with "Could not load FSharp.Core, Version=10.1.0.0". When that
/// request fails, this hands back the FSharp.Core already loaded. Plotly.NET uses nothing new in 10.1 for the charts
/// the course draws (the tests draw each of them in a real kernel). In a console app or test, where the right
/// version is loaded, the handler is never called.
/// </remarks>
internal static class FSharpCoreBinding
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Must be in place before any Plotly.NET type is touched.")]
    internal static void Install() => AssemblyLoadContext.Default.Resolving += ResolveLoadedFSharpCore;

    private static Assembly? ResolveLoadedFSharpCore(AssemblyLoadContext context, AssemblyName name) =>
        name.Name != "FSharp.Core"
            ? null
            : context.Assemblies.FirstOrDefault(a => a.GetName().Name == "FSharp.Core");
}
