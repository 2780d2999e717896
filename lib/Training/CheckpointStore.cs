using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace SplitBrain.Training;

/// <summary>
/// The <c>checkpoints/</c> folder of a run: writes checkpoints atomically, lists the complete ones, finds the newest
/// one that verifies, keeps the last K.
/// </summary>
/// <remarks>
/// <para>A checkpoint is a folder <c>step-00000120/</c> holding its files (model, optimizer, random states, config) and
/// <c>state.json</c> (position, running sums, and each file's size and SHA-256). It is written into a
/// hidden temporary folder <c>.tmp-step-00000120-&lt;guid&gt;/</c>, every file flushed to disk, <c>state.json</c>
/// last, and only then renamed to its final name (a rename within one folder is atomic). So a folder named
/// <c>step-*</c> is always complete, a failure while writing leaves the previous checkpoints as they were (and the
/// temporary folder is removed, or at the latest by the next write), and older checkpoints are deleted only after a
/// newer one is in place.</para>
/// <para>Reading verifies sizes and hashes, so a checkpoint damaged later (a disk error, a hand edit) is passed over
/// for the one before it rather than loaded.</para>
/// </remarks>
internal sealed class CheckpointStore
{
    internal const string StateFile = "state.json";
    private const string Prefix = "step-";
    private const string TemporaryPrefix = ".tmp-";

    internal CheckpointStore(string folder, int keep)
    {
        Folder = folder;
        Keep = keep;
    }

    /// <summary>The checkpoints folder.</summary>
    internal string Folder { get; }

    /// <summary>Checkpoints kept.</summary>
    internal int Keep { get; }

    /// <summary>Fault injection for tests: called with each file's name right after it is written into the temporary
    /// folder (an exception thrown here is a write that failed).</summary>
    internal Action<string>? AfterFileWritten { get; set; }

    /// <summary>The folder name of the checkpoint at <paramref name="step"/>.</summary>
    internal static string NameOf(long step) => Prefix + step.ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>The complete checkpoints (those whose state is readable), oldest first. Files are not verified.</summary>
    internal IReadOnlyList<CheckpointInfo> List()
    {
        var found = new List<CheckpointInfo>();
        foreach (var (path, _) in Folders())
        {
            if (TryReadState(path, out var state, out _))
            {
                found.Add(Info(path, state));
            }
        }

        return found;
    }

    /// <summary>
    /// The newest checkpoint whose files verify (sizes and SHA-256), or null; damaged ones are passed over, each with a
    /// line to <paramref name="log"/>.
    /// </summary>
    internal (CheckpointInfo Info, CheckpointState State)? LatestValid(Action<string>? log)
    {
        foreach (var (path, _) in Folders().Reverse())
        {
            if (!TryReadState(path, out var state, out var why) || !Verify(path, state, out why))
            {
                log?.Invoke($"skipping the damaged checkpoint {path}: {why}");
                continue;
            }

            return (Info(path, state), state);
        }

        return null;
    }

    /// <summary>
    /// Writes a checkpoint atomically (see the class remarks) and deletes all but the newest <see cref="Keep"/>.
    /// </summary>
    /// <param name="state">The position and states; its file list is filled in here.</param>
    /// <param name="files">Each file's name and the code that writes it into a stream.</param>
    /// <returns>The new checkpoint.</returns>
    /// <exception cref="InvalidOperationException">A checkpoint of this step exists already.</exception>
    internal CheckpointInfo Write(CheckpointState state, IReadOnlyList<(string Name, Action<Stream> Write)> files)
    {
        Directory.CreateDirectory(Folder);
        RemoveTemporaries();
        var final = Path.Combine(Folder, NameOf(state.Step));
        if (Directory.Exists(final))
        {
            throw new InvalidOperationException($"A checkpoint of step {state.Step} exists already: {final}.");
        }

        var temporary = Path.Combine(Folder, $"{TemporaryPrefix}{NameOf(state.Step)}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            var written = new List<CheckpointFile>(files.Count);
            foreach (var (name, write) in files)
            {
                written.Add(WriteFile(temporary, name, write));
            }

            state = state with { Files = [.. written] };
            WriteFile(temporary, StateFile, stream => JsonSerializer.Serialize(stream, state, RunJsonIndented.Default.CheckpointState));
            Directory.Move(temporary, final); // the commit: only now is there a folder named step-*
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        Prune();
        return Info(final, state);
    }

    private CheckpointFile WriteFile(string folder, string name, Action<Stream> write)
    {
        var path = Path.Combine(folder, name);
        long length;
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
            length = stream.Length;
        }

        AfterFileWritten?.Invoke(name);
        return new CheckpointFile(name, length, Hash(path));
    }

