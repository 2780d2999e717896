using System.Diagnostics;
using SplitBrain.Tests.Support;

namespace SplitBrain.Tests.Interop;

/// <summary>
/// A Python with PyTorch for the tests of the PyTorch side (<c>interop/pytorch/</c>): the interpreter named by
/// SPLITBRAIN_PYTHON, else the first of <c>python3</c> on the PATH and <c>/usr/bin/python3</c> that imports torch (Debian's
/// python3-torch, which environment/install-tools.sh installs). Tests skip with <see cref="SkipReason"/> where none does.
/// </summary>
internal static class PythonTorch
{
    private static readonly Lazy<string?> Found = new(Find);

    /// <summary>The interpreter, or null.</summary>
    public static string? Interpreter => Found.Value;

    /// <summary>Why the tests skip.</summary>
    public const string SkipReason =
        "no Python with torch (python3 -c \"import torch\" fails): apt-get install python3-torch, or run environment/install-tools.sh";

    /// <summary>The folder of the mirror and its scripts.</summary>
    public static string Folder => Path.Combine(RepositoryPaths.Root, "interop", "pytorch");

    /// <summary>Runs <paramref name="script"/> (in <see cref="Folder"/>) with arguments; fails the test with its output when it
    /// exits with an error.</summary>
    /// <returns>Its standard output and error.</returns>
    public static string Run(string script, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, int timeoutSeconds = 120)
    {
        var python = Interpreter ?? throw new InvalidOperationException(SkipReason);
        var (code, output) = Execute(python, [Path.Combine(Folder, script), .. arguments], environment, timeoutSeconds);
        Assert.True(code == 0, $"{script} exited with {code}:\n{output}");
        return output;
    }

    /// <summary>Runs a program to its end (killed after <paramref name="timeoutSeconds"/>): its exit code and output.</summary>
    public static (int Code, string Output) Execute(string program, IEnumerable<string> arguments, IDictionary<string, string>? environment = null,
        int timeoutSeconds = 120)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Folder };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        info.Environment["OMP_NUM_THREADS"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"killed after {timeoutSeconds} s\n{output.Result}{error.Result}");
        }
        return (process.ExitCode, output.Result + error.Result);
    }

    private static string? Find()
    {
        var candidates = Environment.GetEnvironmentVariable("SPLITBRAIN_PYTHON") is { Length: > 0 } named ? [named] : new[] { "python3", "/usr/bin/python3" };
        foreach (var candidate in candidates)
        {
            try
            {
                if (Execute(candidate, ["-c", "import torch"], timeoutSeconds: 60).Code == 0)
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
