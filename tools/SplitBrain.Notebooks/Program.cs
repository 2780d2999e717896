using SplitBrain.Course;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SplitBrain.Notebooks;

/// <summary>The command line of the notebook runner (see <see cref="Usage"/>).</summary>
public static class Program
{
    private const string Usage = """
        splitbrain-notebooks: run the SplitBrain chapters headless.

        Commands:
          course [CHAPTER...] [--out DIR] [--set KEY=VALUE]...
                                                           the main job: run every chapter (notebooks/NN-*.ipynb) in
                                                           order, then print the chapters' summary tables (default
                                                           DIR: runs/course; its finished runs are reused when the
                                                           settings are the same, else removed first); a chapter
                                                           whose metadata marks it separate (a study of hours, 08)
                                                           runs only when named: course 08
          run NOTEBOOK.ipynb... [--out DIR] [--set KEY=VALUE]... [--keep-going]
                                                           run the given notebooks (default DIR: runs/notebooks)
          exercises [CHAPTER...]                           check every exercise twice, each in a fresh kernel after
                                                           its chapter's setup cell: its check must fail on the
                                                           blank (the chapter's stub) and pass on its solution
                                                           (notebooks/solutions/NN-*.cs); CHAPTER: 02 or a path
          html EXECUTED.ipynb [--out FILE.html]            render an executed notebook as one HTML page
          export-app NOTEBOOK.ipynb... [--out DIR]         write each chapter as a .NET 10 file-based app
                                                           (default DIR: artifacts/apps; run: dotnet run DIR/NN-x.cs)
          publish [CHAPTER...] [--from DIR] [--out DIR]    write the executed chapters as markdown pages with their
                                                           figures as PNG files, for GitHub (default: every chapter,
                                                           from runs/course, into docs/chapters; needs Chromium)

        Options:
          --from DIR         publish: the folder of executed chapters (a course's or a run's --out)
          --out DIR          where executed copies (.ipynb and .html), runs and the overrides log are written
          --set KEY=VALUE    override a knob of the chapters' knob cells, e.g. --set Epochs=1 --set Images=256
                             (VALUE is read as JSON when it parses: numbers, true/false, "text")
          --set-file FILE    a JSON object of overrides
          --keep-going       run the cells after a failing cell
          --quiet            do not echo the cells' output
        Exit code: 0 when every cell of every notebook ran (exercises: every check failed on its blank and passed on
        its solution), 1 when a cell failed (a check did not), 2 for bad arguments.
        """;

