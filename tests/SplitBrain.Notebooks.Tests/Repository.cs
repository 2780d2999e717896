using System.Diagnostics;

namespace SplitBrain.Notebooks.Tests;

/// <summary>Paths of the checkout and a way to run the course's runner as a reader does: a child process.</summary>
internal static class Repository
{
    /// <summary>The checkout's root (the folder holding SplitBrain.Lib.csproj).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The chapters, in order.</summary>
    public static IReadOnlyList<string> Chapters =>
        Directory.GetFiles(Path.Combine(Root, "notebooks"), "*.ipynb")
            .Where(p => char.IsDigit(Path.GetFileName(p)[0])).Order(StringComparer.Ordinal).ToList();

    /// <summary>The runner's dll, built next to this test assembly by the project reference.</summary>
    public static string RunnerDll => Path.Combine(AppContext.BaseDirectory, "splitbrain-notebooks.dll");

    /// <summary>A fresh folder under the system's temp folder.</summary>
    public static string TempFolder(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"splitbrain-{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Runs a program and returns its exit code and output; kills it (and its children) at the timeout.</summary>
    public static (int ExitCode, string Output) Run(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout,
        IDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (output) return (-1, output + $"\n(killed after {timeout.TotalSeconds:F0} s)");
        }
        process.WaitForExit(); // drains the output handlers
        lock (output) return (process.ExitCode, output.ToString());
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SplitBrain.Lib.csproj"))) return dir.FullName;
        throw new InvalidOperationException("The tests must run from inside the SplitBrain checkout.");
    }
}
