using System.Diagnostics;

namespace SplitBrain.Interop;

/// <summary>
/// A Python interpreter with PyTorch, to run <c>interop/pytorch/</c>'s scripts (the mirror, <c>train_ddp.py</c> under
/// torchrun) from the course: the one named by <c>SPLITBRAIN_PYTHON</c>, else the first of <c>python3</c> on the PATH and
/// <c>/usr/bin/python3</c> (Debian's <c>python3-torch</c>) that imports torch. Python runs in its own process: its
/// libtorch never meets the course's.
/// </summary>
public static class PyTorchPython
{
    /// <summary>The environment variable that names the interpreter.</summary>
    public const string Variable = "SPLITBRAIN_PYTHON";

    /// <summary>What to do where none is found.</summary>
    public const string InstallHint =
        "no Python with torch (python3 -c \"import torch\" fails): apt-get install python3-torch (environment/install-tools.sh), "
        + "or name an interpreter in " + Variable;

    private static readonly Lazy<string?> Found = new(Find);

    /// <summary>The interpreter, or null where none imports torch (looked for once per process).</summary>
    public static string? Interpreter => Found.Value;

    /// <summary>
    /// Runs <paramref name="program"/> with <paramref name="arguments"/> to its end, collecting standard output and error;
    /// killed, with its children, after <paramref name="timeout"/>.
    /// </summary>
    /// <param name="program">The program (e.g. <see cref="Interpreter"/>).</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="workingFolder">Where it runs; the current folder when null.</param>
    /// <param name="timeout">How long it may run; 10 minutes when null.</param>
    /// <param name="environment">Variables to set for it.</param>
    /// <returns>Its exit code (-1 when killed) and its output.</returns>
    public static (int Code, string Output) Run(string program, IEnumerable<string> arguments, string? workingFolder = null,
        TimeSpan? timeout = null, IDictionary<string, string>? environment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(program);
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingFolder ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? TimeSpan.FromMinutes(10);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, $"killed after {limit.TotalSeconds:0} s\n{output.Result}{error.Result}");
        }
        return (process.ExitCode, output.Result + error.Result);
    }

    /// <summary>
    /// The repository's <c>interop/pytorch</c> folder (the mirror and <c>train_ddp.py</c>): looked for in
    /// <paramref name="start"/> and the folders above it, then in the current folder and above.
    /// </summary>
    /// <param name="start">Where to start; the current folder when null.</param>
    /// <returns>The folder's full path, or null when there is none.</returns>
    public static string? ScriptsFolder(string? start = null)
    {
        foreach (var origin in new[] { start, Environment.CurrentDirectory }.OfType<string>())
            for (var folder = new DirectoryInfo(Path.GetFullPath(origin)); folder is not null; folder = folder.Parent)
                if (File.Exists(Path.Combine(folder.FullName, "interop", "pytorch", "train_ddp.py")))
                    return Path.Combine(folder.FullName, "interop", "pytorch");
        return null;
    }

    private static string? Find()
    {
        string[] candidates = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } named ? [named] : ["python3", "/usr/bin/python3"];
        foreach (var candidate in candidates)
        {
            try
            {
                if (Run(candidate, ["-c", "import torch"], timeout: TimeSpan.FromMinutes(1)).Code == 0)
                    return candidate;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed
            }
        }
        return null;
    }
}
