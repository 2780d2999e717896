using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SplitBrain.Data;
using TorchSharp;
using static SplitBrain.Tests.Color.ColorTestTensors;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Data;

/// <summary>
/// Every file these tests read is written by the test itself with ImageSharp, into a temporary folder that
/// is deleted afterwards (xunit makes one instance, so one folder, per test).
/// </summary>
public sealed class ImageFileTests : IDisposable
{
    // JPEG is lossy: flat colors in 8x8 blocks decode to within a few levels at high quality.
    private const int JpegTolerance = 4;

    private static readonly Rgb24 Red = new(255, 0, 0);
    private static readonly Rgb24 Green = new(0, 255, 0);
    private static readonly Rgb24 Blue = new(0, 0, 255);

    private readonly string _folder = Directory.CreateTempSubdirectory("splitbrain-imagefile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Load_RgbPng_ReturnsExactPixelsChannelsFirst()
    {
        var path = Write("rgb.png", Gradient(4, 3), new PngEncoder());

        using var image = ImageFile.Load(path);

        Assert.Equal(ScalarType.Byte, image.dtype);
        Assert.Equal([3L, 3, 4], image.shape);
        using var expected = GradientTensor(4, 3);
        Assert.True(Same(expected, image));
    }

    [Fact]
    public void Load_Bmp_ReturnsExactPixels()
    {
        var path = Write("rgb.bmp", Gradient(5, 2), new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 });

        using var image = ImageFile.Load(path);

        using var expected = GradientTensor(5, 2);
        Assert.True(Same(expected, image));
    }

    [Fact]
    public void LoadInto_SemiTransparentImageResized_GivesTheBytesOfLoad()
    {
        using var source = new Image<Rgba32>(23, 17);
        for (var y = 0; y < 17; y++)
            for (var x = 0; x < 23; x++)
                source[x, y] = new Rgba32((byte)(x * 11), (byte)(y * 15), (byte)(x * y), (byte)((x + y) * 6));
        var path = Write("alpha.png", source, new PngEncoder());
        var bytes = new byte[3 * 12 * 12];

        ImageFile.LoadInto(path, 12, bytes);

        using var expected = ImageFile.Load(path, 12);
        Assert.Equal(expected.data<byte>().ToArray(), bytes);
    }

    [Fact]
    public void Load_GrayscaleL8Png_RepeatsLuminanceInThreeChannels()
    {
        using var gray = new Image<L8>(2, 1);
        gray[0, 0] = new L8(17);
        gray[1, 0] = new L8(200);
        var path = Write("gray.png", gray, new PngEncoder { ColorType = PngColorType.Grayscale });

        using var image = ImageFile.Load(path);

        Assert.Equal(new byte[] { 17, 200, 17, 200, 17, 200 }, image.data<byte>().ToArray());
    }

    [Fact]
    public void Load_PalettePng_ExpandsToRgb()
    {
        using var source = new Image<Rgb24>(2, 2);
        (source[0, 0], source[1, 0], source[0, 1], source[1, 1]) = (Red, Green, Blue, new Rgb24(255, 255, 0));
        var path = Write("palette.png", source, new PngEncoder { ColorType = PngColorType.Palette });

        using var image = ImageFile.Load(path);

        // [R row0, R row1, G row0, G row1, B row0, B row1] in channel, row, column order.
        Assert.Equal(new byte[] { 255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 0 }, image.data<byte>().ToArray());
    }

    [Fact]
    public void Load_AnimatedGif_ReturnsTheFirstFrame()
    {
        using var gif = new Image<Rgb24>(4, 4, Red);
        using var second = new Image<Rgb24>(4, 4, Blue);
        gif.Frames.AddFrame(second.Frames.RootFrame);
        var path = Write("animated.gif", gif, new GifEncoder());

        using var image = ImageFile.Load(path);

        Assert.Equal([3L, 4, 4], image.shape);
        using var expected = Filled(Red, 4, 4);
        Assert.True(Same(expected, image));
    }

