using SplitBrain.Interop;
using SplitBrain.Models;
using SplitBrain.Tests.Support;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Interop;

// Its networks are drawn from torch's global generator (InteropNetworks.Small seeds it): run alone, so that a test in
// parallel cannot draw in between and make two networks of one seed differ.
[Collection(SplitBrain.Tests.Models.GlobalGeneratorCollection.Name)]
public sealed class NetworkWeightsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("splitbrain-weights-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string name) => Path.Combine(_folder, name);

    [Fact]
    public void Layout_SmallNetwork_NamesAreTheDocumentedStateDictKeys()
    {
        using var net = InteropNetworks.Small(0);
        var layout = NetworkWeights.Layout(net);
        string[] block = ["conv.weight", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked"];
        string[] layers = ["conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7"];
        var expected = new[] { "f1", "f2" }.SelectMany(half =>
            layers.SelectMany(layer => block.Select(key => $"{half}.{layer}.{key}")).Concat([$"{half}.pred.weight", $"{half}.pred.bias"]));
        Assert.Equal(expected, layout.Select(t => t.Name));
        Assert.Equal([16L, 1, 11, 11], layout.Single(t => t.Name == "f1.conv1.conv.weight").Shape);
        Assert.Equal([313L, 64, 1, 1], layout.Single(t => t.Name == "f1.pred.weight").Shape);
        Assert.Equal(ScalarType.Int64, layout.Single(t => t.Name == "f2.fc7.bn.num_batches_tracked").Type);
    }

    [Theory]
    [InlineData("net.safetensors", WeightFormat.SafetensorsFloat32)]
    [InlineData("net.pt", WeightFormat.PyTorch)]
    public void Export_ThenImport_Float32Formats_CopyEveryTensorExactly(string name, WeightFormat format)
    {
        using var source = InteropNetworks.Small(1);
        using var target = InteropNetworks.Small(2);
        NetworkWeights.Export(source, File(name), format);
        NetworkWeights.Import(target, File(name));
        Assert.True(InteropNetworks.SameState(source, target));
    }

    [Fact]
    public void Export_BFloat16_ImportsWithinBFloat16Rounding()
    {
        using var source = InteropNetworks.Small(1);
        using var target = InteropNetworks.Small(2);
        NetworkWeights.Export(source, File("net-bf16.safetensors"), WeightFormat.SafetensorsBFloat16);
        NetworkWeights.Import(target, File("net-bf16.safetensors"));
        var expected = source.state_dict();
        foreach (var (name, tensor) in target.state_dict())
        {
            TensorAssert.Close(tensor, expected[name], relative: 1.0 / 128, name); // bfloat16 keeps 8 significant bits
        }
        using var file = NewDisposeScope();
        Assert.Equal(ScalarType.BFloat16, NetworkWeights.Read(File("net-bf16.safetensors"))["f1.conv1.conv.weight"].dtype);
        Assert.Equal(ScalarType.Int64, NetworkWeights.Read(File("net-bf16.safetensors"))["f1.conv1.bn.num_batches_tracked"].dtype);
    }

    [Fact]
    public void Export_ToAnExistingFile_ReplacesIt()
    {
        using var wide = InteropNetworks.Small(1, ModelConfig.Small with { Fc = 128 });
        using var source = InteropNetworks.Small(3);
        using var target = InteropNetworks.Small(4);
        NetworkWeights.Export(wide, File("net.safetensors"));
        NetworkWeights.Export(source, File("net.safetensors"));
        NetworkWeights.Import(target, File("net.safetensors"));
        Assert.True(InteropNetworks.SameState(source, target));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Import_MissingTensor_FailsNamingItAndChangesNothing()
    {
        using var source = InteropNetworks.Small(1);
        var tensors = source.state_dict().Where(kv => kv.Key != "f2.conv3.bn.running_var").ToDictionary();
        Safetensors.SaveStateDict(File("missing.safetensors"), tensors);
        AssertRefused(File("missing.safetensors"), "the tensor 'f2.conv3.bn.running_var' (Float32 [48]) is missing from the file");
    }

    [Fact]
    public void Import_ExtraTensor_FailsNamingItAndChangesNothing()
    {
        using var source = InteropNetworks.Small(1);
        using var extra = zeros(3);
        var tensors = source.state_dict().ToDictionary();
        tensors["f1.head.weight"] = extra;
        PyTorchPickler.PickleStateDict(File("extra.pt"), tensors);
        AssertRefused(File("extra.pt"), "the file has a tensor 'f1.head.weight' (Float32 [3]) that the network does not have");
    }

    [Fact]
    public void Import_MisShapedTensor_FailsNamingTheFirstAndChangesNothing()
    {
        using var other = InteropNetworks.Small(1, ModelConfig.Small with { Conv3 = 40 });
        NetworkWeights.Export(other, File("other.safetensors"));
        AssertRefused(File("other.safetensors"), "the tensor 'f1.conv3.conv.weight' is Float32 [40, 32, 3, 3] in the file, but the network's is Float32 [48, 32, 3, 3]");
    }

    [Fact]
    public void Import_NotAWeightsFile_FailsWithOneLineAndChangesNothing()
    {
        System.IO.File.WriteAllText(File("notes.safetensors"), "these are not weights, just some text that is long enough");
        var error = AssertRefused(File("notes.safetensors"), "is not a readable safetensors file");
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Import_NoSuchFile_Throws()
    {
        using var net = InteropNetworks.Small(1);
        Assert.Throws<FileNotFoundException>(() => NetworkWeights.Import(net, File("nothing.safetensors")));
    }

    private InvalidDataException AssertRefused(string path, string expected)
    {
        using var target = InteropNetworks.Small(5);
        using var before = InteropNetworks.Small(5);
        var error = Assert.Throws<InvalidDataException>(() => NetworkWeights.Import(target, path));
        Assert.Contains(expected, error.Message);
        Assert.True(InteropNetworks.SameState(before, target), "the refused import changed the network");
        return error;
    }
}
