using System.Globalization;
using System.Net;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Display;

/// <summary>
/// How a tensor looks when a notebook cell returns one: its shape, dtype and device, then its values if it is small
/// or a summary (min, mean, max) if it is large. Without it a kernel lists the tensor's properties, which is
/// unreadable and can be slow.
/// </summary>
public static class TensorFormatting
{
    /// <summary>Tensors with at most this many elements show their values.</summary>
    public const int MaxValuesShown = 64;

    /// <summary>Registers the tensor formatter in the running kernel; false outside a kernel.</summary>
    public static bool Register() => KernelBridge.RegisterFormatter(typeof(Tensor),
        t => "<pre style=\"font-size:12px\">" + WebUtility.HtmlEncode(Describe((Tensor)t)) + "</pre>",
        t => Describe((Tensor)t));

    /// <summary>A short description: header line, then values or a summary.</summary>
    /// <param name="tensor">Any tensor (not modified, not disposed).</param>
    public static string Describe(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.IsInvalid) return "tensor (disposed)";
        var header = $"tensor [{string.Join(", ", tensor.shape)}] {tensor.dtype} on {tensor.device}";
        if (tensor.numel() == 0) return header + " (empty)";
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var values = tensor.detach().cpu();
        if (values.numel() <= MaxValuesShown)
            return header + "\n" + values.ToString(TorchSharp.TensorStringStyle.Numpy);
        if (!values.is_floating_point() && values.dtype != ScalarType.Bool) values = values.to_type(ScalarType.Float64);
        if (values.dtype == ScalarType.Bool) values = values.to_type(ScalarType.Float64);
        var min = values.min().ToDouble();
        var max = values.max().ToDouble();
        var mean = values.to_type(ScalarType.Float64).mean().ToDouble();
        return header + string.Create(CultureInfo.InvariantCulture, $"\nmin {min:G5}  mean {mean:G5}  max {max:G5}");
    }
}
