using SplitBrain.Interop;
using SplitBrain.Tests.Support;

namespace SplitBrain.Tests.Interop;

/// <summary>The Python with PyTorch the tests of <c>interop/pytorch/</c> run (<see cref="PyTorchPython"/>); they skip with
/// <see cref="SkipReason"/> where there is none.</summary>
internal static class PythonTorch
{
    /// <summary>The interpreter, or null.</summary>
    public static string? Interpreter => PyTorchPython.Interpreter;

    /// <summary>Why the tests skip.</summary>
    public const string SkipReason = PyTorchPython.InstallHint;

    /// <summary>The folder of the mirror and its scripts.</summary>
    public static string Folder => Path.Combine(RepositoryPaths.Root, "interop", "pytorch");

    /// <summary>Runs <paramref name="script"/> (in <see cref="Folder"/>); fails the test with its output when it fails.</summary>
    /// <returns>Its standard output and error.</returns>
    public static string Run(string script, IEnumerable<string> arguments)
    {
        var (code, output) = Execute(Interpreter ?? throw new InvalidOperationException(SkipReason), [Path.Combine(Folder, script), .. arguments]);
        Assert.True(code == 0, $"{script} exited with {code}:\n{output}");
        return output;
    }

    /// <summary>Runs a program in <see cref="Folder"/> with one thread per process: its exit code and output.</summary>
    public static (int Code, string Output) Execute(string program, IEnumerable<string> arguments, int timeoutSeconds = 120) =>
        PyTorchPython.Run(program, arguments, Folder, TimeSpan.FromSeconds(timeoutSeconds), new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "1" });
}
