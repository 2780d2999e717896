using SplitBrain.Data;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Data;

public sealed class Stl10DatasetTests : IDisposable
{
    private readonly string _parent = Directory.CreateTempSubdirectory("splitbrain-stl10-").FullName;
    private readonly string _folder;

    public Stl10DatasetTests() => _folder = FakeStl10.Write(_parent);

    public void Dispose() => Directory.Delete(_parent, recursive: true);

    [Fact]
    public void ReadBatch_Train_IsUprightPixelByPixel()
    {
        using var data = Stl10Dataset.Open(_folder, DatasetSplit.Train);
        using var batch = data.ReadBatch([4, 1]);

        Assert.Equal([2L, 3, 96, 96], batch.Images.shape);
        Assert.Equal(ScalarType.Byte, batch.Images.dtype);
        var pixels = batch.Images.data<byte>();
        // (image row, n, c, y, x): corners, an off-diagonal pixel and its mirror, the last pixel.
        foreach (var (row, n, c, y, x) in new[] { (0, 4, 0, 0, 0), (0, 4, 1, 2, 5), (0, 4, 1, 5, 2), (1, 1, 2, 0, 95), (1, 1, 0, 95, 0), (1, 1, 2, 95, 95), (0, 4, 2, 40, 71) })
        {
            var got = pixels[row, c, y, x];
            Assert.True(FakeStl10.Value(1, n, c, y, x) == got, $"image {n} channel {c} row {y} column {x}: expected {FakeStl10.Value(1, n, c, y, x)}, got {got}");
        }

        Assert.NotEqual(FakeStl10.Value(1, 4, 1, 2, 5), FakeStl10.Value(1, 4, 1, 5, 2)); // the pattern is asymmetric
    }

    [Fact]
    public void ReadBytes_TransposesLikeReadBatch_WithoutAnyTensor()
    {
        using var data = Stl10Dataset.Open(_folder, DatasetSplit.Train);
        using var batch = data.ReadBatch([4, 1, 4]);
        var pixels = new byte[3 * Stl10Dataset.ImageBytes];
        var labels = new long[3];

        data.ReadBytes([4, 1, 4], pixels, labels);

        Assert.Equal(batch.Images.data<byte>().ToArray(), pixels);
        Assert.Equal(batch.LabelArray(), labels);
        Assert.Equal(FakeStl10.Value(1, 1, 2, 0, 95), pixels[Stl10Dataset.ImageBytes + 2 * 96 * 96 + 95]); // image 1, channel 2, row 0, column 95
    }

    [Fact]
    public void ReadBatch_Test_MatchesTheWholeExpectedImage()
    {
        using var data = Stl10Dataset.Open(_folder, DatasetSplit.Test);
        using var batch = data.ReadBatch([3]);
        var expected = new byte[3 * 96 * 96];
        var i = 0;
        for (var c = 0; c < 3; c++)
            for (var y = 0; y < 96; y++)
                for (var x = 0; x < 96; x++)
                    expected[i++] = FakeStl10.Value(2, 3, c, y, x);
        Assert.Equal(expected, batch.Images.data<byte>().ToArray());
    }

    [Fact]
    public void Labels_StoredOneToTen_ReadZeroToNine()
    {
        using var data = Stl10Dataset.Open(_folder, DatasetSplit.Train);
        using var batch = data.ReadBatch([0, 1, 2, 3, 4, 5]);
        var expected = Enumerable.Range(0, 6).Select(n => (long)FakeStl10.StoredLabel(1, n) - 1).ToArray();
        Assert.Equal(expected, batch.LabelArray());
        Assert.Equal(FakeStl10.ClassNames, data.Classes);
        Assert.True(data.HasLabels);
        Assert.Equal(96, data.ImageSize);
    }

    [Fact]
    public void Unlabeled_HasNoLabelsOrClasses()
    {
        using var data = Stl10Dataset.Open(_folder, DatasetSplit.Unlabeled);
        using var batch = data.ReadBatch([4, 0]);
        Assert.Equal(5, data.Count);
        Assert.False(data.HasLabels);
        Assert.Empty(data.Classes);
        Assert.Equal([-1L, -1], batch.LabelArray());
        Assert.Equal(FakeStl10.Value(3, 4, 0, 1, 2), batch.Images.data<byte>()[0, 0, 1, 2]);
    }