    private void Prune()
    {
        var complete = Folders().ToList();
        foreach (var (path, _) in complete.Take(Math.Max(0, complete.Count - Keep)))
        {
            TryDelete(path);
        }
    }

    // Leftovers of writes that failed or were killed; no other writer uses this folder at the same time.
    private void RemoveTemporaries()
    {
        foreach (var folder in Directory.EnumerateDirectories(Folder, TemporaryPrefix + "*"))
        {
            TryDelete(folder);
        }
    }

    // step-* folders, by step.
    private IEnumerable<(string Path, long Step)> Folders()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        return Directory.EnumerateDirectories(Folder, Prefix + "*")
            .Select(path => (Path: path, Name: System.IO.Path.GetFileName(path)))
            .Where(f => long.TryParse(f.Name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(f => (f.Path, Step: long.Parse(f.Name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture)))
            .OrderBy(f => f.Step);
    }

    private static bool TryReadState(string folder, out CheckpointState state, out string why)
    {
        state = null!;
        var path = Path.Combine(folder, StateFile);
        try
        {
            state = JsonSerializer.Deserialize(File.ReadAllBytes(path), RunJson.Default.CheckpointState)
                ?? throw new JsonException("null state");
            why = "";
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            why = $"its {StateFile} is not readable ({e.Message})";
            return false;
        }
    }

    private static bool Verify(string folder, CheckpointState state, out string why)
    {
        foreach (var file in state.Files)
        {
            var path = Path.Combine(folder, file.Name);
            if (!File.Exists(path))
            {
                why = $"{file.Name} is missing";
                return false;
            }

            var length = new FileInfo(path).Length;
            if (length != file.Bytes)
            {
                why = $"{file.Name} has {length} bytes where {file.Bytes} were written";
                return false;
            }

            if (Hash(path) != file.Sha256)
            {
                why = $"{file.Name} does not match the SHA-256 recorded when it was written";
                return false;
            }
        }

        why = "";
        return true;
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static CheckpointInfo Info(string path, CheckpointState state) =>
        new(path, state.Step, state.CompletedEpochs, state.BatchesIntoEpoch, state.Written);

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next write's clean-up; never worth failing a run over.
        }
    }
}

/// <summary>The <c>state.json</c> of a checkpoint: where the run was, the running sums, and the list of its files (the
/// model, the optimizer, torch's and the augmentation's random states, the config) with their sizes and hashes.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="CompletedEpochs">Whole epochs done.</param>
/// <param name="BatchesIntoEpoch">Batches of the next epoch done.</param>
/// <param name="ElapsedSeconds">Wall-clock seconds of the run so far.</param>
/// <param name="TrainSeconds">Seconds spent in steps so far.</param>
/// <param name="Images">Images trained on so far.</param>
/// <param name="Epoch">Running sums of the epoch in progress, so its epoch line covers all of it after a resume.</param>
/// <param name="Window">Running sums since the last metrics line, so the next line covers the same steps after a resume.</param>
/// <param name="Files">The checkpoint's other files, with sizes and SHA-256.</param>
/// <param name="Written">When it was written (UTC).</param>
internal sealed record CheckpointState(
    long Step,
    int CompletedEpochs,
    int BatchesIntoEpoch,
    double ElapsedSeconds,
    double TrainSeconds,
    long Images,
    EpochTotals Epoch,
    EpochTotals Window,
    CheckpointFile[] Files,
    DateTime Written);

/// <summary>Sums over some steps: of an epoch so far, or since the last metrics line.</summary>
internal sealed record EpochTotals(int Steps, long Images, double Seconds, double LossF1, double LossF2, double AccuracyF1, double AccuracyF2)
{
    internal static EpochTotals Empty { get; } = new(0, 0, 0, 0, 0, 0, 0);

    internal EpochTotals Add(long images, double seconds, StepValues values) =>
        new(Steps + 1, Images + images, Seconds + seconds, LossF1 + values.LossF1, LossF2 + values.LossF2,
            AccuracyF1 + values.AccuracyF1, AccuracyF2 + values.AccuracyF2);
}

/// <summary>One file of a checkpoint.</summary>
internal sealed record CheckpointFile(string Name, long Bytes, string Sha256);

/// <summary>The four numbers one training step reads back.</summary>
internal readonly record struct StepValues(double LossF1, double LossF2, double AccuracyF1, double AccuracyF2)
{
    internal bool IsFinite => double.IsFinite(LossF1) && double.IsFinite(LossF2);
}
