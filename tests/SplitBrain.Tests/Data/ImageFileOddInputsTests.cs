using SplitBrain.Data;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Data;

/// <summary>
/// <see cref="ImageFile.Load(string, int)"/> on the odd files of <see cref="BadImageFiles"/>: CMYK, 16 bits, far smaller
/// or larger than the working size all come out as 8-bit sRGB at that size; the broken ones raise
/// <see cref="InvalidDataException"/> naming the file.
/// </summary>
public sealed class ImageFileOddInputsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("splitbrain-odd-images-").FullName;

    public ImageFileOddInputsTests() => BadImageFiles.WriteAll(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> ReadableNames => [.. BadImageFiles.Readable.Keys];

    public static TheoryData<string> UnreadableNames => [.. BadImageFiles.Unreadable];

    [Theory]
    [MemberData(nameof(ReadableNames))]
    public void Load_OddButValidFile_Gives96x96Rgb_WithItsColor(string name)
    {
        using var image = ImageFile.Load(Path.Combine(_folder, name), 96);

        Assert.Equal([3L, 96, 96], image.shape);
        Assert.Equal(ScalarType.Byte, image.dtype);
        var expected = BadImageFiles.Readable[name];
        var column = name == "cmyk.jpg" ? 20 : 48; // the CMYK image is red on its left, green on its right
        var pixel = Enumerable.Range(0, 3).Select(c => (int)image[c, 48, column].item<byte>()).ToArray();
        Assert.True(Math.Abs(pixel[0] - expected.R) <= 6 && Math.Abs(pixel[1] - expected.G) <= 6 && Math.Abs(pixel[2] - expected.B) <= 6,
            $"{name}: expected about ({expected.R}, {expected.G}, {expected.B}), got ({string.Join(", ", pixel)})");
    }

    [Fact]
    public void Load_CmykJpeg_RightHalfIsGreen()
    {
        using var image = ImageFile.Load(Path.Combine(_folder, "cmyk.jpg"));

        Assert.Equal([3L, 8, 16], image.shape);
        var green = Enumerable.Range(0, 3).Select(c => (int)image[c, 4, 13].item<byte>()).ToArray();
        Assert.True(green[0] <= 6 && green[1] >= 249 && green[2] <= 6, $"expected green, got ({string.Join(", ", green)})");
    }

    [Theory]
    [MemberData(nameof(UnreadableNames))]
    public void Load_BrokenFile_ThrowsInvalidDataNamingIt(string name)
    {
        var path = Path.Combine(_folder, name);

        var e = Assert.Throws<InvalidDataException>(() => ImageFile.Load(path, 96));

        Assert.Contains(path, e.Message);
        Assert.Contains("Remove or replace the file", e.Message);
    }
}
