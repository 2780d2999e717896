using SplitBrain.Course;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SplitBrain.Notebooks;

/// <summary>
/// Turns a chapter into a .NET 10 file-based app (<c>dotnet run chapter.cs</c>), so that the course runs without
/// any notebook front end. The notebook stays the one source: the app is generated build output.
/// </summary>
/// <remarks>
/// What changes between a notebook cell and a top-level statement in a file:
/// <list type="bullet">
/// <item><c>#r</c> lines become one <c>#:project</c> directive that references the library;</item>
/// <item><c>using</c> directives move to the top of the file (C# allows them nowhere else);</item>
/// <item>a cell's trailing expression, which a kernel displays, becomes <c>display(expression);</c>;</item>
/// <item><c>display</c> is the library's <c>ConsoleNotebook.display</c>: text to the console, HTML to the chapter's
/// report in the run folder; markdown becomes comments, and its headings sections of the report.</item>
/// </list>
/// Cells are parsed with Roslyn as script code, the way the kernel parses them.
/// </remarks>
public static class AppExporter
{
    private static readonly CSharpParseOptions ScriptOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    /// <summary>The app's source.</summary>
    /// <param name="notebook">The chapter.</param>
    /// <param name="appPath">Where the app will be written (for the relative <c>#:project</c> path).</param>
    /// <param name="repositoryRoot">The repository root (holding SplitBrain.Lib.csproj).</param>
    public static string ToApp(Notebook notebook, string appPath, string repositoryRoot)
    {
        var usings = new List<string> { "using static SplitBrain.Display.ConsoleNotebook;" };
        var body = new StringBuilder();
        var cellNumber = 0;
        foreach (var cell in notebook.Cells)
        {
            cellNumber++;
            if (cell.Kind == "markdown") AppendMarkdown(body, cell.Source);
            else if (cell.Kind == "code") AppendCode(body, cell.Source, cellNumber, usings);
        }

        var app = new StringBuilder();
        var library = Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(appPath))!, Path.Combine(repositoryRoot, CourseContract.RootMarker));
        app.AppendLine($"#:project {library.Replace('\\', '/')}");
        // Reflection-based JSON (the knobs' overrides, run folders) is off in file-based apps, which default to AOT.
        app.AppendLine("#:property PublishAot=false");
        app.AppendLine();
        app.AppendLine($"// Generated from notebooks/{Path.GetFileName(notebook.Path)} by `splitbrain-notebooks export-app`.");
        app.AppendLine("// Do not edit: edit the notebook and export again. Run with: dotnet run " + Path.GetFileName(appPath));
        app.AppendLine();
        foreach (var line in usings.Distinct()) app.AppendLine(line);
        app.AppendLine();
        app.AppendLine("// As in the notebook: relative paths start in notebooks/, runs and the report go to runs/apps/.");
        app.AppendLine($"System.IO.Directory.SetCurrentDirectory({Literal(Path.GetDirectoryName(Path.GetFullPath(notebook.Path))!)});");
        foreach (var (variable, value) in new[] { (CourseContract.ChapterVariable, notebook.Name), (CourseContract.RunDirectoryVariable, Path.Combine(repositoryRoot, "runs", "apps")) })
            app.AppendLine($"if (System.Environment.GetEnvironmentVariable({Literal(variable)}) is null) System.Environment.SetEnvironmentVariable({Literal(variable)}, {Literal(value)});");
        app.Append(body);
        app.AppendLine();
        app.AppendLine("System.Console.WriteLine($\"report: {SplitBrain.Display.FrontEnd.Report?.Path}\");");
        return app.ToString();
    }

    /// <summary>Writes the app of <paramref name="notebook"/> into <paramref name="folder"/>; returns its path.</summary>
    public static string Save(Notebook notebook, string folder, string repositoryRoot)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(Path.GetFullPath(folder), notebook.Name + ".cs");
        var temp = path + ".tmp";
        File.WriteAllText(temp, ToApp(notebook, path, repositoryRoot), new UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
        return path;
    }

    private static void AppendMarkdown(StringBuilder body, string markdown)
    {
        body.AppendLine();
        foreach (var line in markdown.Split('\n')) body.AppendLine(("// " + line.TrimEnd('\r')).TrimEnd());
        foreach (var line in markdown.Split('\n'))
        {
            var trimmed = line.Trim();
            var level = trimmed.TakeWhile(c => c == '#').Count();
            if (level is 1 or 2 && trimmed.Length > level && trimmed[level] == ' ')
                body.AppendLine($"section({Literal(trimmed[(level + 1)..].Trim())}, {level});");
        }
    }

    private static void AppendCode(StringBuilder body, string source, int cellNumber, List<string> usings)
    {
        // Kernel directives (#r, #!magic) have no meaning in a file; the #:project directive replaces #r.
        var code = string.Join('\n', source.Split('\n').Where(l => !l.TrimStart().StartsWith("#r ", StringComparison.Ordinal)
                                                                     && !l.TrimStart().StartsWith("#!", StringComparison.Ordinal)));
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, ScriptOptions).GetRoot();
        usings.AddRange(root.Usings.Select(u => u.ToString().Trim()));

        var edits = root.Usings.Select(u => new TextSpanEdit(u.FullSpan.Start, u.FullSpan.End, "")).ToList();
        if (root.Members.LastOrDefault() is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } last })
            edits.Add(new TextSpanEdit(last.Expression.SpanStart, last.Span.End, $"display({last.Expression});"));

        var text = code;
        foreach (var edit in edits.OrderByDescending(e => e.Start))
            text = text[..edit.Start] + edit.Replacement + text[edit.End..];

        body.AppendLine();
        body.AppendLine($"// ---- cell {cellNumber} ----");
        body.AppendLine(text.Trim('\n', '\r'));
    }

    private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    private sealed record TextSpanEdit(int Start, int End, string Replacement);
}
