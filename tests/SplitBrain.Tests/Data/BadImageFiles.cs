using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace SplitBrain.Tests.Data;

/// <summary>
/// The odd and broken image files course users meet, written into a folder by the tests that need them: files that decode
/// (a CMYK JPEG, a 16-bit PNG, images far smaller and far larger than 96 x 96) and files that cannot (corrupt, truncated,
/// empty, not an image at all).
/// </summary>
internal static class BadImageFiles
{
    /// <summary>
    /// A 16 x 8 CMYK JPEG (Adobe, as Photoshop and print workflows write them): left half pure red (C 0 M 255 Y 255 K 0),
    /// right half pure green (C 255 M 0 Y 255 K 0). Made with Pillow 9.4 (<c>Image.new("CMYK", (16, 8))</c>, quality 95),
    /// since ImageSharp 2.1 cannot write CMYK.
    /// </summary>
    public static readonly byte[] CmykJpeg = Convert.FromBase64String(
        "/9j/7gAOQWRvYmUAZAAAAAAA/9sAQwACAQEBAQECAQEBAgICAgIEAwICAgIFBAQDBAYFBgYGBQYGBgcJCAYHCQcGBggLCAkKCgoKCgYICwwLCgwJCgoK/8AAFAgACAAQBEMRAE0RAFkRAEsRAP/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/aAA4EQwBNAFkASwAAPwD9/K/n/r+f+v38r+AOv7/KKK//2Q==");

    /// <summary>The readable odd files: name -> their color (for the CMYK image, of its left half).</summary>
    public static IReadOnlyDictionary<string, Rgb24> Readable { get; } = new Dictionary<string, Rgb24>
    {
        ["cmyk.jpg"] = new(255, 0, 0),
        ["deep-16bit.png"] = new(30, 60, 90),
        ["tiny-3x2.png"] = new(200, 100, 50),
        ["huge-1600x1200.png"] = new(10, 120, 240),
    };

    /// <summary>The unreadable files' names.</summary>
    public static IReadOnlyList<string> Unreadable { get; } = ["corrupt.png", "truncated.png", "empty.png", "notes-renamed.jpg"];

    /// <summary>Writes every file of <see cref="Readable"/> and <see cref="Unreadable"/> into <paramref name="folder"/>.</summary>
    public static void WriteAll(string folder)
    {
        WriteReadable(folder);
        WriteUnreadable(folder);
    }

    /// <summary>Writes the files of <see cref="Readable"/> into <paramref name="folder"/>.</summary>
    public static void WriteReadable(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "cmyk.jpg"), CmykJpeg);
        using (var deep = new Image<Rgb48>(40, 40, new Rgb48(30 * 257, 60 * 257, 90 * 257)))
            deep.Save(Path.Combine(folder, "deep-16bit.png"), new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb });
        using (var tiny = new Image<Rgb24>(3, 2, new Rgb24(200, 100, 50)))
            tiny.Save(Path.Combine(folder, "tiny-3x2.png"), new PngEncoder());
        using (var huge = new Image<Rgb24>(1600, 1200, new Rgb24(10, 120, 240)))
            huge.Save(Path.Combine(folder, "huge-1600x1200.png"), new PngEncoder());
    }

    /// <summary>Writes the files of <see cref="Unreadable"/> into <paramref name="folder"/>.</summary>
    public static void WriteUnreadable(string folder)
    {
        Directory.CreateDirectory(folder);
        using var valid = new MemoryStream();
        using (var image = new Image<Rgb24>(64, 64, new Rgb24(1, 2, 3)))
            image.Save(valid, new PngEncoder());
        var png = valid.ToArray();
        var corrupt = (byte[])png.Clone();
        Array.Fill<byte>(corrupt, 0x5A, 16, corrupt.Length - 16); // the signature and IHDR's start, then noise
        File.WriteAllBytes(Path.Combine(folder, "corrupt.png"), corrupt);
        File.WriteAllBytes(Path.Combine(folder, "truncated.png"), png[..(png.Length / 2)]);
        File.WriteAllBytes(Path.Combine(folder, "empty.png"), []);
        File.WriteAllText(Path.Combine(folder, "notes-renamed.jpg"), "these are my notes, not a photo\n");
    }
}
