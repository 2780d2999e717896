using SplitBrain.Interop;
using SplitBrain.Tests.Support;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Interop;

/// <summary>The course's network and its PyTorch mirror (<c>interop/pytorch/splitbrain.py</c>) give the same logits for the
/// same weights, whichever side wrote the file. Skipped where no Python with torch is installed.</summary>
// Its networks are drawn from torch's global generator (InteropNetworks.Small seeds it): run alone, so that a test in
// parallel cannot draw in between and make two networks of one seed differ.
[Collection(SplitBrain.Tests.Models.GlobalGeneratorCollection.Name)]
public sealed class PyTorchMirrorTests : IDisposable
{
    // Two libtorch builds (2.10 here, Debian's 1.13 there) sum in other orders: float32 rounding, far below a wrong layer.
    private const double Float32Tolerance = 1e-4;

    private readonly string _folder = Directory.CreateTempSubdirectory("splitbrain-mirror-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string name) => Path.Combine(_folder, name);

    [Fact]
    public void Export_LoadedInPyTorch_GivesTheSameLogits()
    {
        Assert.SkipWhen(PythonTorch.Interpreter is null, PythonTorch.SkipReason);
        using var scope = NewDisposeScope();
        using var net = InteropNetworks.Small(11);
        (string Name, WeightFormat Format)[] files =
            [("net.safetensors", WeightFormat.SafetensorsFloat32), ("net.pt", WeightFormat.PyTorch), ("net-bf16.safetensors", WeightFormat.SafetensorsBFloat16)];
        foreach (var (name, format) in files)
            NetworkWeights.Export(net, File(name), format);
        var (l, ab) = WriteInputs();
        PythonTorch.Run("check_mirror.py", ["forward", "--inputs", File("inputs.safetensors"),
            "--weights", .. files.Select(f => File(f.Name)), "--out", .. files.Select(f => File(f.Name + ".out"))]);
        foreach (var (name, format) in files)
        {
            if (format == WeightFormat.SafetensorsBFloat16)
                NetworkWeights.Import(net, File(name)); // the course's side runs the same rounded weights as PyTorch's
            var (f1, f2) = InteropNetworks.Outputs(net, l, ab);
            var python = Safetensors.LoadStateDict(File(name + ".out"));
            TensorAssert.Close(python["f1"], f1, Float32Tolerance, $"F1 logits from {name}");
            TensorAssert.Close(python["f2"], f2, Float32Tolerance, $"F2 logits from {name}");
        }
    }

    [Fact]
    public void PyTorchWrittenFiles_ImportedIntoTheCourse_GiveTheSameLogits()
    {
        Assert.SkipWhen(PythonTorch.Interpreter is null, PythonTorch.SkipReason);
        using var scope = NewDisposeScope();
        var (l, ab) = WriteInputs();
        PythonTorch.Run("check_mirror.py", ["make", "--prefix", File("py"), "--seed", "5", "--inputs", File("inputs.safetensors")]);
        foreach (var name in new[] { "py", "py.pt", "py-bf16" })
        {
            var weights = File(name.EndsWith(".pt", StringComparison.Ordinal) ? name : name + ".safetensors");
            using var net = InteropNetworks.Small(12);
            NetworkWeights.Import(net, weights);
            Assert.Equal(7L, net.state_dict()["f2.conv4.bn.num_batches_tracked"].item<long>());
            var (f1, f2) = InteropNetworks.Outputs(net, l, ab);
            var python = Safetensors.LoadStateDict(File(name + ".out.safetensors"));
            TensorAssert.Close(f1, python["f1"], Float32Tolerance, $"F1 logits from {name}");
            TensorAssert.Close(f2, python["f2"], Float32Tolerance, $"F2 logits from {name}");
        }
    }

    private (Tensor L, Tensor Ab) WriteInputs()
    {
        var (l, ab) = InteropNetworks.Inputs(3);
        Safetensors.SaveStateDict(File("inputs.safetensors"), new Dictionary<string, Tensor> { ["l"] = l, ["ab"] = ab });
        return (l, ab);
    }
}
