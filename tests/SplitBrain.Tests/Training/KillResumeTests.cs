using System.Diagnostics;
using SplitBrain.Tests.Support;
using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Tests.Training;

/// <summary>
/// A training process killed outright (SIGKILL: no cancellation, no <c>finally</c>, possibly in the middle of writing a
/// checkpoint) resumes from its last complete checkpoint and computes what an uninterrupted run computes. The child is
/// this test assembly itself, running only <see cref="TrainUntilKilled_Child"/> (an explicit test, which normal runs
/// leave out).
/// </summary>
[Collection(SerialTensorCountCollection.Name)]
public sealed class KillResumeTests : IDisposable
{
    private const string ConfigVariable = "SPLITBRAIN_KILL_TEST_CONFIG";
    private const string RunVariable = "SPLITBRAIN_KILL_TEST_RUN";

    // The child pauses after each step so the parent's kill lands in the middle of the run, not after its end.
    private const int ChildPauseMilliseconds = 150;

    private readonly TinyRuns _runs = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _runs.Dispose();

    [Fact]
    public void SigkillDuringTraining_ResumeContinuesFromTheLastCheckpoint_WithTheUninterruptedLosses()
    {
        // One thread and a constant rate: the child's steps then match this process's bit for bit, whatever the run's
        // length (the child is given many epochs so it is still training when killed).
        var config = _runs.Config with
        {
            Epochs = 2, PreviewImages = 0, CheckpointEverySteps = 1, KeepCheckpoints = 2,
            Schedule = LearningRateSchedule.Constant, Threads = 1, Device = "cpu",
        };
        var whole = new RecordingProgress();
        using (var uninterrupted = new Pretrainer(config, _runs.Run("whole"), _ => { }))
            uninterrupted.Fit(whole, Cancel); // also builds the data cache the child reuses

        var run = _runs.Run("killed");
        var configFile = Path.Combine(_runs.Folder, "child-config.json");
        File.WriteAllText(configFile, (config with { Epochs = 1000 }).ToJson());
        using var child = StartChild(configFile, run.Path);
        var output = new System.Text.StringBuilder();
        child.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        child.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (!run.Checkpoints().Any(c => c.Step >= 4))
        {
            if (child.HasExited)
                Assert.Fail($"the child exited ({child.ExitCode}) before its 4th checkpoint:\n{output}");
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(120), $"no 4th checkpoint after 120 s:\n{output}");
            Thread.Sleep(20);
        }

        child.Kill(); // SIGKILL on Linux and macOS, TerminateProcess on Windows: the process gets no say
        Assert.True(child.WaitForExit(30_000), "the killed child did not exit");
        Assert.NotEqual(0, child.ExitCode);

        var newest = run.Checkpoints()[^1].Step;
        Assert.InRange(newest, 4, 23); // killed mid-run: the second epoch has not ended
        var rest = new RecordingProgress();
        using (var resumed = new Pretrainer(config, run, _ => { }))
        {
            Assert.Equal(newest, resumed.ResumedFrom!.Step);
            resumed.Fit(rest, Cancel);
            Assert.Equal(24, resumed.Step);
        }

        Assert.Equal(whole.Steps.Skip((int)newest).Select(p => p.Step), rest.Steps.Select(p => p.Step));
        foreach (var (expected, got) in whole.Steps.Skip((int)newest).Zip(rest.Steps))
        {
            Assert.True(Math.Abs(expected.LossF1() - got.LossF1()) <= 1e-6 && Math.Abs(expected.LossF2() - got.LossF2()) <= 1e-6,
                $"step {got.Step}: uninterrupted F1 {expected.LossF1():R} F2 {expected.LossF2():R}, resumed F1 {got.LossF1():R} F2 {got.LossF2():R}");
        }

        Assert.Empty(Directory.GetDirectories(run.CheckpointsPath, ".tmp-*")); // a checkpoint cut short by the kill is swept
        Assert.Equal(_runs.Run("whole").ReadMetrics().Steps.Select(s => s.Step), run.ReadMetrics().Steps.Select(s => s.Step));
    }

    /// <summary>The child's side: trains the run named by the environment until it is killed. Explicit: it runs only
    /// when asked for by name, as the parent test does.</summary>
    [Fact(Explicit = true)]
    public void TrainUntilKilled_Child()
    {
        var (configFile, runPath) = (Environment.GetEnvironmentVariable(ConfigVariable), Environment.GetEnvironmentVariable(RunVariable));
        Assert.SkipWhen(configFile is null || runPath is null, $"the child of the kill test: needs {ConfigVariable} and {RunVariable}");
        var config = PretrainConfig.FromJson(File.ReadAllText(configFile!));
        using var trainer = new Pretrainer(config, new RunFolder(runPath!), Console.WriteLine);
        trainer.Fit(new RecordingProgress(p =>
        {
            Console.WriteLine($"step {p.Step}");
            Thread.Sleep(ChildPauseMilliseconds);
        }), Cancel);
    }

    private static Process StartChild(string configFile, string runPath)
    {
        // The test assembly is an executable (xunit v3): its app host, or the dll through the dotnet host.
        var dll = typeof(KillResumeTests).Assembly.Location;
        var appHost = Path.ChangeExtension(dll, OperatingSystem.IsWindows() ? ".exe" : null);
        var start = File.Exists(appHost)
            ? new ProcessStartInfo(appHost)
            : new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { ArgumentList = { "exec", dll } };
        foreach (var argument in new[] { "-method", $"{typeof(KillResumeTests).FullName}.{nameof(TrainUntilKilled_Child)}", "-explicit", "only", "-noLogo" })
            start.ArgumentList.Add(argument);
        start.Environment[ConfigVariable] = configFile;
        start.Environment[RunVariable] = runPath;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
    }
}
