using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Quantization;
using static TorchSharp.torch;

namespace SplitBrain.Training.Objectives;

/// <summary>
/// The autoencoder baselines of the paper's ablation (Zhang, Isola, Efros 2017, table 2, "Lab -&gt; Lab" and
/// "Lab(drop50) -&gt; Lab"): one full-width network (<see cref="FullWidthNet"/>) sees the whole normalised Lab image (for
/// the denoising one, with half its values dropped: <see cref="InputDropout"/>) and reconstructs it at the target
/// resolution.
/// </summary>
/// <remarks>
/// <para>Loss: regression (<see cref="RegressionLoss"/>, L2 on the normalised L, a, b block means), the natural choice for
/// a reconstruction and the paper's: the three channels have no joint bins to classify (the L and ab grids together would
/// be 100 x 313 classes), and an autoencoder is the L2 baseline the split-brain network is set against.</para>
/// <para>Metric: <c>loss</c>. The reconstruction is coarse (12 x 12 for 96 x 96 inputs) because the network's output grid
/// is the targets' grid, the same as every other objective's.</para>
/// </remarks>
public sealed class AutoencoderObjective : PretrainObjective
{
    /// <summary>The plain autoencoder, Lab -&gt; Lab.</summary>
    public const string Name = "autoencoder";

    /// <summary>The denoising autoencoder, Lab with half the values dropped -&gt; Lab.</summary>
    public const string DenoisingName = "denoising-autoencoder";

    private static readonly string[] Names = ["loss"];

    /// <summary>An autoencoder; a denoising one when <paramref name="denoising"/>.</summary>
    /// <param name="denoising">Whether half the input values are dropped at every step (<see cref="InputDropout"/>).</param>
    public AutoencoderObjective(bool denoising = false) => Denoising = denoising;

    /// <summary>Whether half the input values are dropped at every step.</summary>
    public bool Denoising { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> MetricNames => Names;

    /// <inheritdoc/>
    public override FeatureNetwork CreateNetwork(ModelConfig model, Quantizer first, Quantizer second, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return FullWidthNet.Create(model, NetworkInput.Both, first.Channels, second.Channels, first.Channels + second.Channels, device);
    }

    /// <inheritdoc/>
    public override ObjectiveOutput Compute(FeatureNetwork network, SplitBrainTargets batch, ObjectiveStep step)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(step);
        var net = Expect<FullWidthNet>(network);
        var lab = net.InputOf(batch.LInput, batch.AbInput);                                    // [B, 3, H, W]
        var output = net.call(Denoising ? InputDropout.Apply(lab, step) : lab);                // [B, 3, h, w]
        var loss = RegressionLoss.Compute(output, RegressionLoss.Target(lab, batch.AbTarget));
        return new ObjectiveOutput(loss, [loss]);
    }
}
