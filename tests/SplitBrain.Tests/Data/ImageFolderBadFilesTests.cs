using SplitBrain.Data;

namespace SplitBrain.Tests.Data;

/// <summary>
/// An image folder as users make them: odd but valid files next to corrupt, truncated, empty and non-image ones, and a
/// class folder left empty. Valid files are read at the working size, each broken one is a counted, logged skip (also in
/// the tensor cache built from the folder, which keeps the count), and a missing folder says where it looked and which
/// commands fill it.
/// </summary>
public sealed class ImageFolderBadFilesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("splitbrain-bad-folder-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Labeled_EmptyClassFolder_IsLeftOutOfTheClasses_AndLogged()
    {
        BadImageFiles.WriteReadable(Path.Combine(_root, "cats"));
        Directory.CreateDirectory(Path.Combine(_root, "dogs"));
        BadImageFiles.WriteReadable(Path.Combine(_root, "zebras"));
        var log = new List<string>();

        using var data = ImageFolderDataset.Labeled(_root, log: log.Add);

        Assert.Equal(["cats", "zebras"], data.Classes);
        var line = Assert.Single(log);
        Assert.Contains("'dogs'", line);
        Assert.Contains("no images", line);
    }

    [Fact]
    public void CacheBuild_BrokenFilesAmongGoodOnes_SkipsEachWithALogLine_AndKeepsTheCount()
    {
        BadImageFiles.WriteAll(Path.Combine(_root, "cats"));
        BadImageFiles.WriteReadable(Path.Combine(_root, "dogs"));
        var log = new List<string>();
        using var folder = ImageFolderDataset.Labeled(_root, log: log.Add);
        var cachePath = Path.Combine(_root, "..", Path.GetFileName(_root) + ".sbc");
        try
        {
            using (var cache = TensorCache.OpenOrBuild(folder, cachePath, log.Add))
            {
                var readable = BadImageFiles.Readable.Count;
                Assert.Equal(2 * readable, cache.Count);
                Assert.Equal(BadImageFiles.Unreadable.Count, cache.SkippedCount);
                using var batch = cache.ReadBatch([.. Enumerable.Range(0, cache.Count)]);
                Assert.Equal([2L * readable, 3, 96, 96], batch.Images.shape);
                Assert.Equal(Enumerable.Repeat(0L, readable).Concat(Enumerable.Repeat(1L, readable)), batch.LabelArray());
            }

            foreach (var name in BadImageFiles.Unreadable)
                Assert.Single(log, line => line.Contains(Path.Combine(_root, "cats", name)));
            Assert.Contains(log, line => line.Contains($"{BadImageFiles.Unreadable.Count} of {folder.Count} files could not be read"));
            Assert.Equal(BadImageFiles.Unreadable.Count, folder.SkippedCount);

            // Reused later (same files): the count comes back from the file, and the reuse line says it.
            log.Clear();
            using var again = TensorCache.OpenOrBuild(folder, cachePath, log.Add);
            Assert.Equal(BadImageFiles.Unreadable.Count, again.SkippedCount);
            Assert.Contains($"{BadImageFiles.Unreadable.Count} unreadable files left out", Assert.Single(log));
        }
        finally
        {
            File.Delete(cachePath);
        }
    }

    [Fact]
    public void Cache_WithoutSkippedFiles_CountsZero()
    {
        BadImageFiles.WriteReadable(_root);
        using var folder = ImageFolderDataset.Unlabeled(_root);
        var cachePath = Path.Combine(_root, "..", Path.GetFileName(_root) + ".sbc");
        try
        {
            using var cache = TensorCache.OpenOrBuild(folder, cachePath);
            Assert.Equal(0, cache.SkippedCount);
        }
        finally
        {
            File.Delete(cachePath);
        }
    }

    [Theory]
    [InlineData(true, "--split train")]
    [InlineData(false, "--split unlabeled")]
    public void MissingFolder_NamesThePath_AndTheDataScriptsCommands(bool labeled, string split)
    {
        var missing = Path.Combine(_root, "my-images");

        var e = Assert.Throws<DirectoryNotFoundException>(() => labeled ? ImageFolderDataset.Labeled(missing) : ImageFolderDataset.Unlabeled(missing));

        Assert.Contains($"'{missing}'", e.Message);
        Assert.Contains($"dotnet run --file data-scripts/image-folder.cs -- --root {missing}", e.Message);
        Assert.Contains($"dotnet run --file data-scripts/synthetic-folder.cs -- --out {missing} {split}", e.Message);
    }
}
