using System.Security.Cryptography;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Data;

/// <summary>
/// A procedural dataset built into the library, the course's offline default: 96 x 96 color images of one of ten
/// shapes on a textured background, generated on demand and the same on every run.
/// </summary>
/// <remarks>
/// <para>The class is the shape: disc, square, triangle, ring, cross, star, diamond, bar, crescent, arrow, with a
/// random size, position, rotation and aspect. It is designed so that each half of the split-brain network has
/// something to learn from the other, and so that what it learns helps classification:</para>
/// <list type="bullet">
/// <item>Color follows structure: an object's hue is set by its class (a Lab hue angle with ±12° of jitter), but two
/// classes share each of five hue families (red, yellow, green, teal, violet), so color alone narrows ten classes to
/// two and the shape must decide.</item>
/// <item>Structure follows color: backgrounds are of low saturation (chroma up to 12) with stripes, checks or smooth
/// noise, a gradient, and a lightness well apart from the object's; the object is shaded across and darker at its
/// rim, so L carries the outline and ab the object's identity.</item>
/// </list>
/// <para>Image <c>i</c> of a split depends only on (<see cref="SyntheticShapesConfig.Seed"/>, split, <c>i</c>): any
/// subset, in any batch, reproduces the same bytes. Labels are <c>i mod 10</c>, so every split is balanced and any
/// 10 consecutive images hold one of each class. The unlabeled split is drawn the same way (with its own images) and
/// reports no labels.</para>
/// <para>Pixels are computed batch-wise with tensor operations (signed distance functions on coordinate grids,
/// compositing in Lab, conversion with <see cref="Color.Lab.ToRgbBytes"/>) on the CPU; nothing is stored, so
/// <see cref="Dispose"/> has nothing to free.</para>
/// <para>All of the above describes the default style, <see cref="SyntheticStyle.Shapes"/>. The harder
/// <see cref="SyntheticStyle.Scenes"/> style (<see cref="SyntheticShapesConfig.Style"/>) keeps the classes (the class
/// object's shape), the labels and the determinism, and adds what photographs have: clutter, distractor objects,
/// class-typical textures (<see cref="TextureOf"/>), and a hue that follows the class only about a third of the time
/// (<see cref="HueOf"/> is then the class's preferred hue, not its only one). It renders about 1.5 to 2.5 times
/// slower.</para>
/// </remarks>
public sealed class SyntheticShapes : IImageDataset
{
    private readonly SyntheticShapesConfig _config;

