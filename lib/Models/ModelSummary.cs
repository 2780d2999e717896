using static TorchSharp.torch;

namespace SplitBrain.Models;

/// <summary>
/// A sub-network layer by layer for one input size: output shapes, parameter counts, receptive fields and effective
/// strides (the table notebook 03 shows). Plain values; rendering belongs to <c>SplitBrain.Display</c>.
/// </summary>
/// <remarks>
/// Shapes and receptive fields are computed from each layer's kernel, stride and padding, without running the network:
/// an output side is <c>floor((n + 2p - k) / s) + 1</c>; the receptive field grows by <c>(k - 1)</c> times the effective
/// stride before the layer (<c>r += (k - 1) * j</c>), then the effective stride is multiplied by the layer's stride
/// (<c>j *= s</c>), pooling included; the first window's centre moves by <c>((k - 1) / 2 - p) * j</c>.
/// </remarks>
/// <param name="Name">The network's name.</param>
/// <param name="InChannels">Input channels.</param>
/// <param name="InputHeight">The input height the shapes are computed for.</param>
/// <param name="InputWidth">The input width the shapes are computed for.</param>
/// <param name="Layers">The layers in order, conv1 to pred.</param>
/// <param name="Parameters">Trainable parameters of the whole network.</param>
public sealed record ModelSummary(
    string Name, int InChannels, int InputHeight, int InputWidth, IReadOnlyList<LayerInfo> Layers, long Parameters)
{
    /// <summary>The summary of <paramref name="network"/> for <paramref name="height"/> x <paramref name="width"/> inputs.</summary>
    /// <param name="network">The sub-network (only its structure and parameter counts are read).</param>
    /// <param name="height">Input height, at least 1.</param>
    /// <param name="width">Input width, at least 1.</param>
    public static ModelSummary Of(SubNetwork network, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (height < 1)
            throw new ArgumentOutOfRangeException(nameof(height), height, $"{nameof(height)} must be at least 1; got {height}.");
        if (width < 1)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"{nameof(width)} must be at least 1; got {width}.");

        var layers = new List<LayerInfo>();
        var (h, w, receptive, jump, center) = (height, width, 1, 1, 0.0);
        var specs = network.Specs;
        var modules = network.Layers;
        for (var i = 0; i < specs.Count; i++)
        {
            var s = specs[i];
            (h, w) = (s.OutputSize(h), s.OutputSize(w));
            receptive += (s.Kernel - 1) * jump;
            center += ((s.Kernel - 1) / 2.0 - s.Padding) * jump;
            jump *= s.Stride;
            layers.Add(new LayerInfo(s.Name, KindName(s, network.Config.BatchNorm), s.Kernel, s.Stride, s.Padding,
                s.InChannels, s.OutChannels, h, w, CountParameters(modules[i]), receptive, jump, center, s.Feature));
        }
        return new ModelSummary(network.Name, network.InChannels, height, width, layers, CountParameters(network));
    }

    /// <summary>Number of trainable parameter values (elements) of any module, e.g. a whole <see cref="SplitBrainNet"/>.</summary>
    /// <param name="module">The module.</param>
    public static long CountParameters(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
    }

    private static string KindName(LayerSpec s, bool batchNorm) => s.Kind switch
    {
        LayerKind.ConvBlock => batchNorm ? "conv+bn+relu" : "conv+relu",
        LayerKind.MaxPool => "max-pool",
        _ => "conv",
    };
}
