using System.Text.Json;
using SplitBrain.Runs;

namespace SplitBrain.Tests.Runs;

public sealed class CheckpointStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("splitbrain-checkpoints-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static CheckpointState State(long step) =>
        new(step, 0, (int)step, [], DateTime.UtcNow, 1, 1, step, StepTotals.Empty(2), StepTotals.Empty(2), null, null);

    private static CheckpointInfo Write(CheckpointStore store, CheckpointState state, (string, Action<Stream>)[] files) =>
        store.Write(state.Step, files, written => JsonSerializer.SerializeToUtf8Bytes(state with { Files = written }, RunsJson.Default.CheckpointState));

    private static (CheckpointInfo Info, CheckpointState State)? Latest(CheckpointStore store, Action<string>? log = null) =>
        store.LatestValid(log, RunsJson.Default.CheckpointState);

    private static (string, Action<Stream>)[] Files(byte content) =>
        [("a.bin", s => s.Write(new byte[100].Select(_ => content).ToArray())), ("b.bin", s => s.WriteByte(content))];

    [Fact]
    public void Write_KeepsTheNewestK_OldestFirstInTheList()
    {
        var store = new CheckpointStore(_folder, keep: 2);
        foreach (var step in new long[] { 3, 6, 9, 12 })
            Write(store, State(step), Files((byte)step));

        Assert.Equal([9L, 12], store.List().Select(c => c.Step));
        Assert.Equal(Path.Combine(_folder, "step-00000012"), store.List()[^1].Path);
        Assert.Equal(12, Latest(store)!.Value.Info.Step);
    }

    [Fact]
    public void Write_FailsWhileWriting_LeavesTheCommittedOnesAndNoTemporaryFolder()
    {
        var store = new CheckpointStore(_folder, keep: 1);
        Write(store, State(5), Files(5));
        store.AfterFileWritten = name => throw new IOException($"failed after {name}");

        Assert.Throws<IOException>(() => Write(store, State(10), Files(10)));

        var only = Assert.Single(store.List());
        Assert.Equal(5, only.Step);
        Assert.Equal(5, File.ReadAllBytes(Path.Combine(only.Path, "a.bin"))[0]);
        Assert.Equal(["step-00000005"], Directory.GetDirectories(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void LatestValid_PassesOverADamagedCheckpoint()
    {
        var store = new CheckpointStore(_folder, keep: 3);
        Write(store, State(1), Files(1));
        var newest = Write(store, State(2), Files(2));
        File.WriteAllBytes(Path.Combine(newest.Path, "a.bin"), new byte[100]); // same size, other content
        var log = new List<string>();

        var latest = Latest(store, log.Add);

        Assert.Equal(1, latest!.Value.Info.Step);
        Assert.Contains("SHA-256", Assert.Single(log));
    }

    [Fact]
    public void Write_SameStepTwice_Throws()
    {
        var store = new CheckpointStore(_folder, keep: 3);
        Write(store, State(4), Files(4));

        Assert.Throws<InvalidOperationException>(() => Write(store, State(4), Files(4)));
    }

    [Fact]
    public void Write_RemovesTemporaryFoldersLeftByACrash()
    {
        Directory.CreateDirectory(Path.Combine(_folder, ".tmp-step-00000001-dead"));
        Write(new CheckpointStore(_folder, keep: 3), State(2), Files(2));

        Assert.Equal(["step-00000002"], Directory.GetDirectories(_folder).Select(Path.GetFileName));
    }
}