    /// <summary>One split of the synthetic dataset described by <paramref name="config"/>.</summary>
    /// <param name="config">Counts, seed and image size; validated here.</param>
    /// <param name="split">Which split.</param>
    /// <exception cref="ArgumentOutOfRangeException">A field of <paramref name="config"/> is out of range.</exception>
    public SyntheticShapes(SyntheticShapesConfig config, DatasetSplit split)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        _config = config;
        Split = split;
        Count = config.CountOf(split);
        Fingerprint = ComputeFingerprint(config, split, Count);
    }

    /// <summary>The ten class names, label i being <c>ClassNames[i]</c>.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = Array.AsReadOnly(ShapeRenderer.ClassNames);

    /// <summary>The config this dataset was made from.</summary>
    public SyntheticShapesConfig Config => _config;

    /// <summary>Which split this is.</summary>
    public DatasetSplit Split { get; }

    /// <inheritdoc/>
    public string Name => $"synthetic {StyleName} {Split.ToString().ToLowerInvariant()} (seed {_config.Seed})";

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public int ImageSize => _config.ImageSize;

    /// <inheritdoc/>
    public IReadOnlyList<string> Classes => HasLabels ? ClassNames : [];

    /// <inheritdoc/>
    public bool HasLabels => Split != DatasetSplit.Unlabeled;

    /// <inheritdoc/>
    public string Fingerprint { get; }

    /// <summary>The class of image <paramref name="index"/> (its shape), also for the unlabeled split, whose batches
    /// do not report it: useful to check what pretraining learned.</summary>
    /// <param name="index">An index in 0..Count-1.</param>
    /// <returns>The class, 0..9.</returns>
    public int ShapeOf(int index)
    {
        DataTensors.CheckIndices([index], Count, Name);
        return index % ShapeRenderer.ClassCount;
    }

    /// <summary>The hue family of a class: "red", "yellow", "green", "teal" or "violet".</summary>
    /// <param name="label">A class 0..9.</param>
    /// <returns>The family's name; two classes share each.</returns>
    public static string HueFamilyOf(int label)
    {
        CheckLabel(label);
        return ShapeRenderer.FamilyName(label);
    }

    /// <summary>The central CIE Lab hue angle of a class's objects, in degrees (objects vary ±12° around it). In the
    /// <see cref="SyntheticStyle.Scenes"/> style it is only the class's preferred hue, taken by about 30% of its
    /// objects; the others have any hue.</summary>
    /// <param name="label">A class 0..9.</param>
    /// <returns>The hue angle in the ab plane, 0..360.</returns>
    public static double HueOf(int label)
    {
        CheckLabel(label);
        return ShapeRenderer.HueDegrees(label);
    }

    /// <summary>The texture typical of a class's objects in the <see cref="SyntheticStyle.Scenes"/> style: "stripes",
    /// "dots", "checks", "rings" or "waves" (the Shapes style has no object textures).</summary>
    /// <param name="label">A class 0..9.</param>
    /// <returns>The texture's name; two classes of different hue families share each, and about 80% of a class's
    /// objects wear it.</returns>
    public static string TextureOf(int label)
    {
        CheckLabel(label);
        return SceneParameters.TextureNames[SceneParameters.TextureOfClass[label]];
    }

    /// <inheritdoc/>
    public ImageBatch ReadBatch(IReadOnlyList<int> indices)
    {
        DataTensors.CheckIndices(indices, Count, Name);
        var images = _config.Style == SyntheticStyle.Scenes ? RenderScenes(indices) : RenderShapes(indices);
        var labels = DataTensors.Labels(indices, index => HasLabels ? index % ShapeRenderer.ClassCount : -1);
        return new ImageBatch(images, labels, indices);
    }

    /// <summary>Nothing to free: the images are generated on demand.</summary>
    public void Dispose()
    {
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Count} images {ImageSize}x{ImageSize}, {Classes.Count} classes";

    private Tensor RenderShapes(IReadOnlyList<int> indices)
    {
        var parameters = new ShapeParameters[indices.Count];
        for (var i = 0; i < parameters.Length; i++)
        {
            var index = indices[i];
            parameters[i] = ShapeRenderer.Draw(_config.Seed, Split, index, index % ShapeRenderer.ClassCount, ImageSize);
        }

        return ShapeRenderer.Render(parameters, ImageSize);
    }

    private Tensor RenderScenes(IReadOnlyList<int> indices)
    {
        var parameters = new SceneParameters[indices.Count];
        for (var i = 0; i < parameters.Length; i++)
        {
            var index = indices[i];
            parameters[i] = SceneParameters.Draw(_config.Seed, Split, index, index % ShapeRenderer.ClassCount, ImageSize);
        }

        return SceneRenderer.Render(parameters, ImageSize);
    }

    private string StyleName => _config.Style == SyntheticStyle.Scenes ? "scenes" : "shapes";

    private static void CheckLabel(int label)
    {
        if ((uint)label >= ShapeRenderer.ClassCount)
        {
            throw new ArgumentOutOfRangeException(nameof(label), label, $"Expected a class 0..9; got {label}.");
        }
    }

    // The generator's version is part of the fingerprint: a change to the drawing code must invalidate caches.
    private const int GeneratorVersion = 1;

    // The Scenes style's own version: a change to its drawing code invalidates its caches, not the Shapes style's.
    private const int ScenesVersion = 1;

    private static string ComputeFingerprint(SyntheticShapesConfig config, DatasetSplit split, int count)
    {
        var text = $"synthetic-shapes v{GeneratorVersion}; seed {config.Seed}; split {split}; count {count}; size {config.ImageSize}";

        // The default style adds nothing, so that its fingerprint (and the caches named after it) is the one from
        // before styles existed.
        if (config.Style != SyntheticStyle.Shapes)
        {
            text += $"; style {config.Style} v{ScenesVersion}";
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