    [Fact]
    public void Load_RgbaPng_CompositesOverWhite()
    {
        using var rgba = new Image<Rgba32>(4, 1);
        rgba[0, 0] = new Rgba32(255, 0, 0, 128); // half-transparent red -> pink
        rgba[1, 0] = new Rgba32(0, 0, 0, 0); // fully transparent black -> white, not black
        rgba[2, 0] = new Rgba32(10, 20, 30, 255); // opaque -> unchanged
        rgba[3, 0] = new Rgba32(0, 0, 255, 64); // mostly transparent blue
        var path = Write("alpha.png", rgba, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });

        using var image = ImageFile.Load(path);

        // round((c * a + 255 * (255 - a)) / 255) per channel; rows R, G, B.
        Assert.Equal(
            new byte[] { 255, 255, 10, 191, 127, 255, 20, 191, 127, 255, 30, 255 },
            image.data<byte>().ToArray());
    }

    [Fact]
    public void Load_Rgb48Png_RoundsSixteenBitsToEight()
    {
        using var deep = new Image<Rgb48>(2, 1);
        deep[0, 0] = new Rgb48(65535, 0, 257 * 100);
        deep[1, 0] = new Rgb48(32896, 257 * 7, 65535);
        var path = Write("deep.png", deep, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb });

        using var image = ImageFile.Load(path);

        Assert.Equal(new byte[] { 255, 128, 0, 7, 100, 255 }, image.data<byte>().ToArray());
    }

    [Fact]
    public void Load_Jpeg_ReturnsColorsWithinJpegTolerance()
    {
        using var source = new Image<Rgb24>(16, 16, new Rgb24(200, 120, 40));
        var path = Write("flat.jpg", source, new JpegEncoder { Quality = 100 });

        using var image = ImageFile.Load(path);
        using var expected = Filled(new Rgb24(200, 120, 40), 16, 16);

        Assert.Equal([3L, 16, 16], image.shape);
        Assert.True(MaxByteDifference(expected, image) <= JpegTolerance);
    }

    [Fact]
    public void Load_JpegWithExifOrientation_ReturnsTheUprightImage()
    {
        // Stored 16 wide x 8 tall, left half red, right half blue; orientation 6 means "rotate 90° clockwise
        // to display", which puts the left half on top.
        using var source = new Image<Rgb24>(16, 8, Blue);
        for (var x = 0; x < 8; x++)
        {
            for (var y = 0; y < 8; y++)
            {
                source[x, y] = Red;
            }
        }

        source.Metadata.ExifProfile = new ExifProfile();
        source.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        var path = Write("rotated.jpg", source, new JpegEncoder { Quality = 100 });

        using var scope = NewDisposeScope();
        var image = ImageFile.Load(path);

        Assert.Equal([3L, 16, 8], image.shape);
        Assert.True(image[0, 4, 4].item<byte>() > 250 && image[2, 4, 4].item<byte>() < 5, "top should be red");
        Assert.True(image[0, 12, 4].item<byte>() < 5 && image[2, 12, 4].item<byte>() > 250, "bottom should be blue");
    }

    [Theory]
    [InlineData(60, 20)]
    [InlineData(20, 60)]
    public void Load_WithSize_ResizesShorterSideAndKeepsTheCentre(int width, int height)
    {
        // Three equal stripes along the longer side: red, green, blue. The centre crop of the resized image
        // is the green stripe, scaled to 10 x 10 (edge pixels may blend with the neighbours).
        using var source = new Image<Rgb24>(width, height);
        for (var x = 0; x < width; x++)
        {
            for (var y = 0; y < height; y++)
            {
                var along = width > height ? x : y;
                source[x, y] = along < 20 ? Red : along < 40 ? Green : Blue;
            }
        }

        var path = Write("stripes.png", source, new PngEncoder());

        using var image = ImageFile.Load(path, 10);

        Assert.Equal([3L, 10, 10], image.shape);
        using var inner = image[.., 2..8, 2..8];
        using var green = Filled(Green, 6, 6);
        Assert.True(MaxByteDifference(green, inner) <= 2);
    }

    [Fact]
    public void LoadBatch_ThreeFiles_StacksResizedImagesInOrder()
    {
        string[] paths =
        [
            Write("a.png", Gradient(30, 20), new PngEncoder()),
            Write("b.bmp", new Image<Rgb24>(8, 8, Blue), new BmpEncoder()),
            Write("c.png", new Image<Rgb24>(5, 12, Red), new PngEncoder()),
        ];

        using var batch = ImageFile.LoadBatch(paths, 8);

        Assert.Equal([3L, 3, 8, 8], batch.shape);
        Assert.Equal(ScalarType.Byte, batch.dtype);
        for (var i = 0; i < paths.Length; i++)
        {
            using var single = ImageFile.Load(paths[i], 8);
            using var row = batch[i];
            Assert.True(Same(single, row), $"image {i}");
        }
    }

    [Fact]
    public void LoadBatch_EmptyListOrBadSize_Throws()
    {
        var empty = Assert.Throws<ArgumentException>(() => ImageFile.LoadBatch([], 8));
        var size = Assert.Throws<ArgumentOutOfRangeException>(() => ImageFile.LoadBatch(["x.png"], 0));

        Assert.Equal("paths", empty.ParamName);
        Assert.Equal("size", size.ParamName);
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFoundNamingThePath()
    {
        var path = Path.Combine(_folder, "missing.png");

        var e = Assert.Throws<FileNotFoundException>(() => ImageFile.Load(path));

        Assert.Equal(path, e.FileName);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void LoadBatch_OneMissingFile_NamesThatFile()
    {
        var good = Write("good.png", Gradient(4, 4), new PngEncoder());
        var missing = Path.Combine(_folder, "gone.jpg");

        var e = Assert.Throws<FileNotFoundException>(() => ImageFile.LoadBatch([good, missing], 4));

        Assert.Equal(missing, e.FileName);
    }

    [Fact]
    public void Load_TextFileRenamedPng_ThrowsInvalidDataWithPathAndAdvice()
    {
        var path = Path.Combine(_folder, "notes.png");
        File.WriteAllText(path, "This is not an image, just some text that ended up in the image folder.\n");

        var e = Assert.Throws<InvalidDataException>(() => ImageFile.Load(path));

        AssertUnreadableMessage(e, path);
    }

    [Fact]
    public void Load_ZeroByteFile_ThrowsInvalidDataSayingEmpty()
    {
        var path = Path.Combine(_folder, "empty.jpg");
        File.WriteAllBytes(path, []);

        var e = Assert.Throws<InvalidDataException>(() => ImageFile.Load(path));

        AssertUnreadableMessage(e, path);
        Assert.Contains("empty (0 bytes)", e.Message);
    }

    [Fact]
    public void Load_TruncatedPng_ThrowsInvalidData()
    {
        var whole = File.ReadAllBytes(Write("whole.png", Noise(64, 64), new PngEncoder()));
        var path = Path.Combine(_folder, "truncated.png");
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);

        var e = Assert.Throws<InvalidDataException>(() => ImageFile.Load(path));

        AssertUnreadableMessage(e, path);
    }

    [Fact]
    public void Load_PngWithCorruptHeader_ThrowsInvalidData()
    {
        var bytes = File.ReadAllBytes(Write("whole.png", Noise(8, 8), new PngEncoder()));
        bytes[20] ^= 0xFF; // inside IHDR (width/height), so its CRC no longer matches
        var path = Path.Combine(_folder, "corrupt.png");
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => ImageFile.Load(path));

        AssertUnreadableMessage(e, path);
    }

    [Fact]
    public void Load_BmpOfZeroByZeroPixels_ThrowsInvalidData()
    {
        var path = Path.Combine(_folder, "zero.bmp");
        File.WriteAllBytes(path, ZeroSizeBmp());

        var e = Assert.Throws<InvalidDataException>(() => ImageFile.Load(path));

        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Decode_SpanAndArray_EqualLoad()
    {
        var path = Write("rgb.png", Gradient(6, 5), new PngEncoder());
        var bytes = File.ReadAllBytes(path);

        using var fromFile = ImageFile.Load(path);
        using var fromArray = ImageFile.Decode(bytes);
        using var fromSpan = ImageFile.Decode(new ReadOnlySpan<byte>(bytes));

        Assert.True(Same(fromFile, fromArray));
        Assert.True(Same(fromFile, fromSpan));
    }

    [Fact]
    public void Decode_GarbageOrEmptyBytes_ThrowsInvalidData()
    {
        var garbage = Assert.Throws<InvalidDataException>(() => ImageFile.Decode("hello"u8));
        var empty = Assert.Throws<InvalidDataException>(() => ImageFile.Decode(Array.Empty<byte>()));

        Assert.Contains("The given data is not a readable image (PNG, JPEG, BMP, GIF)", garbage.Message);
        Assert.Contains("empty", empty.Message);
    }

    [Theory]
    [InlineData("out.png")]
    [InlineData("out.BMP")]
    public void Save_LosslessFormats_RoundTripExactly(string name)
    {
        using var image = GradientTensor(7, 5);
        var path = Path.Combine(_folder, name);

        ImageFile.Save(image, path);
        using var loaded = ImageFile.Load(path);

        Assert.True(Same(image, loaded));
    }

    [Theory]
    [InlineData("out.jpg")]
    [InlineData("out.jpeg")]
    public void Save_Jpeg_RoundTripsWithinJpegTolerance(string name)
    {
        using var image = Filled(new Rgb24(30, 160, 220), 16, 16);
        var path = Path.Combine(_folder, name);

        ImageFile.Save(image, path);
        using var loaded = ImageFile.Load(path);

        Assert.True(MaxByteDifference(image, loaded) <= JpegTolerance);
    }

    [Fact]
    public void Save_FloatImage_ClipsScalesAndRounds()
    {
        using var image = tensor(new float[] { -0.2f, 0.5f, 1.3f, 0.1f, 0.2f, 0.99f }, [3, 1, 2]);
        var path = Path.Combine(_folder, "float.png");

        ImageFile.Save(image, path);
        using var loaded = ImageFile.Load(path);

        // Clipped to 0..1, times 255, rounded half to even: 127.5 -> 128, 25.5 (0.1f * 255) -> 26, 252.45 -> 252.
        Assert.Equal(new byte[] { 0, 128, 255, 26, 51, 252 }, loaded.data<byte>().ToArray());
    }

    [Fact]
    public void Save_ExistingFile_IsReplacedAndNoTemporaryFileRemains()
    {
        var path = Path.Combine(_folder, "sub", "folder", "image.png");
        using var first = Filled(Red, 4, 4);
        using var second = Filled(Blue, 4, 4);

        ImageFile.Save(first, path);
        ImageFile.Save(second, path);
        using var loaded = ImageFile.Load(path);

        Assert.True(Same(second, loaded));
        Assert.Equal(["image.png"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void Save_WhenTheMoveFails_LeavesNoTemporaryFile()
    {
        // A folder where the file should go makes the final move fail after the image was encoded.
        var path = Path.Combine(_folder, "taken.png");
        Directory.CreateDirectory(path);
        using var image = Filled(Green, 2, 2);

        Assert.ThrowsAny<IOException>(() => ImageFile.Save(image, path));

        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Save_UnknownExtension_ThrowsAndWritesNothing()
    {
        using var image = Filled(Green, 2, 2);

        var e = Assert.Throws<ArgumentException>(() => ImageFile.Save(image, Path.Combine(_folder, "out.tiff")));

        Assert.Equal("path", e.ParamName);
        Assert.Contains(".tiff", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Theory]
    [InlineData(new long[] { 1, 3, 4, 4 })]
    [InlineData(new long[] { 4, 4, 3 })]
    [InlineData(new long[] { 3, 0, 4 })]
    public void Save_WrongShape_ThrowsNamingTheShape(long[] shape)
    {
        using var image = zeros(shape, ScalarType.Byte);

        var e = Assert.Throws<ArgumentException>(() => ImageFile.Save(image, Path.Combine(_folder, "x.png")));

        Assert.Equal("image", e.ParamName);
        Assert.Contains("[" + string.Join(", ", shape) + "]", e.Message);
        Assert.Contains("[3, H, W]", e.Message);
    }

    [Fact]
    public void EncodePng_IntegerDtype_ThrowsNamingTheDtype()
    {
        using var image = zeros([3, 2, 2], ScalarType.Int32);

        var e = Assert.Throws<ArgumentException>(() => ImageFile.EncodePng(image));

        Assert.Equal("image", e.ParamName);
        Assert.Contains("Int32", e.Message);
    }

    [Fact]
    public void EncodePng_DecodesBackToTheSamePixels()
    {
        using var image = GradientTensor(9, 4);

        var png = ImageFile.EncodePng(image);
        using var decoded = ImageFile.Decode(png);

        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.True(Same(image, decoded));
    }

    [Fact]
    public void LoadDecodeSaveEncode_LeaveNoLiveTensors()
    {
        var path = Write("rgba.png", new Image<Rgba32>(6, 4, new Rgba32(1, 2, 3, 100)), new PngEncoder());
        var before = LiveTensors;

        using (var image = ImageFile.Load(path))
        using (var square = ImageFile.Load(path, 3))
        using (var batch = ImageFile.LoadBatch([path, path], 3))
        using (var decoded = ImageFile.Decode(ImageFile.EncodePng(image)))
        {
            ImageFile.Save(decoded, Path.Combine(_folder, "copy.png"));
            Assert.Equal(before + 4, LiveTensors);
        }

        Assert.Equal(before, LiveTensors);
    }

    private string Write<TPixel>(string name, Image<TPixel> image, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var path = Path.Combine(_folder, name);
        image.Save(path, encoder);
        return path;
    }

    // Pixel (x, y) = (20x + y, 3y, 255 - x): distinct values in every channel.
    private static Image<Rgb24> Gradient(int width, int height)
    {
        var image = new Image<Rgb24>(width, height);
        for (var x = 0; x < width; x++)
        {
            for (var y = 0; y < height; y++)
            {
                image[x, y] = new Rgb24((byte)(20 * x + y), (byte)(3 * y), (byte)(255 - x));
            }
        }

        return image;
    }

    private static Tensor GradientTensor(int width, int height)
    {
        using var scope = NewDisposeScope();
        var x = arange(width).reshape(1, width).expand(height, width);
        var y = arange(height).reshape(height, 1).expand(height, width);
        return stack([20 * x + y, 3 * y, 255 - x]).to_type(ScalarType.Byte).MoveToOuterDisposeScope();
    }

    private static Image<Rgb24> Noise(int width, int height)
    {
        var random = new Random(42);
        var bytes = new byte[width * height * 3];
        random.NextBytes(bytes);
        return Image.LoadPixelData<Rgb24>(bytes, width, height);
    }

    private static Tensor Filled(Rgb24 color, int height, int width)
    {
        using var scope = NewDisposeScope();
        var rgb = tensor(new[] { color.R, color.G, color.B }, [3, 1, 1]);
        return rgb.expand(3, height, width).contiguous().MoveToOuterDisposeScope();
    }

    private static int MaxByteDifference(Tensor expected, Tensor actual)
    {
        using var scope = NewDisposeScope();
        Assert.Equal(expected.shape, actual.shape);
        return (expected.to_type(ScalarType.Int32) - actual.to_type(ScalarType.Int32)).abs().max().item<int>();
    }

    private static void AssertUnreadableMessage(InvalidDataException e, string path)
    {
        Assert.Contains($"'{path}'", e.Message);
        Assert.Contains("not a readable image (PNG, JPEG, BMP, GIF)", e.Message);
        Assert.Contains("Remove or replace the file", e.Message);
    }

    // A BMP whose header declares 0 x 0 pixels (BITMAPFILEHEADER + BITMAPINFOHEADER, 24 bits, no data).
    private static byte[] ZeroSizeBmp()
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write((byte)'B');
        writer.Write((byte)'M');
        writer.Write(54u); // file size
        writer.Write(0u); // reserved
        writer.Write(54u); // offset of the pixel data
        writer.Write(40u); // BITMAPINFOHEADER size
        writer.Write(0); // width
        writer.Write(0); // height
        writer.Write((ushort)1); // planes
        writer.Write((ushort)24); // bits per pixel
        writer.Write(0u); // no compression
        writer.Write(0u); // image size
        writer.Write(2835); // pixels per metre, x
        writer.Write(2835); // pixels per metre, y
        writer.Write(0u); // palette colors used
        writer.Write(0u); // important colors
        writer.Flush();
        return stream.ToArray();
    }
}
