using System.Text.Json.Serialization;
using SplitBrain.Data;

namespace SplitBrain.Training;

/// <summary>
/// The images a pretraining run learns from (<see cref="PretrainConfig.Data"/>): which source, how many, and where the
/// decoded copy is cached.
/// </summary>
/// <remarks>
/// <para>Training reads raw bytes on a background thread (<see cref="BatchLoader"/>), so every source ends up as an
/// <see cref="IByteImageDataset"/>: a whole STL-10 split is read from its files as it is; synthetic images (which need
/// TorchSharp to render), image folders (which need decoding) and any source cut to <see cref="MaxImages"/> are
/// written once into a <see cref="TensorCache"/> in <see cref="CacheFolder"/> and read from there. A cache is named
/// after its source's fingerprint, so another config gets another file and a changed source is rebuilt.</para>
/// <para>Plain values only, so the config saves as JSON and chapters can override any field
/// (<c>--set Data.MaxImages=500</c>).</para>
/// </remarks>
public sealed record DataConfig
{
    /// <summary>The synthetic shapes (the default), STL-10, or an image folder.</summary>
    public DataSource Source { get; init; } = DataSource.Synthetic;

    /// <summary>
    /// For <see cref="DataSource.Stl10"/> the <c>stl10_binary</c> folder or the folder holding it (e.g.
    /// <c>data/stl10</c>); for <see cref="DataSource.ImageFolder"/> the folder of images. A relative path is taken from
    /// the repository root when there is one (so a notebook in <c>notebooks/</c> and a console run agree), else from the
    /// working folder. Unused (null) for the synthetic shapes; for STL-10, null means <see cref="DefaultStl10Path"/>, where
    /// <c>data-scripts/stl10.cs</c> puts it, so that <c>--set Pretrain.Data.Source=Stl10</c> alone moves a run to STL-10.
    /// </summary>
    public string? Path { get; init; }

    /// <summary>Where <c>data-scripts/stl10.cs</c> writes STL-10 by default, from the repository root.</summary>
    public const string DefaultStl10Path = "data/stl10";

    /// <summary>The folder to read: <see cref="Path"/>, or <see cref="DefaultStl10Path"/> for STL-10 without one.</summary>
    [JsonIgnore]
    public string? SourcePath => Path ?? (Source == DataSource.Stl10 ? DefaultStl10Path : null);

    /// <summary>The split of the synthetic shapes or of STL-10 to train on: <see cref="DatasetSplit.Unlabeled"/> (the
    /// default; labels are never used in pretraining anyway). Ignored for an image folder.</summary>
    public DatasetSplit Split { get; init; } = DatasetSplit.Unlabeled;

    /// <summary>Train on the first this many images only (index order); 0 (the default) for all of them.</summary>
    public int MaxImages { get; init; }

    /// <summary>The synthetic shapes: counts, seed and image size (<see cref="SyntheticShapesConfig.ImageSize"/> is the
    /// training image size). Default <see cref="SyntheticShapesConfig.Default"/>.</summary>
    public SyntheticShapesConfig Synthetic { get; init; } = SyntheticShapesConfig.Default;

    /// <summary>For an image folder: the side images are resized (shorter side) and centre-cropped to. Default 96, as
    /// STL-10.</summary>
    public int FolderImageSize { get; init; } = Stl10Dataset.Side;

    /// <summary>The folder of tensor caches; null (the default) for <c>cache/</c> in the runs folder
    /// of the run's workspace (<see cref="Runs.Workspace.Cache"/>). Relative paths as for <see cref="Path"/>.</summary>
    public string? CacheFolder { get; init; }

    /// <summary>The side of the training images in pixels: the synthetic config's image size, 96 for STL-10, or
    /// <see cref="FolderImageSize"/>.</summary>
    [JsonIgnore]
    public int ImageSize => Source switch
    {
        DataSource.Stl10 => Stl10Dataset.Side,
        DataSource.ImageFolder => FolderImageSize,
        _ => Synthetic.ImageSize,
    };

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid field.</summary>
    /// <exception cref="ArgumentException">A field is out of range, or a path is missing for a source that needs one.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Source))
        {
            throw new ArgumentException(
                $"{nameof(DataConfig)}.{nameof(Source)} {Source} is not a {nameof(DataSource)} ({string.Join(", ", Enum.GetNames<DataSource>())}).",
                nameof(Source));
        }

        if (Source == DataSource.ImageFolder && string.IsNullOrWhiteSpace(Path))
        {
            throw new ArgumentException(
                $"{nameof(DataConfig)}.{nameof(Path)} must name the image folder "
                + $"for {nameof(Source)} = {Source}; got {(Path is null ? "null" : $"'{Path}'")}.", nameof(Path));
        }

        if (!Enum.IsDefined(Split))
        {
            throw new ArgumentException($"{nameof(DataConfig)}.{nameof(Split)} {Split} is not a {nameof(DatasetSplit)}.", nameof(Split));
        }

        if (MaxImages < 0)
        {
            throw new ArgumentException($"{nameof(DataConfig)}.{nameof(MaxImages)} must be >= 0 (0 for all images); got {MaxImages}.", nameof(MaxImages));
        }

        if (FolderImageSize < 16)
        {
            throw new ArgumentException(
                $"{nameof(DataConfig)}.{nameof(FolderImageSize)} must be at least 16 pixels; got {FolderImageSize}.", nameof(FolderImageSize));
        }

        if (Synthetic is null)
        {
            throw new ArgumentException($"{nameof(DataConfig)}.{nameof(Synthetic)} must be set; got null.", nameof(Synthetic));
        }

        try
        {
            Synthetic.Validate();
        }
        catch (ArgumentException e)
        {
            throw ConfigErrors.Nested(nameof(DataConfig), nameof(Synthetic), e);
        }
    }
}

/// <summary>Where pretraining images come from (<see cref="DataConfig.Source"/>).</summary>
public enum DataSource
{
    /// <summary>The built-in synthetic shapes (<see cref="Data.SyntheticShapes"/>): offline, any size, rendered once into
    /// a tensor cache.</summary>
    Synthetic,

    /// <summary>STL-10's binary release (<see cref="Data.Stl10Dataset"/>) in <see cref="DataConfig.Path"/>; read as raw
    /// bytes, no cache needed.</summary>
    Stl10,

    /// <summary>Every image below the folder <see cref="DataConfig.Path"/> (<see cref="Data.ImageFolderDataset"/>),
    /// decoded once into a tensor cache.</summary>
    ImageFolder,
}
