using System.Collections;
using SplitBrain.Models;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SplitBrain.Interop;

/// <summary>
/// A <see cref="FeatureNetwork"/>'s weights in the files the PyTorch ecosystem reads: safetensors (float32 or bfloat16) and
/// PyTorch <c>state_dict</c> pickles: safetensors by <see cref="SafetensorsFile"/>, pickles by TorchSharp.PyBridge
/// (environment/README.md says why). The mirror
/// in <c>interop/pytorch/splitbrain.py</c> has the same names and shapes, so a file moves between the two unchanged.
/// </summary>
/// <remarks>
/// <para>The names are the network's state_dict keys, and they are part of the course's interface (a test pins them):
/// <c>{half}.{layer}.conv.weight</c> and, with BatchNorm, <c>{half}.{layer}.bn.weight</c>, <c>.bn.bias</c>,
/// <c>.bn.running_mean</c>, <c>.bn.running_var</c>, <c>.bn.num_batches_tracked</c> (int64), for half <c>f1</c> (L -&gt; ab)
/// and <c>f2</c> (ab -&gt; L) and layer <c>conv1</c> .. <c>conv5</c>, <c>fc6</c>, <c>fc7</c>; without BatchNorm
/// <c>.conv.bias</c> instead of the <c>bn</c> keys; then <c>{half}.pred.weight</c> and <c>{half}.pred.bias</c>. Shapes are
/// PyTorch's: a convolution's weight is <c>[out, in, k, k]</c> (fc6, fc7 and pred are 1 x 1 convolutions), vectors
/// <c>[out]</c>, the counter a scalar. Files list them in PyTorch's <c>state_dict()</c> order: F1 before F2, each layer in network order, a module's
/// parameters before its buffers (<see cref="Layout"/>).</para>
/// <para>Importing checks the whole file against the network before it changes anything: a missing, extra or
/// mis-shaped tensor (or an integer tensor where a floating one belongs) is refused with one line naming the first
/// such tensor, and the network keeps its weights.</para>
/// </remarks>
public static class NetworkWeights
{
    /// <summary>The network's tensors as they are written: name, shape and element type, in file order.</summary>
    /// <param name="network">The network.</param>
    /// <returns>One entry per state_dict key.</returns>
    public static IReadOnlyList<(string Name, long[] Shape, ScalarType Type)> Layout(FeatureNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return [.. InPyTorchOrder(network.state_dict()).Select(kv => (kv.Key, kv.Value.shape, kv.Value.dtype))];
    }

