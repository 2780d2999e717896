using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Course;

/// <summary>
/// The probe accuracies of a study's networks, kept in the workspace's cache (<c>cache/study-probes/</c>), so that running
/// a study's chapter again (after changing its text, or adding an objective) probes only what is new: probing 132 runs of
/// chapter 08 takes longer than loading them. An entry is named by a hash of everything its numbers depend on: the
/// checkpoint probed (its config and weights) or, for a random+BN floor, the network's architecture and seed; and the
/// probing (data, layers, probe config, labels per class, seed).
/// </summary>
/// <remarks>An entry is derived data: one that cannot be read is probed again and rewritten, never an error.</remarks>
internal static class StudyProbeCache
{
    /// <summary>The cache's folder name inside <see cref="Workspace.Cache"/>.</summary>
    public const string FolderName = "study-probes";

    // Raise it when the probes change what they compute for the same inputs, so that older entries are not read.
    private const int Version = 1;

    /// <summary>The key of a pretrained run's probes: its newest checkpoint's config and weights (the checkpoint
    /// <c>LoadModel</c> loads), and the probing.</summary>
    /// <param name="run">The run folder (finished).</param>
    /// <param name="probing">The study's probing.</param>
    /// <param name="seed">The run's seed (its probe subset and probe initialisation).</param>
    /// <exception cref="InvalidOperationException">The run has no complete checkpoint.</exception>
    public static string KeyOfRun(RunFolder run, StudyProbes probing, int seed)
    {
        var checkpoint = run.LatestCheckpoint()
            ?? throw new InvalidOperationException($"The run '{run.Name}' has no complete checkpoint ({run.CheckpointsPath}) to probe: train it first.");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in new[] { Trainer.ConfigFile, Trainer.ModelFile })
            hash.AppendData(File.ReadAllBytes(Path.Combine(checkpoint.Path, file)));
        return Key("run:" + Convert.ToHexString(hash.GetHashAndReset()), probing, seed);
    }

    /// <summary>The key of a random+BN floor's probes: the architecture it copies, its seed, and the probing.</summary>
    /// <param name="architecture">The network's split and parameter shapes.</param>
    /// <param name="probing">The study's probing (its unlabeled data also sets the floor's BatchNorm statistics).</param>
    /// <param name="seed">The floor's seed.</param>
    public static string KeyOfFloor(string architecture, StudyProbes probing, int seed) => Key("random+BN:" + architecture, probing, seed);

    /// <summary>The test accuracy per layer saved under <paramref name="key"/>; else <paramref name="probe"/>'s, saved there.</summary>
    /// <param name="workspace">Whose cache.</param>
    /// <param name="key">The entry (<see cref="KeyOfRun"/>, <see cref="KeyOfFloor"/>).</param>
    /// <param name="layers">The layers the entry must have.</param>
    /// <param name="probe">Probes the network; called only when the entry is missing or cannot be read.</param>
    public static IReadOnlyDictionary<FeatureLayer, double> ReadOrProbe(Workspace workspace, string key, IReadOnlyCollection<FeatureLayer> layers,
        Func<ProbeCurve> probe) =>
        Read(workspace, key, layers) ?? Write(workspace, key, probe());

    /// <summary>The test accuracy per layer saved under <paramref name="key"/>, or null when there is none (or it cannot be
    /// read, or lacks a layer of <paramref name="layers"/>).</summary>
    private static IReadOnlyDictionary<FeatureLayer, double>? Read(Workspace workspace, string key, IEnumerable<FeatureLayer> layers)
    {
        var path = PathOf(workspace, key);
        if (!File.Exists(path))
            return null;
        try
        {
            var entry = JsonSerializer.Deserialize(File.ReadAllBytes(path), StudyProbeJson.Default.StudyProbeEntry);
            return entry is not null && layers.All(entry.TestAccuracy.ContainsKey) ? entry.TestAccuracy : null;
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Saves a probe curve's test accuracies under <paramref name="key"/> (atomically).</summary>
    private static IReadOnlyDictionary<FeatureLayer, double> Write(Workspace workspace, string key, ProbeCurve curve)
    {
        var accuracies = curve.Layers.ToDictionary(r => r.Layer, r => r.TestAccuracy);
        AtomicFile.WriteAllText(PathOf(workspace, key),
            JsonSerializer.Serialize(new StudyProbeEntry(curve.Network, accuracies), StudyProbeJson.Default.StudyProbeEntry));
        return accuracies;
    }

    private static string Key(string network, StudyProbes probing, int seed)
    {
        var description = JsonSerializer.Serialize(
            new StudyProbeKey(Version, network, probing.Data, [.. probing.Layers.Distinct().Order()], probing.Probes with { Seed = seed },
                probing.LabelsPerClass, seed),
            StudyProbeJson.Default.StudyProbeKey);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(description)))[..32].ToLowerInvariant();
    }

    private static string PathOf(Workspace workspace, string key) => Path.Combine(workspace.Cache, FolderName, key + ".json");
}

/// <summary>What a cached probe's numbers depend on (hashed into its file name).</summary>
internal sealed record StudyProbeKey(int Version, string Network, DataConfig Data, FeatureLayer[] Layers, LinearProbeConfig Probes,
    int LabelsPerClass, int Seed);

/// <summary>A cached probe: the network's name, for people who open the file, and its test accuracy per layer.</summary>
internal sealed record StudyProbeEntry(string Network, Dictionary<FeatureLayer, double> TestAccuracy);

/// <summary>Source-generated JSON of <see cref="StudyProbeCache"/> (file-based apps switch reflection off).</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(StudyProbeKey))]
[JsonSerializable(typeof(StudyProbeEntry))]
internal sealed partial class StudyProbeJson : JsonSerializerContext;
