using SplitBrain.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Models;

/// <summary>
/// Every convolution the sub-networks run, one layer at a time, at the training shapes (96 x 96 images, the presets'
/// batches), in the layout the network gives it (<c>ChannelsLast.ForLayer</c>), by the kernel the network calls
/// (<c>PointwiseConvolution.Convolve</c>: oneDNN's convolution, or for 1 x 1 layers a matrix product) and in both
/// precisions: its output and its
/// gradients (with respect to the input and the weights) against float64, which libtorch computes with its own plain
/// kernels. oneDNN picks a kernel by shape, layout, type and thread count, and some of them are wrong on some CPUs
/// (lib/Models/ChannelsLast.cs): a whole-network comparison can miss one whose errors depend on stale memory, this cannot.
/// </summary>
public class ConvolutionKernelsTests
{
    public static TheoryData<string, int, int, int> Layers => new()
    {
        { "small", 1, 313, 32 },   // F1 and F2 of PretrainConfig.Small, its batch
        { "small", 2, 100, 32 },
        { "default", 1, 313, 16 }, // the default widths (fc 512)
        { "default", 2, 100, 16 },
    };

    private static double Relative(Tensor got, Tensor want)
    {
        using var scope = NewDisposeScope();
        return (got.to_type(ScalarType.Float64) - want).norm().item<double>() / Math.Max(want.norm().item<double>(), 1e-30);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void EveryLayer_ForwardAndBackward_MatchFloat64_InBothPrecisions(string widths, int inChannels, int bins, int batch)
    {
        var config = widths == "small" ? ModelConfig.Small : ModelConfig.Default;
        using var generator = new Generator(11);
        var side = 96;
        var problems = new List<string>();
        foreach (var spec in LayerSpec.HalfAlexNet(config, inChannels, bins))
        {
            var input = side;
            side = spec.OutputSize(side);
            if (spec.Kind == LayerKind.MaxPool)
                continue;
            using var scope = NewDisposeScope();
            var x = randn([batch, spec.InChannels, input, input], generator: generator);
            var w = randn([spec.OutChannels, spec.InChannels, spec.Kernel, spec.Kernel], generator: generator)
                .div_(Math.Sqrt(spec.InChannels * spec.Kernel * spec.Kernel));
            var gradient = randn([batch, spec.OutChannels, side, side], generator: generator);
            long[] stride = [spec.Stride, spec.Stride], padding = [spec.Padding, spec.Padding];

            var x64 = x.to_type(ScalarType.Float64).requires_grad_(true);
            var w64 = w.to_type(ScalarType.Float64).requires_grad_(true);
            var y64 = nn.functional.conv2d(x64, w64, strides: stride, padding: padding);
            y64.backward([gradient.to_type(ScalarType.Float64)]);

            // float32 rounds a sum of a few thousand products to about 1e-6 of its size, bfloat16's 8-bit inputs to about
            // 3e-3 (measured); a wrong kernel was off by 14% to 10^18.
            foreach (var (autocast, bound) in new[] { (ScalarType.Float32, 1e-4), (ScalarType.BFloat16, 2e-2) })
            {
                var type = spec.ComputeType(autocast); // as the network runs the layer
                var xi = ChannelsLast.ForLayer(x.to_type(type), spec.Kernel).detach().requires_grad_(true);
                var wi = w.to_type(type).detach().requires_grad_(true);
                var y = PointwiseConvolution.Convolve(xi, wi, null, stride, padding, [1, 1], 1); // 1 x 1: a matrix product

                y.backward([gradient.to_type(type)]);
                var errors = new List<(string What, double Error)> { ("output", Relative(y, y64)), ("weight gradient", Relative(wi.grad!, w64.grad!)) };
                if (spec.Name != "conv1") // the images need no gradient
                    errors.Add(("input gradient", Relative(xi.grad!, x64.grad!)));
                problems.AddRange(errors.Where(e => !(e.Error < bound))
                    .Select(e => $"{spec.Name} ({spec.InChannels} -> {spec.OutChannels}, {spec.Kernel} x {spec.Kernel}) in {type} (network in {autocast}): {e.What} {e.Error:G2} from float64"));
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
