using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SplitBrain.Data;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Data;

public sealed class ImageFolderDatasetTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("splitbrain-folder-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Labeled_ClassesAreSortedFolderNames_LabelsFollowFolders()
    {
        WriteColor("zebra/1.png", 200, 10, 10);
        WriteColor("apple/b.jpg", 10, 200, 10);
        WriteColor("apple/a.png", 10, 10, 200);
        WriteColor("apple/sub/c.bmp", 50, 60, 70);
        File.WriteAllText(Path.Combine(_root, "apple", "notes.txt"), "not an image");
        WriteColor("stray.png", 1, 2, 3);

        using var data = ImageFolderDataset.Labeled(_root, imageSize: 16);
        using var batch = data.ReadBatch([.. Enumerable.Range(0, data.Count)]);

        Assert.Equal(["apple", "zebra"], data.Classes);
        Assert.Equal(4, data.Count);
        Assert.Equal([0L, 0, 0, 1], batch.LabelArray());
        Assert.Equal([4L, 3, 16, 16], batch.Images.shape);
        Assert.EndsWith(Path.Combine("apple", "a.png"), data.Files[0]);       // ordinal order of relative paths
        Assert.Equal(200, batch.Images.data<byte>()[0, 2, 5, 5]);              // a.png is blue
        Assert.Equal(2, data.IgnoredFiles.Count);                               // notes.txt and the stray root image
    }

    [Fact]
    public void ReadBatch_GrayscaleAndCorruptFiles_GrayJustWorksCorruptIsSkippedAndLogged()
    {
        WriteColor("cats/1.png", 100, 150, 200);
        WriteGray("cats/2.png", 77);
        WriteColor("dogs/3.png", 9, 8, 7);
        File.WriteAllBytes(Path.Combine(_root, "dogs", "broken.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3, 4, 5]);
        var log = new List<string>();

        using var data = ImageFolderDataset.Labeled(_root, imageSize: 8, log: log.Add);
        using var batch = data.ReadBatch([0, 1, 2, 3]);

        Assert.Equal([0, 1, 2], batch.Indices);                                  // broken.png (item 3) left out
        Assert.Equal([0L, 0, 1], batch.LabelArray());
        Assert.Equal([77, 77, 77], Enumerable.Range(0, 3).Select(c => (int)batch.Images.data<byte>()[1, c, 4, 4]));
        Assert.Equal(1, data.SkippedCount);
        Assert.Equal([Path.Combine(_root, "dogs", "broken.png")], data.SkippedFiles);
        var line = Assert.Single(log);
        Assert.Contains("broken.png", line);

        using var again = data.ReadBatch([3, 2]);                                // known bad: not retried, not logged again
        Assert.Equal([2], again.Indices);
        Assert.Single(log);
    }

    [Fact]
    public void ReadBatch_OnlyCorruptFiles_GivesAnEmptyBatch()
    {
        WriteColor("a/ok.png", 1, 1, 1);
        File.WriteAllBytes(Path.Combine(_root, "a", "bad.png"), [1, 2, 3]);
        using var data = ImageFolderDataset.Labeled(_root, imageSize: 8);
        using var batch = data.ReadBatch([0]);                                   // bad.png sorts first
        Assert.Equal(0, batch.Count);
        Assert.Equal([0L, 3, 8, 8], batch.Images.shape);
    }

    [Fact]
    public void Unlabeled_ReadsImagesAtAnyDepthWithoutLabels()
    {
        WriteColor("x/y/z/deep.png", 1, 2, 3);
        WriteColor("top.jpeg", 4, 5, 6);
        WriteColor(".hidden/skip.png", 7, 8, 9);

        using var data = ImageFolderDataset.Unlabeled(_root, imageSize: 12);
        using var batch = data.ReadBatch([0, 1]);

        Assert.Equal(2, data.Count);
        Assert.False(data.HasLabels);
        Assert.Empty(data.Classes);
        Assert.Equal([-1L, -1], batch.LabelArray());
        Assert.Equal([2L, 3, 12, 12], batch.Images.shape);
    }

    [Fact]
    public void Labeled_MissingRoot_ThrowsNamingPathAndTheScript()
    {
        var missing = Path.Combine(_root, "imagenet", "train");
        var e = Assert.Throws<DirectoryNotFoundException>(() => ImageFolderDataset.Labeled(missing));
        Assert.Contains(missing, e.Message);
        Assert.Contains($"dotnet run --file data-scripts/image-folder.cs -- --root {missing}", e.Message);
    }

    [Fact]
    public void Labeled_NoClassFolders_ThrowsPointingToUnlabeled()
    {
        WriteColor("flat.png", 1, 2, 3);
        var e = Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Labeled(_root));
        Assert.Contains("Unlabeled", e.Message);
    }

    [Fact]
    public void Fingerprint_ChangesWhenAFileIsAddedOrModified()
    {
        WriteColor("a/1.png", 1, 2, 3);
        var first = Fingerprint();
        Assert.Equal(first, Fingerprint());
        WriteColor("a/2.png", 1, 2, 3);
        var second = Fingerprint();
        Assert.NotEqual(first, second);
        File.SetLastWriteTimeUtc(Path.Combine(_root, "a", "1.png"), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.NotEqual(second, Fingerprint());
    }

    private string Fingerprint()
    {
        using var data = ImageFolderDataset.Labeled(_root, imageSize: 8);
        return data.Fingerprint;
    }

    private void WriteColor(string relative, byte r, byte g, byte b)
    {
        using var image = new Image<Rgb24>(20, 14, new Rgb24(r, g, b));
        var path = Prepare(relative);
        image.Save(path);
    }

    private void WriteGray(string relative, byte level)
    {
        using var image = new Image<L8>(10, 10, new L8(level));
        image.Save(Prepare(relative), new PngEncoder { ColorType = PngColorType.Grayscale });
    }

    private string Prepare(string relative)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
