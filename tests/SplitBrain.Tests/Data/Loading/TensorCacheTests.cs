using SplitBrain.Data;
using SplitBrain.Tests.Support;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Data;

public sealed class TensorCacheTests : IDisposable
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly SyntheticShapesConfig Tiny = new(UnlabeledCount: 12, TrainCount: 23, TestCount: 10, Seed: 3, ImageSize: 32);

    private readonly string _folder = Directory.CreateTempSubdirectory("splitbrain-cache-").FullName;

    private string CachePath => Path.Combine(_folder, "cache", "train.sbc");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Build_ThenOpen_RoundTripsImagesAndLabelsBitExactly()
    {
        using var source = new SyntheticShapes(Tiny, DatasetSplit.Train);
        TensorCache.Build(source, CachePath, batchSize: 10, cancellationToken: Cancel);   // 23 images: two full batches and a partial one

        using var cache = TensorCache.Open(CachePath);
        var all = Enumerable.Range(0, source.Count).ToArray();
        using var expected = source.ReadBatch(all);
        using var got = cache.ReadBatch(all);

        Assert.Equal(23, cache.Count);
        Assert.Equal(32, cache.ImageSize);
        Assert.Equal(source.Classes, cache.Classes);
        Assert.True(cache.HasLabels);
        Assert.Equal(source.Fingerprint, cache.Fingerprint);
        Assert.Equal(expected.Images.data<byte>().ToArray(), got.Images.data<byte>().ToArray());
        Assert.Equal(expected.LabelArray(), got.LabelArray());

        using var some = cache.ReadBatch([22, 0, 22]);
        Assert.Equal([2L, 0, 2], some.LabelArray());
        Assert.Equal(expected.Images[22].data<byte>().ToArray(), some.Images[0].data<byte>().ToArray());
    }

    [Fact]
    public void ReadBytes_GivesReadBatchsBytesAndLabels_AndChecksItsDestinations()
    {
        using var source = new SyntheticShapes(Tiny, DatasetSplit.Train);
        using var cache = TensorCache.OpenOrBuild(source, CachePath, cancellationToken: Cancel);
        int[] indices = [5, 0, 5, 22];
        using var batch = cache.ReadBatch(indices);
        var pixels = new byte[indices.Length * 3 * 32 * 32 + 7]; // room to spare is fine
        var labels = new long[indices.Length];

        cache.ReadBytes(indices, pixels, labels);

        Assert.Equal(batch.Images.data<byte>().ToArray(), pixels[..^7]);
        Assert.Equal(batch.LabelArray(), labels);
        Assert.Equal("pixels", Assert.Throws<ArgumentException>(() => cache.ReadBytes(indices, new byte[100], labels)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => cache.ReadBytes(indices, pixels, new long[3])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.ReadBytes([23], pixels, labels));
    }

    [Fact]
    public void Build_Unlabeled_KeepsMinusOneLabelsAndNoClasses()
    {
        using var source = new SyntheticShapes(Tiny, DatasetSplit.Unlabeled);
        using var cache = TensorCache.OpenOrBuild(source, CachePath, cancellationToken: Cancel);
        using var batch = cache.ReadBatch([0, 11]);
        Assert.False(cache.HasLabels);
        Assert.Empty(cache.Classes);
        Assert.Equal([-1L, -1], batch.LabelArray());
    }

    [Fact]
    public void OpenOrBuild_CurrentCache_IsUsedWithoutRebuilding()
    {
        using var source = new SyntheticShapes(Tiny, DatasetSplit.Test);
        using (TensorCache.OpenOrBuild(source, CachePath, cancellationToken: Cancel)) { }
        var written = File.GetLastWriteTimeUtc(CachePath);
        var log = new List<string>();

        using var cache = TensorCache.OpenOrBuild(source, CachePath, log.Add, cancellationToken: Cancel);

        Assert.Equal(written, File.GetLastWriteTimeUtc(CachePath));
        Assert.Contains(log, line => line.StartsWith("using the cache", StringComparison.Ordinal));
    }

    [Fact]
    public void OpenOrBuild_StaleFingerprint_Rebuilds()
    {
        using (var old = new SyntheticShapes(Tiny, DatasetSplit.Test))
        using (TensorCache.OpenOrBuild(old, CachePath, cancellationToken: Cancel)) { }
        using var source = new SyntheticShapes(Tiny with { Seed = 4 }, DatasetSplit.Test);
        var log = new List<string>();

        using var cache = TensorCache.OpenOrBuild(source, CachePath, log.Add, cancellationToken: Cancel);

        Assert.Contains(log, line => line.Contains("stale", StringComparison.Ordinal));
        Assert.Equal(source.Fingerprint, cache.Fingerprint);
        using var expected = source.ReadBatch([5]);
        using var got = cache.ReadBatch([5]);
        Assert.Equal(expected.Images.data<byte>().ToArray(), got.Images.data<byte>().ToArray());
    }

    [Fact]
    public void Build_SourceThrowsMidway_LeavesNoFileAndKeepsTheOldCache()
    {
        using var source = new SyntheticShapes(Tiny, DatasetSplit.Train);
        using var failing = new FailingDataset(source, failOnCall: 2);

        var e = Assert.Throws<IOException>(() => TensorCache.Build(failing, CachePath, batchSize: 8, cancellationToken: Cancel));
        Assert.Equal(FailingDataset.Message, e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(CachePath)!));

        TensorCache.Build(source, CachePath, cancellationToken: Cancel);
        var before = File.ReadAllBytes(CachePath);
        using var changed = new SyntheticShapes(Tiny with { Seed = 5 }, DatasetSplit.Train);
        using var failingAgain = new FailingDataset(changed, failOnCall: 1);  // stale cache: a rebuild that fails
        Assert.Throws<IOException>(() => TensorCache.OpenOrBuild(failingAgain, CachePath, cancellationToken: Cancel));
        Assert.Equal(before, File.ReadAllBytes(CachePath));
        Assert.Single(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(CachePath)!));
    }

    [Fact]
    public void Build_Cancelled_LeavesNoFile()
    {
        using var source = new SyntheticShapes(Tiny, DatasetSplit.Train);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => TensorCache.Build(source, CachePath, cancellationToken: cancelled.Token));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(CachePath)!));
    }

    [Fact]
    public void Open_TruncatedFile_ThrowsNamingIt_AndOpenOrBuildRebuilds()
    {
        using var source = new SyntheticShapes(Tiny, DatasetSplit.Test);
        TensorCache.Build(source, CachePath, cancellationToken: Cancel);
        var bytes = File.ReadAllBytes(CachePath);
        File.WriteAllBytes(CachePath, bytes[..(bytes.Length - 100)]);

        var e = Assert.Throws<InvalidDataException>(() => TensorCache.Open(CachePath));
        Assert.Contains(CachePath, e.Message);
        Assert.Contains("truncated", e.Message);

        var log = new List<string>();
        using var cache = TensorCache.OpenOrBuild(source, CachePath, log.Add, cancellationToken: Cancel);
        Assert.Contains(log, line => line.Contains("damaged", StringComparison.Ordinal));
        Assert.Equal(bytes.Length, new FileInfo(CachePath).Length);
    }

    [Fact]
    public void Open_NotACache_ThrowsInvalidData()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(CachePath)!);
        File.WriteAllText(CachePath, "definitely not a tensor cache, but long enough to hold a header of sixty-four bytes");
        var e = Assert.Throws<InvalidDataException>(() => TensorCache.Open(CachePath));
        Assert.Contains("SBTCACHE", e.Message);
    }

    [Fact]
    public void Build_ImageFolderWithACorruptFile_CachesTheReadableImages()
    {
        var root = Path.Combine(_folder, "images");
        using (var source = new SyntheticShapes(Tiny, DatasetSplit.Train))
        using (var batch = source.ReadBatch([0, 1, 2]))
        {
            for (var i = 0; i < 3; i++)
                ImageFile.Save(batch.Images[i], Path.Combine(root, $"class{i % 2}", $"{i}.png"));
        }

        File.WriteAllBytes(Path.Combine(root, "class1", "9.png"), [1, 2, 3]);
        var log = new List<string>();
        using var folder = ImageFolderDataset.Labeled(root, imageSize: 32, log: log.Add);

        using var cache = TensorCache.OpenOrBuild(folder, CachePath, log.Add, cancellationToken: Cancel);

        Assert.Equal(3, cache.Count);
        Assert.Equal(1, folder.SkippedCount);
        Assert.Contains(log, line => line.Contains("9.png", StringComparison.Ordinal));
        using var fromCache = cache.ReadBatch([0, 1, 2]);
        using var fromFolder = folder.ReadBatch([0, 1, 2]);
        Assert.Equal(fromFolder.Images.data<byte>().ToArray(), fromCache.Images.data<byte>().ToArray());
    }

    [Fact]
    public void ReadBatch_LeaksNoTensors()
    {
        using var source = new SyntheticShapes(Tiny, DatasetSplit.Test);
        using var cache = TensorCache.OpenOrBuild(source, CachePath, cancellationToken: Cancel);
        TensorLeaks.AssertNone(() =>
        {
            using var scope = NewDisposeScope();
            using var batch = cache.ReadBatch([1, 2]);
        });
    }
}
