using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Data;

/// <summary>
/// Reads image files into uint8 sRGB tensors and writes tensors back to files, with SixLabors.ImageSharp.
/// </summary>
/// <remarks>
/// <para>
/// Reading accepts PNG, JPEG, BMP and GIF, and brings every variant to 8-bit sRGB <c>[3, H, W]</c>:
/// grayscale is repeated into three channels, palette images are expanded, 16-bit channels are rounded to
/// 8 bits, a GIF gives its first frame, and the EXIF orientation of camera photos is applied (so the
/// tensor is upright, as a viewer shows it).
/// </para>
/// <para>
/// Transparency is composited over opaque white, <c>c' = round((c·α + 255·(255 − α)) / 255)</c>, i.e. the
/// image as a browser shows it on a white page. Dropping alpha instead would show whatever color the
/// encoder left under transparent pixels (often black, sometimes noise), which would teach a colorization
/// network colors nobody sees. Fully opaque pixels are unchanged.
/// </para>
/// <para>
/// ImageSharp 2.1 also decodes TIFF, WebP, TGA and PBM, so those load too, but only the four formats above
/// are tested. Embedded ICC profiles are not applied: pixels are taken as sRGB, as for nearly all web and
/// dataset images. A JPEG cut short after its header decodes without error (ImageSharp fills the missing
/// part with grey); other truncated or corrupt files raise <see cref="InvalidDataException"/>.
/// Decoding runs on the CPU; the returned tensors are on the CPU (move them with <c>.to(device)</c>).
/// </para>
/// </remarks>
public static class ImageFile
{
    private const string ReadableFormats = "PNG, JPEG, BMP, GIF";

    // Saved JPEGs are for looking at results, so they are kept close to lossless (ImageSharp's default is 75).
    private const int JpegQuality = 95;

    /// <summary>Reads an image file as 8-bit sRGB.</summary>
    /// <param name="path">A PNG, JPEG, BMP or GIF file (the content decides the format, not the extension).</param>
    /// <returns>uint8 <c>[3, H, W]</c>, values 0..255, on the CPU.</returns>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is empty, not an image, corrupt, or has no pixels;
    /// the message names the file.</exception>
    public static Tensor Load(string path) => LoadCore(path, size: null);

    /// <summary>
    /// Reads an image file as 8-bit sRGB, resized (bicubic) so that its shorter side is
    /// <paramref name="size"/>, then cropped to the centred <paramref name="size"/> x <paramref name="size"/>
    /// square (the usual "resize, centre crop" of image datasets). Smaller images are enlarged.
    /// </summary>
    /// <param name="path">A PNG, JPEG, BMP or GIF file.</param>
    /// <param name="size">The side of the square result in pixels, at least 1.</param>
    /// <returns>uint8 <c>[3, size, size]</c> on the CPU.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is less than 1.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable image.</exception>
    public static Tensor Load(string path, int size)
    {
        CheckSize(size);
        return LoadCore(path, size);
    }

