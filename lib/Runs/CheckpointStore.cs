using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SplitBrain.Runs;

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
/// <para>The store serves every kind of run: <c>state.json</c> starts with what all kinds share (step, completed
/// epochs, files, time written; <see cref="CheckpointHeader"/>), which is all the store reads; the engine adds the rest
/// (<see cref="CheckpointState"/>) and reads the whole state back as its own type.</para>
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

    /// <summary>Fault injection for tests: wraps the stream each file (by name) is written into, e.g. with one that fails
    /// part-way as a full disk does.</summary>
    internal Func<string, Stream, Stream>? WrapStream { get; set; }

    /// <summary>A checkpoint file written through a <see cref="BinaryWriter"/> (what TorchSharp's <c>save</c> and
    /// <c>save_state_dict</c> take), flushed, the stream left open.</summary>
    internal static Action<Stream> Binary(Action<BinaryWriter> write) => stream =>
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        write(writer);
        writer.Flush();
    };

    /// <summary>The folder name of the checkpoint at <paramref name="step"/>.</summary>
    internal static string NameOf(long step) => Prefix + step.ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>The complete checkpoints (those whose state is readable), oldest first. Files are not verified.</summary>
    internal IReadOnlyList<CheckpointInfo> List()
    {
        var found = new List<CheckpointInfo>();
        foreach (var (path, _) in Folders())
        {
            if (TryReadState(path, out var header, out _, out _))
            {
                found.Add(Info(path, header));
            }
        }

        return found;
    }

    /// <summary>
    /// The newest checkpoint whose files verify (sizes and SHA-256), with its whole <c>state.json</c> read as
    /// <typeparamref name="TState"/>, or null; damaged ones are passed over, each with a line to <paramref name="log"/>.
    /// </summary>
    internal (CheckpointInfo Info, TState State)? LatestValid<TState>(Action<string>? log, JsonTypeInfo<TState> stateJson)
    {
        foreach (var (path, _) in Folders().Reverse())
        {
            if (!TryReadState(path, out var header, out var bytes, out var why) || !Verify(path, header, out why))
            {
                log?.Invoke($"skipping the damaged checkpoint {path}: {why}");
                continue;
            }

            try
            {
                var state = JsonSerializer.Deserialize(bytes, stateJson) ?? throw new JsonException("null state");
                return (Info(path, header), state);
            }
            catch (JsonException e)
            {
                log?.Invoke($"skipping the checkpoint {path}: its {StateFile} is not a {typeof(TState).Name} ({e.Message})");
            }
        }

        return null;
    }

    /// <summary>
    /// Writes a checkpoint of any kind of run atomically (see the class remarks) and deletes all but the newest
    /// <see cref="Keep"/>.
    /// </summary>
    /// <param name="step">The step it is named after.</param>
    /// <param name="files">Each file's name and the code that writes it into a stream.</param>
    /// <param name="state">Given the files as written (names, sizes, SHA-256), the <c>state.json</c> bytes: a JSON object
    /// with at least <see cref="CheckpointHeader"/>'s fields, the files among them.</param>
    /// <returns>The new checkpoint.</returns>
    /// <exception cref="InvalidOperationException">A checkpoint of this step exists already.</exception>
    internal CheckpointInfo Write(long step, IReadOnlyList<(string Name, Action<Stream> Write)> files, Func<CheckpointFile[], byte[]> state)
    {
        Directory.CreateDirectory(Folder);
        RemoveTemporaries();
        var final = Path.Combine(Folder, NameOf(step));
        if (Directory.Exists(final))
        {
            throw new InvalidOperationException($"A checkpoint of step {step} exists already: {final}.");
        }

        var temporary = Path.Combine(Folder, $"{TemporaryPrefix}{NameOf(step)}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        CheckpointHeader header;
        try
        {
            var written = new List<CheckpointFile>(files.Count);
            foreach (var (name, write) in files)
            {
                written.Add(WriteFile(temporary, name, write));
            }

            var bytes = state([.. written]);
            header = JsonSerializer.Deserialize(bytes, RunsJson.Default.CheckpointHeader)
                ?? throw new JsonException($"The {StateFile} of step {step} is null.");
            if (header.Step != step)
            {
                throw new ArgumentException($"The {StateFile} says step {header.Step}, not {step}.", nameof(state));
            }

            WriteFile(temporary, StateFile, stream => stream.Write(bytes));
            Directory.Move(temporary, final); // the commit: only now is there a folder named step-*
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        Prune();
        return Info(final, header);
    }

    private CheckpointFile WriteFile(string folder, string name, Action<Stream> write)
    {
        var path = Path.Combine(folder, name);
        long length;
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        {
            write(WrapStream?.Invoke(name, stream) ?? stream);
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

    private static bool TryReadState(string folder, out CheckpointHeader header, out byte[] bytes, out string why)
    {
        header = null!;
        bytes = [];
        var path = Path.Combine(folder, StateFile);
        try
        {
            bytes = File.ReadAllBytes(path);
            header = JsonSerializer.Deserialize(bytes, RunsJson.Default.CheckpointHeader)
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

    private static bool Verify(string folder, CheckpointHeader header, out string why)
    {
        foreach (var file in header.Files)
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

    private static CheckpointInfo Info(string path, CheckpointHeader header) =>
        new(path, header.Step, header.CompletedEpochs, header.BatchesIntoEpoch, header.Written);

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

/// <summary>What the <c>state.json</c> of every kind of checkpoint holds, and all <see cref="CheckpointStore"/> reads of
/// it (other fields are ignored here).</summary>
/// <param name="Step">Steps done: the checkpoint's name.</param>
/// <param name="CompletedEpochs">Whole epochs done.</param>
/// <param name="Files">The checkpoint's other files, with sizes and SHA-256.</param>
/// <param name="Written">When it was written (UTC).</param>
/// <param name="BatchesIntoEpoch">Batches of the next epoch done (0 for runs checkpointed only between epochs).</param>
internal sealed record CheckpointHeader(long Step, int CompletedEpochs, CheckpointFile[] Files, DateTime Written, int BatchesIntoEpoch = 0);

/// <summary>One file of a checkpoint.</summary>
internal sealed record CheckpointFile(string Name, long Bytes, string Sha256);
