using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Tests.Support;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Evaluation;

public sealed class ProbeDataFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("splitbrain-probe-data-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // count solid images of one grey level in <root>/<split>/<class>/, of the given size (width x height).
    private void Write(string split, string className, int count, int width = 24, int height = 24, byte level = 128)
    {
        for (var i = 0; i < count; i++)
        {
            using var image = full([3, height, width], level, ScalarType.Byte);
            ImageFile.Save(image, Path.Combine(_root, split, className, $"{i}.png"));
        }
    }

    private InvalidDataException Refused() => Assert.Throws<InvalidDataException>(() => ProbeDataFolder.Open(_root, 32));

    [Fact]
    public void Open_TwoSplits_ClassesCountsAndAnySizeResized()
    {
        Write("train", "cat", 3, width: 40, height: 30, level: 50);
        Write("train", "dog", 2);
        Write("test", "cat", 1);
        Write("test", "dog", 2, width: 16, height: 16);

        using var data = ProbeDataFolder.Open(_root, 32);

        Assert.Equal(["cat", "dog"], data.Classes);
        Assert.Equal([3, 2], data.TrainPerClass);
        Assert.Equal([1, 2], data.TestPerClass);
        Assert.Equal((5, 3, 32), (data.Train.Count, data.Test.Count, data.ImageSize));
        using var batch = data.Train.ReadBatch([0, 4]);
        Assert.Equal([2L, 3, 32, 32], batch.Images.shape);                    // a 40 x 30 image is resized and cropped
        Assert.Equal([0L, 1], TestTensors.ReadLong(batch.Labels));
        Assert.Equal(50, batch.Images[0].to_type(ScalarType.Float32).mean().item<float>(), 1.0); // a solid image stays solid
        Assert.Equal("2 classes (cat, dog); train 5 images (2 to 3 per class), test 3 images (1 to 2 per class), at 32 x 32", data.ToString());
    }

    [Fact]
    public void Cached_SameImagesAndLabels_FromOneFilePerSplit()
    {
        Write("train", "a", 2, level: 10);
        Write("train", "b", 2, level: 200);
        Write("test", "a", 1, level: 10);
        Write("test", "b", 1, level: 200);
        var caches = Path.Combine(_root, "caches");
        var lines = new List<string>();

        using var files = ProbeDataFolder.Open(Path.Combine(_root), 32);
        using var cached = files.Cached(caches, lines.Add, TestContext.Current.CancellationToken);

        Assert.IsType<TensorCache>(cached.Train);
        Assert.Equal((4, 2), (cached.Train.Count, cached.Test.Count));
        Assert.Equal(files.Classes, cached.Test.Classes);
        Assert.Equal(2, Directory.GetFiles(caches, "*.cache").Length);
        using var fromFiles = files.Test.ReadBatch([0, 1]);
        using var fromCache = cached.Test.ReadBatch([0, 1]);
        Assert.True(fromFiles.Images.equal(fromCache.Images).all().item<bool>());
        Assert.Equal(TestTensors.ReadLong(fromFiles.Labels), TestTensors.ReadLong(fromCache.Labels));
    }

    [Fact]
    public void Open_MissingFolder_SaysWhatToMake()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => ProbeDataFolder.Open(Path.Combine(_root, "nowhere")));
        Assert.Contains("does not exist", error.Message);
        Assert.Contains("train/<class>/<image>.png and test/<class>/<image>.png", error.Message);
    }

    [Fact]
    public void Open_NoTestFolder_Refused()
    {
        Write("train", "a", 1);
        Write("train", "b", 1);

        Assert.Contains("has no test/ folder", Assert.Throws<DirectoryNotFoundException>(() => ProbeDataFolder.Open(_root)).Message);
    }

    [Fact]
    public void Open_NoClassFolders_Refused()
    {
        Directory.CreateDirectory(Path.Combine(_root, "train"));
        Directory.CreateDirectory(Path.Combine(_root, "test"));

        Assert.Contains("has no class folders with images", Refused().Message);
    }

    [Fact]
    public void Open_ClassFolderWithoutImages_RefusedByName()
    {
        Write("train", "a", 1);
        Write("train", "b", 1);
        Write("test", "a", 1);
        Write("test", "b", 1);
        Directory.CreateDirectory(Path.Combine(_root, "test", "c"));
        File.WriteAllText(Path.Combine(_root, "test", "c", "notes.txt"), "not an image");

        var message = Refused().Message;

        Assert.Contains("'c'", message);
        Assert.Contains("holds no images", message);
    }

    [Fact]
    public void Open_ClassesDiffer_NamesTheDifferences()
    {
        Write("train", "a", 1);
        Write("train", "b", 1);
        Write("test", "a", 1);
        Write("test", "c", 1);

        var message = Refused().Message;

        Assert.Contains("only train/ has b; only test/ has c", message);
    }

    [Fact]
    public void Open_OneClass_Refused()
    {
        Write("train", "a", 1);
        Write("test", "a", 1);

        Assert.Contains("at least two class folders", Refused().Message);
    }
}