    /// <summary>
    /// Writes the network's weights and BatchNorm statistics to <paramref name="path"/>, atomically (into a temporary
    /// file beside it, then renamed over it). The network is not changed.
    /// </summary>
    /// <param name="network">The network (any device, any mode).</param>
    /// <param name="path">The file to write; its folder is created.</param>
    /// <param name="format">The format; by the extension when null (<see cref="WeightFormats.FromExtension"/>).</param>
    public static void Export(FeatureNetwork network, string path, WeightFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var chosen = format ?? WeightFormats.FromExtension(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + $".{Guid.NewGuid():N}.tmp";
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (name, value) in InPyTorchOrder(network.state_dict()))
        {
            var cpu = value.detach().cpu();
            if (chosen == WeightFormat.SafetensorsBFloat16 && cpu.is_floating_point())
                cpu = cpu.to(ScalarType.BFloat16);
            tensors[name] = cpu.contiguous();
        }
        try
        {
            // A fresh temporary file, renamed over the target: PyBridge opens with File.OpenWrite, which would not truncate.
            if (chosen == WeightFormat.PyTorch)
                PyTorchPickler.PickleStateDict(temporary, tensors);
            else
                using (var stream = new FileStream(temporary, FileMode.CreateNew))
                    SafetensorsFile.Write(stream, [.. tensors]);
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Loads the weights and BatchNorm statistics in <paramref name="path"/> into <paramref name="network"/>, after checking
    /// every tensor: the file must hold exactly the network's names (<see cref="Layout"/>), each with its shape. bfloat16
    /// and float64 files are converted to the network's float32. Which format the file is in is read from its first bytes.
    /// </summary>
    /// <param name="network">The network to load into (any device); changed only when the whole file fits.</param>
    /// <param name="path">A safetensors file or a PyTorch state_dict file.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is neither format, or a tensor is missing, extra or mis-shaped (the
    /// message names the first); the network is unchanged.</exception>
    public static void Import(FeatureNetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        using var scope = NewDisposeScope();
        var file = Read(path);
        var target = network.state_dict();
        var problem = FirstProblem(target, file);
        if (problem is not null)
            throw new InvalidDataException(
                $"{path}: {problem}; nothing was loaded. Export the weights from a network of the same architecture "
                + "(names and shapes: NetworkWeights.Layout, lib/Interop/NetworkWeights.cs).");
        using var noGrad = no_grad();
        foreach (var (name, tensor) in target)
            tensor.copy_(file[name]);
    }

    /// <summary>The tensors of a safetensors or PyTorch state_dict file, by name, on the CPU, as stored.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The tensors, in the current dispose scope; the caller owns them.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is neither format (the message says what was read).</exception>
    public static IReadOnlyDictionary<string, Tensor> Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No weights file at {Path.GetFullPath(path)}.", path);
        var pickle = LooksLikePyTorch(path);
        try
        {
            if (!pickle)
                return SafetensorsFile.Read(path);
            var table = PyTorchUnpickler.UnpickleStateDict(path);
            var tensors = new Dictionary<string, Tensor>();
            foreach (DictionaryEntry entry in table)
            {
                if (entry.Value is not Tensor tensor)
                    throw new InvalidDataException($"the entry '{entry.Key}' is not a tensor");
                tensors[(string)entry.Key] = tensor;
            }
            return tensors;
        }
        catch (Exception e) when (e is not FileNotFoundException and not OutOfMemoryException)
        {
            throw new InvalidDataException(
                $"{path} is not a readable {(pickle ? "PyTorch state_dict" : "safetensors")} file ({e.GetType().Name}: {e.Message}); "
                + "write it with NetworkWeights.Export, safetensors' save_file or torch.save(model.state_dict(), path).", e);
        }
    }

    // PyTorch's files are zip archives ("PK", torch.save since 1.6) or legacy pickles (protocol 2 starts with 0x80);
    // a safetensors file starts with its header's length, a little-endian integer far below 2^56, so byte 7 is 0.
    private static bool LooksLikePyTorch(string path)
    {
        Span<byte> head = stackalloc byte[8];
        using var stream = File.OpenRead(path);
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read >= 2 && head[0] == (byte)'P' && head[1] == (byte)'K')
            return true;
        if (read >= 1 && head[0] == 0x80)
            return read < 8 || head[7] != 0;
        return false;
    }

    // The first tensor that does not fit, in the network's order (missing, mis-shaped, of the wrong kind), then the first
    // name of the file that the network does not have; null when the whole file fits.
    private static string? FirstProblem(Dictionary<string, Tensor> target, IReadOnlyDictionary<string, Tensor> file)
    {
        foreach (var (name, tensor) in InPyTorchOrder(target))
        {
            if (!file.TryGetValue(name, out var source))
                return $"the tensor '{name}' ({Describe(tensor)}) is missing from the file";
            if (!source.shape.SequenceEqual(tensor.shape))
                return $"the tensor '{name}' is {Describe(source)} in the file, but the network's is {Describe(tensor)}";
            if (source.is_floating_point() != tensor.is_floating_point())
                return $"the tensor '{name}' is {Describe(source)} in the file, but the network's is {Describe(tensor)}";
        }
        var extra = file.Keys.FirstOrDefault(name => !target.ContainsKey(name));
        return extra is null ? null : $"the file has a tensor '{extra}' ({Describe(file[extra])}) that the network does not have";
    }

    // TorchSharp lists every parameter of the network, then every buffer; PyTorch lists each module's parameters, then
    // its buffers. Files follow PyTorch's order (so a file looks the same whichever side wrote it): each module, in the
    // order its first parameter appears, with its own entries in TorchSharp's order.
    private static IEnumerable<KeyValuePair<string, Tensor>> InPyTorchOrder(Dictionary<string, Tensor> stateDict)
    {
        var modules = new Dictionary<string, int>();
        foreach (var name in stateDict.Keys)
            modules.TryAdd(ModuleOf(name), modules.Count);
        return stateDict.Select((kv, index) => (kv, index)).OrderBy(e => modules[ModuleOf(e.kv.Key)]).ThenBy(e => e.index).Select(e => e.kv);
    }

    private static string ModuleOf(string name) => name.LastIndexOf('.') is var dot and >= 0 ? name[..dot] : "";

    private static string Describe(Tensor t) => $"{t.dtype} [{string.Join(", ", t.shape)}]";
}
