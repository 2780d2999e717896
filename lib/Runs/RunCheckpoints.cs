using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace SplitBrain.Runs;

/// <summary>
/// The files of a run's checkpoints (written by <see cref="CheckpointStore"/>: into a temporary folder, renamed, verified by
/// SHA-256 when read): the task's model and optimizer, torch's generator, the task's own random state, the config, and
/// <c>state.json</c> (<see cref="CheckpointState"/>: the <see cref="RunPosition"/>, the task's and the observers' state).
/// </summary>
internal sealed class RunCheckpoints(CheckpointStore store, RunFolder run, RunIdentity identity)
{
    internal const string TorchRandomFile = "torch-random.bin";
    internal const string TaskRandomFile = "task-random.bin";

    /// <summary>The store (for the fault-injection tests).</summary>
    internal CheckpointStore Store => store;

    /// <summary>The last checkpoint written or resumed from, or null.</summary>
    internal CheckpointInfo? Last { get; set; }

    /// <summary>The random states now: torch's generator and the task's.</summary>
    internal static (byte[] Torch, byte[]? Task) RandomStates(TrainingTask task)
    {
        using var region = NoGcRegion.Enter();
        using var torchState = random.get_rng_state();
        return (torchState.bytes.ToArray(), task.RandomState);
    }

    /// <summary>Writes a checkpoint of <paramref name="position"/>, unless one of its step exists.</summary>
    internal CheckpointInfo Save(TrainingTask task, RunPosition position, JsonObject? observers, (byte[] Torch, byte[]? Task)? randomStates)
    {
        if (Last?.Step == position.Step && Directory.Exists(Last.Path))
            return Last;
        var (torchRandom, taskRandom) = randomStates ?? RandomStates(task);
        using var region = NoGcRegion.Enter(); // saving reads tensors, and tensors are written by TorchSharp calls
        var state = CheckpointState.Of(position, observers);
        var files = new List<(string Name, Action<Stream> Write)>
        {
            (Trainer.ModelFile, CheckpointStore.Binary(writer => task.Model.save(writer))),
            (Trainer.OptimizerFile, CheckpointStore.Binary(writer => task.Optimizer.save_state_dict(writer))),
            (TorchRandomFile, stream => stream.Write(torchRandom)),
            (Trainer.ConfigFile, stream => stream.Write(Encoding.UTF8.GetBytes(RunFolder.WithKind(identity.ConfigJson, identity.Kind)))),
        };
        if (taskRandom is not null)
            files.Add((TaskRandomFile, stream => stream.Write(taskRandom)));
        try
        {
            return Last = store.Write(position.Step, files,
                written => JsonSerializer.SerializeToUtf8Bytes(state with { Files = written }, RunsJsonIndented.Default.CheckpointState));
        }
        catch (IOException e)
        {
            // A full disk or a lost drive: the store has removed the half-written folder; say what is left to resume from.
            var previous = Last is { } last && Directory.Exists(last.Path)
                ? $"the last complete checkpoint, step {last.Step} ({last.Path}), is intact"
                : "there is no earlier checkpoint";
            throw new IOException(
                $"Writing the checkpoint of step {position.Step} into {run.CheckpointsPath} failed: {e.Message} Nothing of it was kept, and "
                + $"{previous}. Free some disk space (or point the run elsewhere) and create the run again: it resumes from there.", e);
        }
    }

    /// <summary>Loads the task's model and optimizer from <paramref name="info"/>; returns the random states to restore.</summary>
    internal (byte[] Torch, byte[]? Task) Load(CheckpointInfo info, TrainingTask task)
    {
        using (NoGcRegion.Enter())
        {
            using (var reader = new BinaryReader(File.OpenRead(Path.Combine(info.Path, Trainer.ModelFile))))
                task.Model.load(reader);
            using (var reader = new BinaryReader(File.OpenRead(Path.Combine(info.Path, Trainer.OptimizerFile))))
                task.Optimizer.load_state_dict(reader);
        }
        var taskRandom = Path.Combine(info.Path, TaskRandomFile);
        Last = info;
        return (File.ReadAllBytes(Path.Combine(info.Path, TorchRandomFile)), File.Exists(taskRandom) ? File.ReadAllBytes(taskRandom) : null);
    }

    /// <summary>Puts torch's generator and the task's random state back.</summary>
    internal static void RestoreRandom((byte[] Torch, byte[]? Task) states, TrainingTask task)
    {
        using (var torchState = tensor(states.Torch, ScalarType.Byte))
            random.set_rng_state(torchState);
        if (states.Task is not null)
            task.RandomState = states.Task;
    }
}
