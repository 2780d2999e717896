using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Models;

/// <summary>The floating-point precision a run computes in (a config's <c>Precision</c>): see <see cref="Autocast"/>.</summary>
public enum Precision
{
    /// <summary>The faster precision. Pretraining times both once per machine, network, batch, threads and device and
    /// keeps the choice (<c>SplitBrain.Runs.PrecisionProbe</c>): a CPU flag says bfloat16 exists, not that it is faster
    /// (on an Intel Xeon with <c>avx512_bf16</c> it was 15-20% slower). Elsewhere (<see cref="Precisions.Resolve"/>, used by
    /// evaluation and fine-tuning): bfloat16 where the hardware computes it natively, else float32.</summary>
    Auto,

    /// <summary>float32 throughout.</summary>
    Float32,

    /// <summary>Convolutions and matrix products in bfloat16, with float32 master weights, BatchNorm statistics, losses and
    /// metrics (<see cref="Autocast"/>). On a CPU without bfloat16 instructions it computes correctly, only slowly.</summary>
    BFloat16,
}

/// <summary>Turns a <see cref="Precision"/> into the element type a device computes in.</summary>
public static class Precisions
{
    private static readonly Lazy<IReadOnlySet<string>> Flags = new(ReadCpuFlags);
    private static readonly Lazy<string> Model = new(() => CpuInfoField("model name") ?? RuntimeInformation.ProcessArchitecture.ToString());

    /// <summary>Whether this machine's CPU has bfloat16 instructions (<c>avx512_bf16</c> or <c>amx_bf16</c> in
    /// <c>/proc/cpuinfo</c>; false where there is no such file).</summary>
    public static bool CpuSupportsBFloat16 => Flags.Value.Contains("avx512_bf16") || Flags.Value.Contains("amx_bf16");

    /// <summary>The CPU's model name (<c>model name</c> in <c>/proc/cpuinfo</c>, e.g. <c>AMD EPYC 9B45</c>), or the
    /// processor architecture where there is no such file.</summary>
    public static string CpuModel => Model.Value;

    /// <summary>Which of <paramref name="names"/> the CPU reports among its <c>/proc/cpuinfo</c> flags (none where there is
    /// no such file), e.g. <c>avx512_bf16</c>, <c>amx_bf16</c>, <c>avx512_fp16</c>.</summary>
    /// <param name="names">Flag names.</param>
    public static IReadOnlyList<string> CpuFlags(params string[] names) => [.. names.Where(Flags.Value.Contains)];

    /// <summary>
    /// The element type <paramref name="precision"/> computes in on <paramref name="device"/>: <see cref="Precision.Auto"/>
    /// is bfloat16 on a CPU with bfloat16 instructions and on a CUDA device that runs a bfloat16 matrix product and
    /// convolution (compute capability 8.0 and later; tried once per device), float32 elsewhere.
    /// </summary>
    /// <param name="precision">The request.</param>
    /// <param name="device">The device that computes.</param>
    /// <returns><see cref="ScalarType.Float32"/> or <see cref="ScalarType.BFloat16"/>.</returns>
    public static ScalarType Resolve(Precision precision, Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return precision switch
        {
            Precision.Float32 => ScalarType.Float32,
            Precision.BFloat16 => ScalarType.BFloat16,
            _ => HasNativeBFloat16(device) ? ScalarType.BFloat16 : ScalarType.Float32,
        };
    }

    /// <summary>The name people read for an element type: <c>float32</c>, <c>bfloat16</c>.</summary>
    /// <param name="type">The element type.</param>
    public static string Name(ScalarType type) => type switch
    {
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float32 => "float32",
        _ => type.ToString().ToLowerInvariant(),
    };

    /// <summary>Whether <paramref name="device"/> computes bfloat16 in hardware: a CPU with bfloat16 instructions
    /// (<see cref="CpuSupportsBFloat16"/>), a CUDA device that runs a bfloat16 matrix product and convolution. Says only
    /// that bfloat16 can be fast, not that it is faster than float32: only timing tells (<c>SplitBrain.Runs.PrecisionProbe</c>).</summary>
    /// <param name="device">The device.</param>
    public static bool HasNativeBFloat16(Device device) => device.type switch
    {
        DeviceType.CPU => CpuSupportsBFloat16,
        DeviceType.CUDA => CudaRunsBFloat16(device),
        _ => false,
    };

    // TorchSharp 0.107 has no is_bf16_supported or device capability: a GPU before compute capability 8.0 has no
    // bfloat16 matrix units, and cuBLAS refuses the product there, so one small product and convolution tell.
    private static bool CudaRunsBFloat16(Device device)
    {
        try
        {
            using var scope = NewDisposeScope();
            var a = ones([16, 16], ScalarType.BFloat16, device);
            var product = a.matmul(a);
            var image = ones([1, 16, 8, 8], ScalarType.BFloat16, device);
            var convolved = nn.functional.conv2d(image, ones([16, 16, 3, 3], ScalarType.BFloat16, device));
            return product[0, 0].item<BFloat16>() == (BFloat16)16f && convolved.shape[1] == 16;
        }
        catch (Exception e) when (e is ExternalException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    private static IReadOnlySet<string> ReadCpuFlags() =>
        CpuInfoField("flags") is { } line
            ? new HashSet<string>(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal)
            : new HashSet<string>();

    // The value of the first "name : value" line of /proc/cpuinfo with that name; null without the file or the line.
    private static string? CpuInfoField(string name)
    {
        try
        {
            if (!File.Exists("/proc/cpuinfo"))
                return null;
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && line[..colon].Trim() == name)
                    return line[(colon + 1)..].Trim();
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
