using SplitBrain.Data;
using SplitBrain.Tests.Data;
using SplitBrain.Tests.Support;
using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Tests.Training;

/// <summary>
/// Pretraining meets bad input and faults: unreadable files in its image folder (trained around, counted, reported at
/// every epoch's end), a missing folder, invalid settings (refused before anything is written, naming the field), and a
/// disk that fills up while a checkpoint is written (the previous one stays intact, the message says so, the run resumes).
/// </summary>
[Collection(SerialTensorCountCollection.Name)]
public sealed class PretrainerBadInputTests : IDisposable
{
    private readonly TinyRuns _runs = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _runs.Dispose();

    [Fact]
    public void Fit_ImageFolderWithUnreadableFiles_TrainsOnTheRest_AndReportsTheCountAtEveryEpochEnd()
    {
        var images = Path.Combine(_runs.Folder, "images");
        foreach (var part in new[] { "a", "b", "c", "d" })
            BadImageFiles.WriteReadable(Path.Combine(images, part)); // 16 readable images
        BadImageFiles.WriteUnreadable(Path.Combine(images, "b"));
        var config = _runs.Config with
        {
            Data = new DataConfig { Source = DataSource.ImageFolder, Path = images, FolderImageSize = 32, CacheFolder = Path.Combine(_runs.Folder, "cache") },
            Epochs = 2, PriorImages = 16, PreviewImages = 0,
        };
        var log = new List<string>();
        var progress = new RecordingProgress();
        using var trainer = new Pretrainer(config, _runs.Run("bad-files"), log.Add);

        trainer.Fit(progress, Cancel);

        var skipped = BadImageFiles.Unreadable.Count;
        Assert.Equal(skipped, trainer.SkippedImages);
        Assert.Equal(16, trainer.Data.Count);
        Assert.Equal(2 * 2, progress.Steps.Count); // 16 images in batches of 8, two epochs
        foreach (var name in BadImageFiles.Unreadable)
            Assert.Single(log, line => line.Contains(Path.Combine(images, "b", name)));
        Assert.Equal(2, progress.EpochEnds.Count);
        Assert.All(progress.EpochEnds, end => Assert.Contains($"{skipped} unreadable image files skipped", end.Status));
        Assert.Equal(2, log.Count(line => line.Contains($"{skipped} unreadable image files") && line.StartsWith("epoch ")));
    }

    [Fact]
    public void Constructor_MissingImageFolder_NamesThePathAndCommands_BeforeWritingTheRun()
    {
        var missing = Path.Combine(_runs.Folder, "no-such-images");
        var run = _runs.Run("missing-folder");
        var config = _runs.Config with { Data = new DataConfig { Source = DataSource.ImageFolder, Path = missing, CacheFolder = Path.Combine(_runs.Folder, "cache") } };

        var e = Assert.Throws<DirectoryNotFoundException>(() => new Pretrainer(config, run, _ => { }));

        Assert.Contains(missing, e.Message);
        Assert.Contains("data-scripts/image-folder.cs", e.Message);
        Assert.Contains("data-scripts/synthetic-folder.cs", e.Message);
        Assert.False(Directory.Exists(run.Path));
    }

    public static TheoryData<string, string> InvalidSettings => new()
    {
        { "LearningRate", "a negative learning rate" },
        { "BatchSize", "a batch size of 0" },
        { "Targets.LightnessBins", "1 L bin" },
        { "Device", "an unknown device" },
        { "Objective", "an objective nobody registered" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Constructor_InvalidSetting_IsRefusedNamingTheField_BeforeAnythingRuns(string field, string what)
    {
        var config = field switch
        {
            "LearningRate" => _runs.Config with { LearningRate = -1e-3 },
            "BatchSize" => _runs.Config with { BatchSize = 0 },
            "Targets.LightnessBins" => _runs.Config with { Targets = _runs.Config.Targets with { LightnessBins = 1 } },
            "Objective" => _runs.Config with { Objective = "no-such-objective" },
            _ => _runs.Config with { Device = "tpu" },
        };
        var run = _runs.Run("invalid");

        var e = Assert.ThrowsAny<ArgumentException>(() => new Pretrainer(config, run, _ => { }));

        Assert.True(e.ParamName == field, $"{what}: the error names {e.ParamName}, not {field}: {e.Message}");
        Assert.Contains(field.Split('.')[^1], e.Message);
        Assert.False(Directory.Exists(run.Path), $"{what}: the run folder was written");
        Assert.False(Directory.Exists(Path.Combine(_runs.Folder, "cache")), $"{what}: the data was opened");
    }

    [Fact]
    public void Checkpoint_DiskFullHalfWayThroughTheModel_KeepsThePreviousOne_SaysSo_AndResumes()
    {
        var config = _runs.Config with { Epochs = 3, PreviewImages = 0 };
        var run = _runs.Run("disk-full");
        using (var trainer = new Pretrainer(config, run, _ => { }))
        {
            var modelWrites = 0;
            trainer.Checkpoints.WrapStream = (name, stream) =>
                name == "model.bin" && ++modelWrites == 2 ? new FullDiskStream(stream, bytesLeft: 4096) : stream;

            var e = Assert.Throws<IOException>(() => trainer.Fit(TrainingProgress.None, Cancel));

            Assert.Contains("No space left on device", e.Message);
            Assert.Contains("step 24", e.Message);                                   // the checkpoint that failed
            Assert.Contains($"step 12 ({Path.Combine(run.CheckpointsPath, "step-00000012")}), is intact", e.Message);
        }

        Assert.Equal([12L], run.Checkpoints().Select(c => c.Step));
        Assert.Empty(Directory.GetDirectories(run.CheckpointsPath, ".tmp-*"));
        using var resumed = new Pretrainer(config, run, _ => { });
        Assert.Equal(12, resumed.ResumedFrom!.Step);                              // it verified (sizes and SHA-256)
        resumed.Fit(TrainingProgress.None, Cancel);
        Assert.Equal(36, resumed.Step);
    }

    /// <summary>Writes through until the disk is "full", then fails as the operating system does (ENOSPC).</summary>
    private sealed class FullDiskStream(Stream inner, long bytesLeft) : Stream
    {
        private long _left = bytesLeft;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var fits = (int)Math.Min(_left, buffer.Length);
            inner.Write(buffer[..fits]);
            _left -= fits;
            if (fits < buffer.Length)
                throw new IOException("No space left on device");
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
