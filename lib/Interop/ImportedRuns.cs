using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SplitBrain.Models;
using SplitBrain.Runs;
using SplitBrain.Training;
using TorchSharp;

namespace SplitBrain.Interop;

/// <summary>
/// Weights trained elsewhere (PyTorch, <c>interop/pytorch/train_ddp.py</c>) brought back as a pretraining run of the
/// course, so that everything that reads runs (<see cref="PretrainingRuns.LoadModel"/>, <c>tools/probe.cs --run</c>,
/// fine-tuning runs, the registry) reads them like any other.
/// </summary>
/// <remarks>
/// The new run is a copy of a run of the same architecture (its <c>config.json</c>) with one checkpoint: the like run's
/// newest checkpoint, its model file replaced by the imported weights (and its hashes by theirs), plus
/// <c>imported.json</c> saying from where. Training it further continues from that checkpoint's step, optimizer and
/// random state with the new weights.
/// </remarks>
public static class ImportedRuns
{
    /// <summary>The file beside <c>config.json</c> that says where an imported run's weights came from.</summary>
    public const string ImportFile = "imported.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// The network of <paramref name="like"/>'s architecture (its config: widths, input channels, bins) with the weights
    /// of <paramref name="weights"/>, in evaluation mode. Torch's global generator is left as it was.
    /// </summary>
    /// <param name="like">A pretraining run with a checkpoint.</param>
    /// <param name="weights">A safetensors or PyTorch state_dict file of that architecture.</param>
    /// <param name="device">Where to put it; the CPU when null.</param>
    /// <returns>The network; the caller owns it.</returns>
    /// <exception cref="InvalidDataException">The file does not fit (<see cref="NetworkWeights.Import"/>).</exception>
    public static FeatureNetwork Load(RunFolder like, string weights, torch.Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(like);
        return Load(like, weights, device, checkpoint: null);
    }

    /// <summary>
    /// Makes <paramref name="target"/> a pretraining run holding <paramref name="weights"/> (see the class remarks). The
    /// file is checked first: with a bad file, or a target that exists already, nothing is written.
    /// </summary>
    /// <param name="like">A pretraining run of the same architecture, with a checkpoint.</param>
    /// <param name="weights">The weights file.</param>
    /// <param name="target">The new run's folder; must not hold a run yet.</param>
    /// <returns>The new run's checkpoint.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="target"/> holds a run already, or
    /// <paramref name="like"/> has no checkpoint.</exception>
    /// <exception cref="InvalidDataException">The weights do not fit <paramref name="like"/>'s network.</exception>
    public static CheckpointInfo Create(RunFolder like, string weights, RunFolder target)
    {
        ArgumentNullException.ThrowIfNull(like);
        ArgumentNullException.ThrowIfNull(target);
        if (target.Exists || Directory.Exists(target.CheckpointsPath))
            throw new InvalidOperationException(
                $"{target.Path} holds a run already: import into a new name, or delete that folder first.");
        var checkpoint = like.LatestCheckpoint()
            ?? throw new InvalidOperationException($"The run '{like.Name}' has no complete checkpoint to take the architecture from: train it first.");
        using var network = Load(like, weights, device: null, checkpoint);
        var created = !Directory.Exists(target.Path);
        Directory.CreateDirectory(target.Path);
        try
        {
            var state = JsonNode.Parse(File.ReadAllBytes(Path.Combine(checkpoint.Path, CheckpointStore.StateFile)))!.AsObject();
            var copied = state["files"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).Where(n => n != Trainer.ModelFile);
            var files = new List<(string Name, Action<Stream> Write)>
            {
                (Trainer.ModelFile, CheckpointStore.Binary(writer => network.save(writer))),
            };
            files.AddRange(copied.Select(name => (name, (Action<Stream>)(stream =>
            {
                using var source = File.OpenRead(Path.Combine(checkpoint.Path, name));
                source.CopyTo(stream);
            }))));
            var store = new CheckpointStore(target.CheckpointsPath, keep: int.MaxValue);
            var written = store.Write(checkpoint.Step, files, list =>
            {
                var header = new CheckpointHeader(checkpoint.Step, checkpoint.CompletedEpochs, list, DateTime.UtcNow, checkpoint.BatchesIntoEpoch);
                var node = JsonSerializer.SerializeToNode(header, RunsJson.Default.CheckpointHeader)!.AsObject();
                state["files"] = node["files"]!.DeepClone();
                state["written"] = node["written"]!.DeepClone();
                return Encoding.UTF8.GetBytes(state.ToJsonString(Indented));
            });
            File.Copy(like.ConfigPath, target.ConfigPath);
            var about = new JsonObject
            {
                ["weights"] = Path.GetFullPath(weights),
                ["like"] = like.Path,
                ["likeStep"] = checkpoint.Step,
                ["imported"] = DateTime.UtcNow,
            };
            File.WriteAllText(Path.Combine(target.Path, ImportFile), about.ToJsonString(Indented));
            return written;
        }
        catch
        {
            if (created)
                Directory.Delete(target.Path, recursive: true);
            else if (Directory.Exists(target.CheckpointsPath))
                Directory.Delete(target.CheckpointsPath, recursive: true);
            throw;
        }
    }

    private static FeatureNetwork Load(RunFolder like, string weights, torch.Device? device, CheckpointInfo? checkpoint)
    {
        var network = like.LoadModel(device, checkpoint);
        try
        {
            NetworkWeights.Import(network, weights);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
