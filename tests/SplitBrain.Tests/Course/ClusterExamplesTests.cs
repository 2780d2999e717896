using System.Diagnostics;
using System.Text.RegularExpressions;
using SplitBrain.Tests.Support;

namespace SplitBrain.Tests.Course;

/// <summary>The example array jobs in environment/cluster/ parse and set the variables the course reads
/// (<c>SplitBrain.Course.StudyShard</c>).</summary>
public class ClusterExamplesTests
{
    private static string Example(string name) => Path.Combine(RepositoryPaths.Root, "environment", "cluster", name);

    [Fact]
    public void SlurmScript_Syntax_IsValidBash()
    {
        var info = new ProcessStartInfo("bash", ["-n", Example("recipe-study.sbatch")]) { RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
    }

    [Fact]
    public void SlurmScript_ArrayAndSharedRuns_AreWhatTheStudyReads()
    {
        var text = File.ReadAllText(Example("recipe-study.sbatch"));
        Assert.Matches(new Regex(@"^#SBATCH --array=0-\d+$", RegexOptions.Multiline), text);
        Assert.Contains("export SPLITBRAIN_RUN_DIR=", text);
        Assert.Contains("tools/study.cs -- pretrain", text);
        Assert.Contains("--out \"$SPLITBRAIN_RUN_DIR/scores.csv\"", text);
    }

    [Fact]
    public void KubernetesJob_IsAnIndexedJobWhoseShardCountEqualsItsCompletions()
    {
        var text = File.ReadAllText(Example("recipe-study-job.yaml"));
        // A YAML parse without a YAML library: every line is a comment, blank, or key/list item indented by two.
        foreach (var line in text.Split('\n').Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')))
        {
            Assert.DoesNotContain('\t', line);
            Assert.True((line.Length - line.TrimStart().Length) % 2 == 0, $"odd indentation: {line}");
            Assert.Matches(@"^\s*(- )?([A-Za-z_]+:( .*)?|""[^""]*""[,\]]?.*)$", line.TrimEnd('\r'));
        }
        Assert.Contains("completionMode: Indexed", text);
        var completions = Regex.Match(text, @"^\s+completions: (\d+)$", RegexOptions.Multiline).Groups[1].Value;
        var count = Regex.Match(text, @"- name: SPLITBRAIN_SHARD_COUNT\s+value: ""(\d+)""").Groups[1].Value;
        Assert.NotEqual("", completions);
        Assert.Equal(completions, count);
        Assert.Contains("name: SPLITBRAIN_RUN_DIR", text);
    }

    [Fact]
    public void KubernetesJob_ParsesAsYaml_WherePythonHasYaml()
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var check = "import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); "
            + "env = {e['name']: e['value'] for e in d['spec']['template']['spec']['containers'][0]['env']}; "
            + "assert d['kind'] == 'Job' and d['spec']['completionMode'] == 'Indexed'; "
            + "assert env['SPLITBRAIN_SHARD_COUNT'] == str(d['spec']['completions']), env";
        ProcessStartInfo info = new(python, ["-c", "import yaml"]) { RedirectStandardError = true };
        try
        {
            using var probe = Process.Start(info)!;
            probe.WaitForExit();
            Assert.SkipWhen(probe.ExitCode != 0, "python3 has no yaml module (python3-yaml; python3-torch installs it)");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Skip("no python3");
        }
        using var process = Process.Start(new ProcessStartInfo(python, ["-c", check, Example("recipe-study-job.yaml")]) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
    }
}
