namespace SplitBrain.Interop;

/// <summary>The file formats a network's weights are exported to and imported from (<see cref="NetworkWeights"/>).</summary>
public enum WeightFormat
{
    /// <summary>safetensors with every floating tensor in float32: exact, what PyTorch's training reads back.</summary>
    SafetensorsFloat32,

    /// <summary>safetensors with every floating tensor in bfloat16 (half the size; about 3 significant digits). The
    /// BatchNorm step counters stay int64.</summary>
    SafetensorsBFloat16,

    /// <summary>A PyTorch <c>state_dict</c> pickle, what <c>torch.save(model.state_dict(), path)</c> writes and
    /// <c>torch.load</c> reads (float32).</summary>
    PyTorch,
}

/// <summary>Names, file extensions and parsing of <see cref="WeightFormat"/>.</summary>
public static class WeightFormats
{
    /// <summary>The names <see cref="Parse"/> accepts, as a user types them.</summary>
    public const string Names = "safetensors (float32), safetensors-bf16, pytorch";

    /// <summary>The format of a name: <c>safetensors</c>, <c>safetensors-bf16</c> (or <c>bf16</c>), <c>pytorch</c>
    /// (or <c>pt</c>).</summary>
    /// <param name="name">The name, any case.</param>
    /// <exception cref="ArgumentException">An unknown name (the message lists the known ones).</exception>
    public static WeightFormat Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "safetensors" or "safetensors-fp32" or "safetensors-f32" or "fp32" => WeightFormat.SafetensorsFloat32,
        "safetensors-bf16" or "bf16" => WeightFormat.SafetensorsBFloat16,
        "pytorch" or "pt" or "pth" or "state_dict" => WeightFormat.PyTorch,
        _ => throw new ArgumentException($"Unknown weight format '{name}': use one of {Names}.", nameof(name)),
    };

    /// <summary>The format a file's extension suggests for export: <c>.pt</c>, <c>.pth</c> and <c>.bin</c> are PyTorch,
    /// anything else safetensors in float32.</summary>
    /// <param name="path">The file's path.</param>
    public static WeightFormat FromExtension(string path) => IsPyTorchExtension(path) ? WeightFormat.PyTorch : WeightFormat.SafetensorsFloat32;

    internal static bool IsPyTorchExtension(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".pt" or ".pth" or ".bin";
}
