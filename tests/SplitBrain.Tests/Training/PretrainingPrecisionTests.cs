using System.Text.Json.Nodes;
using SplitBrain.Models;
using SplitBrain.Runs;
using SplitBrain.Tests.Support;
using SplitBrain.Training;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Training;

/// <summary>The precision a pretraining run computes in: forced, or Auto timed once per key and kept in the workspace's
/// cache.</summary>
[Collection(SerialTensorCountCollection.Name)]
public sealed class PretrainingPrecisionTests : IDisposable
{
    private readonly TinyRuns _runs = new();

    public void Dispose() => _runs.Dispose();

    private Workspace Workspace => Workspace.At(_runs.Folder);

    [Theory]
    [InlineData(Precision.Float32, ScalarType.Float32)]
    [InlineData(Precision.BFloat16, ScalarType.BFloat16)]
    public void Choose_Forced_TakesItWithoutTiming(Precision precision, ScalarType expected)
    {
        var choice = PretrainingPrecision.Choose(_runs.Config with { Precision = precision }, CPU, Workspace, _ => { });

        Assert.Equal(expected, choice.ComputeType);
        Assert.False(choice.Measured);
        Assert.False(File.Exists(Path.Combine(Workspace.Cache, PrecisionProbe.CacheFileName)));
    }

    [Fact]
    public void Choose_Auto_TimesOncePerKey_AndKeepsEachInTheWorkspaceCache()
    {
        var log = new List<string>();
        var config = _runs.Config with { Precision = Precision.Auto };

        var first = PretrainingPrecision.Choose(config, CPU, Workspace, log.Add);
        var again = PretrainingPrecision.Choose(config, CPU, Workspace, log.Add);
        var otherBatch = PretrainingPrecision.Choose(config with { BatchSize = config.BatchSize / 2 }, CPU, Workspace, log.Add);

        if (!Precisions.HasNativeBFloat16(CPU))
        {
            Assert.Equal(ScalarType.Float32, first.ComputeType); // emulated bfloat16 is never timed
            return;
        }
        Assert.True(first.Measured && !first.FromCache);
        Assert.True(again.FromCache);
        Assert.Equal(first.ComputeType, again.ComputeType);
        Assert.False(otherBatch.FromCache);
        Assert.Equal(2, log.Count); // one line per timing, with what it cost
        var cache = JsonNode.Parse(File.ReadAllText(Path.Combine(Workspace.Cache, PrecisionProbe.CacheFileName)))!.AsObject();
        Assert.Equal(2, cache.Count);
        Assert.Contains(cache, entry => entry.Key.Contains($"batch {config.BatchSize} |", StringComparison.Ordinal));
    }
}
