using SplitBrain.Data;
using SplitBrain.Runs;

namespace SplitBrain.Training;

/// <summary>Opens the images a <see cref="DataConfig"/> describes, as a byte-readable dataset (see
/// <see cref="DataConfig"/>'s remarks for why every source ends up as raw bytes): what a pretraining run trains on, and
/// the unlabeled images evaluation re-estimates BatchNorm statistics on (<c>RandomNetworks.RandomWithBatchNorm</c>).</summary>
public static class PretrainData
{
    /// <summary>The training images: a whole STL-10 split as it is, anything else through a tensor cache.</summary>
    /// <remarks>
    /// Synthetic images are rendered once, here, on the calling (training) thread, into a cache file, rather than
    /// rendered again each epoch: rendering takes TorchSharp calls (which must not run on the loader's background
    /// thread) and is slower than reading bytes, while the cache of the small preset is a few megabytes, written in
    /// seconds, and reused by every run with the same images (the file is named after their fingerprint).
    /// </remarks>
    /// <param name="data">Which images.</param>
    /// <param name="workspace">Where relative paths start and where the shared cache folder is.</param>
    /// <param name="log">Receives one-line messages.</param>
    /// <param name="cancellationToken">Stops building a cache.</param>
    /// <returns>The dataset; the caller owns it.</returns>
    public static IByteImageDataset Open(DataConfig data, Workspace workspace, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(workspace);
        log ??= _ => { };
        var caches = workspace.Resolve(data.CacheFolder) ?? workspace.Cache;
        switch (data.Source)
        {
            case DataSource.Stl10:
            {
                var stl = Stl10Dataset.Open(workspace.Resolve(data.SourcePath)!, data.Split);
                if (data.MaxImages == 0 || data.MaxImages >= stl.Count)
                {
                    return stl;
                }

                using (stl)
                {
                    return Cache(new FirstImages(stl, data.MaxImages), caches, "stl10", log, cancellationToken);
                }
            }

            case DataSource.ImageFolder:
            {
                using var folder = ImageFolderDataset.Unlabeled(workspace.Resolve(data.Path)!, data.FolderImageSize, log);
                IImageDataset source = data.MaxImages == 0 || data.MaxImages >= folder.Count ? folder : new FirstImages(folder, data.MaxImages);
                return Cache(source, caches, "folder", log, cancellationToken);
            }

            default:
            {
                using var shapes = new SyntheticShapes(SyntheticCounts(data), data.Split);
                return Cache(shapes, caches, "synthetic", log, cancellationToken);
            }
        }
    }

    /// <summary>
    /// A CPU batch of <paramref name="count"/> images to colorize after each epoch: the synthetic shapes' test split
    /// (images the run never trains on, one of each class in order) when the data is synthetic, else the first training
    /// images.
    /// </summary>
    internal static ImageBatch PreviewImages(DataConfig data, IImageDataset training, int count)
    {
        if (data.Source == DataSource.Synthetic && data.Split != DatasetSplit.Test && data.Synthetic.TestCount >= count)
        {
            using var heldOut = new SyntheticShapes(data.Synthetic, DatasetSplit.Test);
            return heldOut.ReadBatch([.. Enumerable.Range(0, count)]);
        }

        return training.ReadBatch([.. Enumerable.Range(0, Math.Min(count, training.Count))]);
    }

    // MaxImages cuts the synthetic split to its first images: image i depends only on (seed, split, i), so this is the
    // same as a smaller count for that split.
    private static SyntheticShapesConfig SyntheticCounts(DataConfig data)
    {
        var config = data.Synthetic;
        var count = config.CountOf(data.Split);
        if (data.MaxImages == 0 || data.MaxImages >= count)
        {
            return config;
        }

        return data.Split switch
        {
            DatasetSplit.Train => config with { TrainCount = data.MaxImages },
            DatasetSplit.Test => config with { TestCount = data.MaxImages },
            _ => config with { UnlabeledCount = data.MaxImages },
        };
    }

    private static TensorCache Cache(IImageDataset source, string folder, string kind, Action<string> log, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, $"{kind}-{source.Size()}-{source.Fingerprint[..16]}.sbc");
        // Building renders or decodes with TorchSharp on this thread: keep collections out of it as for a training step.
        using var region = NoGcRegion.Enter();
        return TensorCache.OpenOrBuild(source, path, log, cancellationToken);
    }

    private static string Size(this IImageDataset source) => $"{source.Count}x{source.ImageSize}";
}