    /// <summary>
    /// Reads several image files into one batch, each resized and centre-cropped as by
    /// <see cref="Load(string, int)"/>.
    /// </summary>
    /// <param name="paths">The files, at least one.</param>
    /// <param name="size">The side of the square images in pixels, at least 1.</param>
    /// <returns>uint8 <c>[N, 3, size, size]</c> on the CPU, in the order of <paramref name="paths"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="paths"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is less than 1.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist (the message names it).</exception>
    /// <exception cref="InvalidDataException">A file is not a readable image (the message names it).</exception>
    public static Tensor LoadBatch(IReadOnlyList<string> paths, int size)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException("Expected at least one image path; got an empty list.", nameof(paths));
        }

        CheckSize(size);

        // Every image is decoded straight into its slice of one RGBA buffer, so the batch is built by one
        // tensor copy and one compositing pass instead of one per image.
        var pixelsPerImage = (long)size * size * 4;
        var rgba = new byte[paths.Count * pixelsPerImage];
        for (var i = 0; i < paths.Count; i++)
        {
            using var image = Open(paths[i]);
            Prepare(image, size);
            image.CopyPixelDataTo(rgba.AsSpan((int)(i * pixelsPerImage), (int)pixelsPerImage));
        }

        return OverWhite(rgba, [paths.Count, size, size, 4]);
    }

    /// <summary>Decodes an image held in memory (e.g. downloaded or read from an archive) as 8-bit sRGB.</summary>
    /// <param name="data">The encoded bytes of a PNG, JPEG, BMP or GIF image.</param>
    /// <returns>uint8 <c>[3, H, W]</c> on the CPU.</returns>
    /// <exception cref="InvalidDataException">The bytes are empty or not a readable image.</exception>
    public static Tensor Decode(ReadOnlySpan<byte> data) => Decode(data.ToArray()); // ImageSharp 2 identifies arrays, not spans

    /// <summary>Decodes an image held in memory as 8-bit sRGB; see <see cref="Decode(ReadOnlySpan{byte})"/>.</summary>
    /// <param name="data">The encoded bytes of a PNG, JPEG, BMP or GIF image.</param>
    /// <returns>uint8 <c>[3, H, W]</c> on the CPU.</returns>
    /// <exception cref="InvalidDataException">The bytes are empty or not a readable image.</exception>
    public static Tensor Decode(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var image = DecodeImage(data, "The given data");
        return ToTensor(image, size: null);
    }

    /// <summary>
    /// Writes an image to a file, choosing the format from the extension: <c>.png</c> (lossless),
    /// <c>.jpg</c>/<c>.jpeg</c> (quality 95) or <c>.bmp</c>. The file is written to a temporary file in the same
    /// folder and then moved into place, so <paramref name="path"/> never holds a half-written image: an
    /// existing file is replaced only by a complete one, an error removes the temporary file, and a killed
    /// process can at most leave a hidden <c>.*.tmp</c> file next to it. Missing folders are created.
    /// </summary>
    /// <param name="image">
    /// One sRGB image <c>[3, H, W]</c>: uint8 0..255, or floating 0..1 (clipped, scaled by 255, rounded).
    /// Any device (it is copied to the CPU to encode).
    /// </param>
    /// <param name="path">The file to write, ending in .png, .jpg, .jpeg or .bmp.</param>
    /// <exception cref="ArgumentException">The image has the wrong shape or dtype, or the extension is not one
    /// of the above.</exception>
    public static void Save(Tensor image, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var encoder = EncoderFor(path);
        using var picture = ToImage(image, nameof(image));

        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                picture.Save(stream, encoder);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary); // does nothing if the file was never created or already moved
            throw;
        }
    }

    /// <summary>Encodes an image as PNG bytes, e.g. for a base64 <c>&lt;img&gt;</c> tag in a notebook.</summary>
    /// <param name="image">One sRGB image <c>[3, H, W]</c>, uint8 0..255 or floating 0..1, any device.</param>
    /// <returns>The bytes of an 8-bit RGB PNG file.</returns>
    /// <exception cref="ArgumentException">The image has the wrong shape or dtype.</exception>
    public static byte[] EncodePng(Tensor image)
    {
        using var picture = ToImage(image, nameof(image));
        using var stream = new MemoryStream();
        picture.Save(stream, EncoderFor(".png"));
        return stream.ToArray();
    }

    /// <summary>
    /// <see cref="Load(string, int)"/> into a caller's buffer, without any tensor: uint8 <c>[3, size, size]</c>
    /// (channel planes, rows top to bottom), the same bytes <see cref="Load(string, int)"/> gives. For decoding many
    /// files in parallel on pool threads: TorchSharp's implicitly created <c>Scalar</c>s can be finalized by a
    /// garbage collection in the middle of a native call (dotnet/TorchSharp pull requests 1434 and 1496), and
    /// several threads making tensors at once made that happen here; plain bytes cannot.
    /// </summary>
    /// <param name="path">A PNG, JPEG, BMP or GIF file.</param>
    /// <param name="size">The side of the square result in pixels, at least 1.</param>
    /// <param name="destination">Exactly 3 x size x size bytes.</param>
    internal static void LoadInto(string path, int size, Span<byte> destination)
    {
        CheckSize(size);
        var plane = size * size;
        if (destination.Length != 3 * plane)
        {
            throw new ArgumentException(
                $"Expected a buffer of 3 x {size} x {size} = {3 * plane} bytes; got {destination.Length}.", nameof(destination));
        }

        using var image = Open(path);
        Prepare(image, size);
        var rgba = new byte[plane * 4];
        image.CopyPixelDataTo(rgba);
        for (var p = 0; p < plane; p++)
        {
            // Over white with the same exact integer rounding as OverWhite: floor((c·α + 255·(255 − α) + 127) / 255).
            var alpha = rgba[4 * p + 3];
            var white = 255 * (255 - alpha) + 127;
            destination[p] = (byte)((rgba[4 * p] * alpha + white) / 255);
            destination[plane + p] = (byte)((rgba[4 * p + 1] * alpha + white) / 255);
            destination[2 * plane + p] = (byte)((rgba[4 * p + 2] * alpha + white) / 255);
        }
    }

    private static Tensor LoadCore(string path, int? size)
    {
        using var image = Open(path);
        return ToTensor(image, size);
    }

    private static Image<Rgba32> Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            // The full path too: a relative path resolves against the process's folder, which in a notebook
            // is often not the notebook's folder.
            throw new FileNotFoundException(
                $"Image file '{path}' does not exist (looked for '{Path.GetFullPath(path)}').", path);
        }

        // Read whole: images are small next to memory, and one code path then serves files and bytes.
        return DecodeImage(File.ReadAllBytes(path), $"The file '{path}'", isFile: true);
    }

    private static Image<Rgba32> DecodeImage(byte[] data, string source, bool isFile = false)
    {
        var advice = isFile
            ? "Remove or replace the file."
            : "Check where the data came from (a download or archive may have been cut short).";
        if (data.Length == 0)
        {
            throw new InvalidDataException(
                $"{source} is empty (0 bytes), so it is not a readable image ({ReadableFormats}). {advice}");
        }

        try
        {
            // The header first: a header that declares no pixels gets its own clear message, where the decoder
            // would only report an argument error about "width".
            var info = Image.Identify(data);
            if (info is null)
            {
                // ImageSharp's own message here lists its decoders over several lines; this says it plainly.
                throw new InvalidDataException(
                    $"{source} is not a readable image ({ReadableFormats}): its content matches none of these "
                    + $"formats. {advice}");
            }

            if (info.Width == 0 || info.Height == 0)
            {
                throw new InvalidDataException(
                    $"{source} declares an image of {info.Width} x {info.Height} pixels, so it has no pixels "
                    + $"to read. {advice}");
            }

            // Decoding to Rgba32 is what brings grayscale, palette, 16-bit and alpha variants to one layout.
            return Image.Load<Rgba32>(data);
        }
        catch (Exception e) when (IsDecodingFailure(e))
        {
            var reason = e.Message.Trim().TrimEnd('.', '!') + "."; // ImageSharp's messages vary in punctuation
            throw new InvalidDataException(
                $"{source} is not a readable image ({ReadableFormats}): {reason} {advice}", e);
        }
    }

    // What ImageSharp throws for bytes it cannot decode: ImageFormatException covers unknown formats
    // (UnknownImageFormatException) and corrupt content (InvalidImageContentException); malformed headers can
    // also surface as argument, range or end-of-stream errors from inside the decoders. The only input is the
    // bytes, so any of these means the bytes are at fault.
    private static bool IsDecodingFailure(Exception e) =>
        e is ImageFormatException or NotSupportedException or ArgumentException or InvalidOperationException
            or IndexOutOfRangeException or EndOfStreamException or OverflowException;

    private static Tensor ToTensor(Image<Rgba32> image, int? size)
    {
        Prepare(image, size);
        var rgba = new byte[(long)image.Width * image.Height * 4];
        image.CopyPixelDataTo(rgba);
        return OverWhite(rgba, [image.Height, image.Width, 4]);
    }

    private static void Prepare(Image<Rgba32> image, int? size)
    {
        // A GIF's further frames would otherwise be carried along (and resized) for nothing.
        while (image.Frames.Count > 1)
        {
            image.Frames.RemoveFrame(image.Frames.Count - 1);
        }

        image.Mutate(x => x.AutoOrient());
        if (size is { } side)
        {
            // ResizeMode.Crop scales the image to cover the square (shorter side = size) and crops the excess
            // around the centre. ImageSharp resizes with premultiplied alpha, and compositing over a constant
            // background is linear in premultiplied values, so resizing before compositing gives the same
            // result as compositing first (up to rounding).
            image.Mutate(x => x.Resize(new ResizeOptions
            {
                Size = new SixLabors.ImageSharp.Size(side, side),
                Mode = ResizeMode.Crop,
                Position = AnchorPositionMode.Center,
                Sampler = KnownResamplers.Bicubic,
            }));
        }
    }

    /// <summary>
    /// Straight-alpha RGBA bytes <c>[..., H, W, 4]</c> composited over white, as uint8 <c>[..., 3, H, W]</c>.
    /// </summary>
    private static Tensor OverWhite(byte[] rgba, long[] shape)
    {
        using var scope = NewDisposeScope();
        var pixels = tensor(rgba, shape).to_type(ScalarType.Int32);
        var color = pixels[TensorIndex.Ellipsis, TensorIndex.Slice(0, 3)];
        var alpha = pixels[TensorIndex.Ellipsis, TensorIndex.Slice(3, 4)];

        // Integer arithmetic makes the rounding exact: floor((x + 127) / 255) rounds x / 255 to nearest
        // (x / 255 is never exactly halfway), and opaque pixels come out unchanged.
        var composited = (color * alpha + (255 - alpha) * 255 + 127).div(255, rounding_mode: RoundingMode.floor);
        var rank = shape.Length;
        long[] channelsFirst = rank == 4 ? [0, 3, 1, 2] : [2, 0, 1];
        return composited.to_type(ScalarType.Byte).permute(channelsFirst).contiguous().MoveToOuterDisposeScope();
    }

    private static Image<Rgb24> ToImage(Tensor image, string paramName)
    {
        ArgumentNullException.ThrowIfNull(image, paramName);
        var shape = "[" + string.Join(", ", image.shape) + "]";
        if (image.dim() != 3 || image.size(0) != 3 || image.size(1) == 0 || image.size(2) == 0)
        {
            throw new ArgumentException(
                $"Expected one RGB image of shape [3, H, W] with H, W >= 1; got shape {shape}. "
                + "For a batch [N, 3, H, W], pass one image, e.g. batch[i].",
                paramName);
        }

        if (image.dtype != ScalarType.Byte && !image.is_floating_point())
        {
            throw new ArgumentException(
                $"Expected uint8 (0..255) or a floating dtype (0..1); got dtype {image.dtype} (shape {shape}).",
                paramName);
        }

        using var scope = NewDisposeScope();
        var bytes = image.dtype == ScalarType.Byte
            ? image
            : image.to_type(ScalarType.Float32).clamp(0.0, 1.0).mul_(255.0).round_().to_type(ScalarType.Byte);
        var interleaved = bytes.permute(1, 2, 0).cpu().contiguous(); // [H, W, 3], as ImageSharp lays out pixels
        return Image.LoadPixelData<Rgb24>(interleaved.data<byte>().ToArray(), (int)image.size(2), (int)image.size(1));
    }

    private static IImageEncoder EncoderFor(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            // Explicit 8-bit RGB, so a PNG never comes out as a palette or grayscale file by the encoder's choice.
            ".png" => new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 },
            ".jpg" or ".jpeg" => new JpegEncoder { Quality = JpegQuality },
            ".bmp" => new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 },
            _ => throw new ArgumentException(
                $"Expected a path ending in .png, .jpg, .jpeg or .bmp; got '{path}' (extension '{extension}').",
                nameof(path)),
        };
    }

    private static void CheckSize(int size)
    {
        if (size < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "Expected an image size of at least 1 pixel.");
        }
    }
}