    /// <summary>Entry point.</summary>
    public static async Task<int> Main(string[] args)
    {
        try
        {
            return await RunAsync(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}\n\n{Usage}");
            return 2;
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or DirectoryNotFoundException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    private static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        var command = args[0];
        var parsed = Arguments.Parse(args[1..]);
        switch (command)
        {
            case "course":
            {
                var root = RepositoryRoot();
                var all = Chapters(root);
                if (all.Count == 0) throw new FileNotFoundException($"No chapters (NN-*.ipynb) in {Path.Combine(root, "notebooks")}.");
                var chapters = parsed.Positional.Count > 0 ? ChosenChapters(all, parsed.Positional) : MainJob(all, Console.Out);
                var course = parsed with { Out = Path.GetFullPath(parsed.Out ?? Path.Combine(root, "runs", "course")) };
                CourseFolder.Prepare(course.Out!, course.Overrides, Console.Out);
                var exitCode = await RunNotebooksAsync(chapters, course);
                CourseFolder.PrintSummaries(course.Out!, Console.Out);
                return exitCode;
            }
            case "run":
                if (parsed.Positional.Count == 0) throw new ArgumentException("run needs at least one notebook.");
                return await RunNotebooksAsync(parsed.Positional, parsed with { Out = parsed.Out ?? Path.Combine(RepositoryRoot(), "runs", "notebooks") });
            case "exercises":
            {
                var all = Chapters(RepositoryRoot());
                var chosen = parsed.Positional.Count == 0 ? all : ChosenChapters(all, parsed.Positional);
                return await ExercisesCommand.RunAsync(chosen, Console.Out);
            }
            case "html":
            {
                if (parsed.Positional.Count != 1) throw new ArgumentException("html needs exactly one executed notebook.");
                var notebook = Notebook.Load(parsed.Positional[0]);
                var output = parsed.Out ?? Path.ChangeExtension(parsed.Positional[0], ".html");
                HtmlExporter.Save(notebook, output);
                Console.WriteLine($"wrote {output}");
                return 0;
            }
            case "export-app":
            {
                if (parsed.Positional.Count == 0) throw new ArgumentException("export-app needs at least one notebook.");
                var root = RepositoryRoot();
                foreach (var path in parsed.Positional)
                    Console.WriteLine($"wrote {AppExporter.Save(Notebook.Load(Path.GetFullPath(path)), parsed.Out ?? Path.Combine(root, "artifacts", "apps"), root)}");
                return 0;
            }
            case "publish":
                return Publish(parsed);
            default:
                throw new ArgumentException($"unknown command '{command}'.");
        }
    }

    private static async Task<int> RunNotebooksAsync(IReadOnlyList<string> paths, Arguments arguments)
    {
        var outDir = Path.GetFullPath(arguments.Out!);
        Directory.CreateDirectory(outDir);
        var notebooks = paths.Select(p => Notebook.Load(Path.GetFullPath(p))).ToList();
        var options = new ExecutionConfig(arguments.Overrides, outDir, arguments.KeepGoing, arguments.Quiet ? null : Console.Out);
        if (arguments.Overrides is { Count: > 0 } overrides)
            Console.WriteLine($"overrides: {overrides.ToJsonString()}");

        var failures = 0;
        var summary = new List<string>();
        var total = Stopwatch.StartNew();
        foreach (var notebook in notebooks)
        {
            Console.WriteLine($"== {notebook.Name}");
            var result = await NotebookExecutor.ExecuteAsync(notebook, options);
            var ipynb = Path.Combine(outDir, notebook.Name + ".ipynb");
            result.Executed.Save(ipynb);
            HtmlExporter.Save(result.Executed, Path.ChangeExtension(ipynb, ".html"));
            var ran = result.Cells.Count;
            var status = result.Succeeded ? "ok" : $"FAILED at cell {result.FirstFailure!.Index + 1}";
            if (result.Exercises.Count > 0)
                status += result.Undone.Count == 0
                    ? $"; exercises: all {result.Exercises.Count} pass"
                    : $"; exercises undone: {string.Join(", ", result.Undone)} ({result.Exercises.Count - result.Undone.Count} of {result.Exercises.Count} pass)";
            summary.Add($"{notebook.Name,-32} {ran,3} cells {result.Elapsed.TotalSeconds,7:F1} s  {status}");
            if (!result.Succeeded)
            {
                failures++;
                Console.WriteLine($"{notebook.Name}: cell {result.FirstFailure!.Index + 1} failed:\n{result.FirstFailure.Error}");
            }
        }
        Console.WriteLine();
        foreach (var line in summary) Console.WriteLine(line);
        Console.WriteLine($"{notebooks.Count - failures} of {notebooks.Count} notebooks ran in {total.Elapsed.TotalSeconds:F1} s; executed copies in {outDir}");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>The chapters (<c>notebooks/NN-*.ipynb</c>), in order.</summary>
    private static List<string> Chapters(string root) =>
        Directory.GetFiles(Path.Combine(root, "notebooks"), "*.ipynb")
            .Where(p => char.IsDigit(Path.GetFileName(p)[0]))
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>The chapters named by number (<c>02</c>) or path, in the order given.</summary>
    private static List<string> ChosenChapters(List<string> all, IReadOnlyList<string> names) => [.. names.Select(p =>
        File.Exists(p) ? Path.GetFullPath(p)
        : all.FirstOrDefault(c => Path.GetFileName(c).StartsWith(p, StringComparison.Ordinal))
          ?? throw new ArgumentException($"no chapter '{p}' (give a number such as 02, or a notebook's path)."))];

    /// <summary>The main job's chapters: all but those whose metadata marks them separate, each of which gets a line.</summary>
    private static List<string> MainJob(List<string> all, TextWriter log)
    {
        var chapters = new List<string>();
        foreach (var path in all)
        {
            if (Notebook.Load(path).SeparateFromMainJob is { } why)
                log.WriteLine($"not in the main job: {Path.GetFileNameWithoutExtension(path)} ({why}); run it with: course {Path.GetFileName(path)[..2]}");
            else
                chapters.Add(path);
        }
        return chapters;
    }

    private static int Publish(Arguments arguments)
    {
        var root = RepositoryRoot();
        var from = Path.GetFullPath(arguments.From ?? Path.Combine(root, "runs", "course"));
        var outDir = Path.GetFullPath(arguments.Out ?? Path.Combine(root, "docs", "chapters"));
        var chapters = Chapters(root).Select(Notebook.Load).ToList();
        var chosen = arguments.Positional.Count == 0 ? chapters : arguments.Positional.Select(name =>
            chapters.FirstOrDefault(c => c.Name == Path.GetFileNameWithoutExtension(name) || c.Name.StartsWith(name + "-", StringComparison.Ordinal))
            ?? throw new ArgumentException($"no chapter '{name}' in notebooks/ (give a name like 01 or 01-color-spaces).")).ToList();
        var missing = chosen.Where(c => !File.Exists(Path.Combine(from, c.Name + ".ipynb"))).Select(c => c.Name).ToList();
        if (missing.Count > 0)
            throw new FileNotFoundException($"No executed copy of {string.Join(", ", missing)} in {from}: run the course first " +
                                            "(dotnet run --project tools/SplitBrain.Notebooks -- course), or give --from the folder a run wrote.");
        var publisher = new ChapterPublisher(root, HeadlessChromium.Find());
        long total = 0;
        foreach (var chapter in chosen)
        {
            var published = publisher.Publish(chapter, Notebook.Load(Path.Combine(from, chapter.Name + ".ipynb")), outDir);
            total += published.Bytes;
            Console.WriteLine($"wrote {Path.GetRelativePath(root, published.Page)}: {published.Figures} figures, {published.Bytes / 1024.0:F0} kB");
        }
        ChapterPublisher.WriteIndex(outDir, chapters.Where(c => File.Exists(Path.Combine(outDir, c.Name + ".md"))));
        Console.WriteLine($"published {chosen.Count} chapters, {total / 1024.0:F0} kB, into {Path.GetRelativePath(root, outDir)}");
        return 0;
    }

    /// <summary>The repository root: the nearest folder upwards holding SplitBrain.Lib.csproj.</summary>
    internal static string RepositoryRoot() =>
        CourseContract.RepositoryRoot(Directory.GetCurrentDirectory()) ?? CourseContract.RepositoryRoot(AppContext.BaseDirectory)
        ?? throw new DirectoryNotFoundException(
            $"Cannot find the SplitBrain repository ({CourseContract.RootMarker}) above the current folder; run from inside the repository.");

    /// <summary>Parsed options of a command.</summary>
    internal sealed record Arguments(IReadOnlyList<string> Positional, string? Out, JsonObject Overrides, bool KeepGoing, bool Quiet, string? From = null)
    {
        public static Arguments Parse(string[] args)
        {
            var positional = new List<string>();
            string? output = null, from = null;
            var overrides = new JsonObject();
            bool keepGoing = false, quiet = false;
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--out": output = Value(); break;
                    case "--from": from = Value(); break;
                    case "--keep-going": keepGoing = true; break;
                    case "--quiet": quiet = true; break;
                    case "--set":
                    {
                        var (key, value) = CourseContract.ParseOverride(Value());
                        overrides[key] = value;
                        break;
                    }
                    case "--set-file":
                    {
                        var file = Value();
                        if (JsonNode.Parse(File.ReadAllText(file)) is not JsonObject fromFile)
                            throw new ArgumentException($"{file} must hold a JSON object of overrides.");
                        foreach (var (key, value) in fromFile) overrides[key] = value?.DeepClone();
                        break;
                    }
                    case var option when option.StartsWith("--", StringComparison.Ordinal):
                        throw new ArgumentException($"unknown option '{option}'.");
                    default: positional.Add(args[i]); break;
                }
            }
            return new Arguments(positional, output, overrides, keepGoing, quiet, from);
        }
    }
}
