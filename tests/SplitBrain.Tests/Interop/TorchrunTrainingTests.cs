using System.Net;
using System.Net.Sockets;
using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Interop;
using SplitBrain.Models;
using SplitBrain.Tests.Evaluation;
using SplitBrain.Training;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Interop;

/// <summary>
/// The round trip of <c>interop/pytorch/train_ddp.py</c>: a course run's weights exported, trained a few steps by two gloo
/// processes under torchrun on PNGs of the same synthetic images, imported back as a run, and probed. Skipped where no
/// Python with torch is installed.
/// </summary>
public sealed class TorchrunTrainingTests(PretrainedRuns runs, ITestOutputHelper output) : IClassFixture<PretrainedRuns>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void TrainDdp_TwoGlooProcesses_WritesWeightsTheCourseImportsAndProbes()
    {
        Assert.SkipWhen(PythonTorch.Interpreter is null, PythonTorch.SkipReason);
        var folder = Path.Combine(runs.Folder, "torchrun");
        var pngs = Path.Combine(folder, "png");
        var synthetic = runs.Config.Data.Synthetic!;
        SyntheticFolder.Write(synthetic, DatasetSplit.Unlabeled, 32, pngs);
        using (var pretrained = runs.Pretrained.LoadModel())
            NetworkWeights.Export(pretrained, Path.Combine(folder, "init.safetensors"));

        var log = PythonTorch.Execute(PythonTorch.Interpreter!,
        [
            "-m", "torch.distributed.run", "--nnodes", "1", "--nproc_per_node", "2", "--master_port", FreePort().ToString(),
            "--redirects", "1", "--tee", "1", // torch 1.13 under Python 3.11 fails on the default "0" (interop/pytorch/README.md)
            "train_ddp.py", "--data", pngs, "--init", Path.Combine(folder, "init.safetensors"), "--out", Path.Combine(folder, "trained.safetensors"),
            "--steps", "3", "--batch", "4", "--image-size", synthetic.ImageSize.ToString(), "--threads", "1", "--log-every", "1",
        ], timeoutSeconds: 180);
        output.WriteLine(log.Output);
        Assert.True(log.Code == 0, log.Output);
        Assert.Contains("train_ddp: 2 process(es), gloo on cpu, 32 images", log.Output);
        Assert.Contains("step 3/3 loss", log.Output);

        var imported = runs.Run("imported-from-torchrun");
        ImportedRuns.Create(runs.Pretrained, Path.Combine(folder, "trained.safetensors"), imported);
        using var scope = NewDisposeScope();
        using var net = imported.LoadModel();
        using var before = runs.Pretrained.LoadModel();
        var file = NetworkWeights.Read(Path.Combine(folder, "trained.safetensors"));
        Assert.True(net.state_dict()["f1.conv2.conv.weight"].equal(file["f1.conv2.conv.weight"]).all().item<bool>());
        Assert.False(net.state_dict()["f1.conv2.conv.weight"].equal(before.state_dict()["f1.conv2.conv.weight"]).all().item<bool>(),
            "three steps of training changed nothing");
        Assert.Equal(before.state_dict()["f1.fc7.bn.num_batches_tracked"].item<long>() + 3, net.state_dict()["f1.fc7.bn.num_batches_tracked"].item<long>());

        using var train = new SyntheticShapes(synthetic, DatasetSplit.Train);
        using var test = new SyntheticShapes(synthetic, DatasetSplit.Test);
        var curve = LinearProbes.Run(net, train, test, [FeatureLayer.Conv5], LinearProbeConfig.Fast with { Epochs = 2 }, cancellationToken: Token);
        output.WriteLine(curve.ToString());
        Assert.InRange(curve.Best.TestAccuracy, 0.0, 1.0);
        Assert.Equal(synthetic.TestCount, curve.Layers.Single().Test.Count);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
