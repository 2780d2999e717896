namespace SplitBrain.Data;

/// <summary>
/// The three parts of a dataset the course uses: unlabeled images for self-supervised pretraining, a (small)
/// labeled training set for the classifier on top, and a labeled test set to measure it.
/// </summary>
/// <remarks>
/// STL-10 ships exactly these three parts (100 000 unlabeled, 5 000 train, 8 000 test images);
/// <see cref="SyntheticShapes"/> generates them; an image folder is one of them, chosen by how it is opened.
/// </remarks>
public enum DatasetSplit
{
    /// <summary>Images without labels (labels read as -1), for pretraining.</summary>
    Unlabeled,

    /// <summary>Labeled images for training a classifier (fine-tuning, linear probes).</summary>
    Train,

    /// <summary>Labeled images held out for evaluation.</summary>
    Test,
}
