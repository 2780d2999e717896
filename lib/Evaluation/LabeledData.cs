using SplitBrain.Data;
using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Evaluation;

/// <summary>The labeled splits of the data a pretraining config names: what classifiers and probes train and test on.</summary>
public static class LabeledData
{
    /// <summary>
    /// The labeled <paramref name="split"/> (<see cref="DatasetSplit.Train"/> or <see cref="DatasetSplit.Test"/>) of
    /// the source of <paramref name="data"/>, whole (its <see cref="DataConfig.MaxImages"/> limits pretraining only):
    /// the synthetic shapes' labeled splits, or STL-10's 5,000 training and 8,000 test images.
    /// </summary>
    /// <param name="data">The data of a pretraining run (<c>PretrainConfig.Data</c>).</param>
    /// <param name="split">Which labeled split.</param>
    /// <param name="workspace">Where relative data paths start and the shared caches are (e.g. <c>Chapter.Workspace</c>,
    /// or a run folder's <see cref="RunFolder.Workspace"/>).</param>
    /// <returns>The dataset; the caller owns it.</returns>
    /// <exception cref="ArgumentException">The split has no labeled images.</exception>
    public static IByteImageDataset Open(DataConfig data, DatasetSplit split, Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(workspace);
        var dataset = PretrainData.Open(data with { Split = split, MaxImages = 0 }, workspace, _ => { });
        if (dataset.Count > 0 && dataset.HasLabels)
            return dataset;
        dataset.Dispose();
        throw new ArgumentException(
            $"The {split} split of {data.Source} has no labeled images: classifiers train on the Train split and are scored on "
            + "the Test split of the pretraining data (for the synthetic shapes, Data.Synthetic.TrainCount and TestCount).",
            nameof(data));
    }
}
