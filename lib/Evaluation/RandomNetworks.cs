using SplitBrain.Data;
using SplitBrain.Models;

namespace SplitBrain.Evaluation;

/// <summary>
/// The two random baselines every comparison with a pretrained network includes: the same architecture at
/// initialisation ("random init": BatchNorm statistics 0 and 1, as created), and that initialisation with its BatchNorm
/// statistics re-estimated on unlabeled images ("random+BN", <see cref="BatchNormStatistics"/>), the stronger floor.
/// </summary>
/// <remarks>
/// For one seed both baselines have the same weights; only the statistics differ. So the gap between them is what
/// normalisation alone buys, and the gap between random+BN and the pretrained network is what pretraining's weights
/// add.
/// </remarks>
public static class RandomNetworks
{
    /// <summary>The legend name of the network at initialisation.</summary>
    public const string RandomName = "random init";

    /// <summary>The legend name of the initialisation with re-estimated BatchNorm statistics.</summary>
    public const string RandomBatchNormName = "random+BN";

    /// <summary>The architecture of <paramref name="like"/> at a fresh initialisation (<see cref="FeatureNetwork.CreateLike"/>),
    /// taking the inputs of <paramref name="like"/>'s split (<see cref="FeatureNetwork.Split"/>).</summary>
    /// <param name="like">The network whose architecture and device to copy (not changed).</param>
    /// <param name="seed">Seeds the weights.</param>
    /// <returns>The network; the caller owns it.</returns>
    public static FeatureNetwork Random(FeatureNetwork like, long seed) => FeatureNetwork.CreateLike(like, seed);

    /// <summary><see cref="Random"/>'s network (same seed, same weights) with BatchNorm statistics re-estimated on
    /// <paramref name="unlabeled"/>.</summary>
    /// <param name="like">The network whose architecture and device to copy (not changed).</param>
    /// <param name="seed">Seeds the weights.</param>
    /// <param name="unlabeled">Images of the data the features will be computed on; labels are not read.</param>
    /// <param name="images">How many images the statistics average over (<see cref="BatchNormStatistics.DefaultImages"/>).</param>
    /// <param name="precision">The precision of the passes; float32 by default.</param>
    /// <returns>The network; the caller owns it.</returns>
    public static FeatureNetwork RandomWithBatchNorm(FeatureNetwork like, long seed, IImageDataset unlabeled,
        int images = BatchNormStatistics.DefaultImages, Precision precision = Precision.Float32)
    {
        var net = Random(like, seed);
        try
        {
            BatchNormStatistics.Reestimate(net, unlabeled, images, precision: precision);
            return net;
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }
}