    [Fact]
    public void Fold_SelectsTheIndicesOfItsLine()
    {
        var folds = Stl10Dataset.ReadFolds(_folder);
        Assert.Equal(10, folds.Count);
        Assert.Equal([3, 4], folds[3]);

        using var data = Stl10Dataset.Open(_folder, DatasetSplit.Train, fold: 3);
        using var batch = data.ReadBatch([1]);
        Assert.Equal(2, data.Count);
        Assert.Equal("STL-10 train (fold 3)", data.Name);
        Assert.Equal([(long)FakeStl10.StoredLabel(1, 4) - 1], batch.LabelArray());
        Assert.Equal(FakeStl10.Value(1, 4, 0, 7, 9), batch.Images.data<byte>()[0, 0, 7, 9]);
    }

    [Fact]
    public void Open_ParentFolder_FindsStl10Binary()
    {
        using var data = Stl10Dataset.Open(_parent, DatasetSplit.Test);
        Assert.Equal(Path.GetFullPath(_folder), data.Folder);
    }

    [Fact]
    public void Open_ImageFileNotAWholeNumberOfImages_ThrowsNamingFileAndSize()
    {
        File.WriteAllBytes(Path.Combine(_folder, "train_X.bin"), new byte[2 * Stl10Dataset.ImageBytes + 5]);
        var e = Assert.Throws<InvalidDataException>(() => Stl10Dataset.Open(_folder, DatasetSplit.Train));
        Assert.Contains("train_X.bin", e.Message);
        Assert.Contains("multiple of 27648 bytes", e.Message);
        Assert.Contains("138240000", e.Message);
    }

    [Fact]
    public void Open_LabelCountMismatch_ThrowsNamingFileAndExpectedSize()
    {
        File.WriteAllBytes(Path.Combine(_folder, "test_y.bin"), [1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => Stl10Dataset.Open(_folder, DatasetSplit.Test));
        Assert.Contains("test_y.bin", e.Message);
        Assert.Contains("expected 4 bytes", e.Message);
    }

    [Fact]
    public void Open_MissingFolder_ThrowsWithTheDownloadCommand()
    {
        var missing = Path.Combine(_parent, "nowhere");
        var e = Assert.Throws<DirectoryNotFoundException>(() => Stl10Dataset.Open(missing, DatasetSplit.Train));
        Assert.Contains(missing, e.Message);
        Assert.Contains($"dotnet run --file data-scripts/stl10.cs -- --out {missing}", e.Message);
    }

    [Fact]
    public void Open_MissingFile_ThrowsNamingItWithTheDownloadCommand()
    {
        File.Delete(Path.Combine(_folder, "unlabeled_X.bin"));
        var e = Assert.Throws<FileNotFoundException>(() => Stl10Dataset.Open(_folder, DatasetSplit.Unlabeled));
        Assert.Contains(Path.Combine(_folder, "unlabeled_X.bin"), e.Message);
        Assert.Contains($"dotnet run --file data-scripts/stl10.cs -- --out {_parent}", e.Message);
    }

    [Fact]
    public void Open_FoldOfTestSplit_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Stl10Dataset.Open(_folder, DatasetSplit.Test, fold: 1));
        Assert.Equal("fold", e.ParamName);
    }

    [Fact]
    public void Fingerprint_ChangesWhenAFileChanges()
    {
        string before;
        using (var data = Stl10Dataset.Open(_folder, DatasetSplit.Test))
            before = data.Fingerprint;
        File.WriteAllBytes(Path.Combine(_folder, "test_X.bin"), FakeStl10.Images(9, 5));
        File.WriteAllBytes(Path.Combine(_folder, "test_y.bin"), FakeStl10.Labels(9, 5));
        using var changed = Stl10Dataset.Open(_folder, DatasetSplit.Test);
        Assert.NotEqual(before, changed.Fingerprint);
    }
}
