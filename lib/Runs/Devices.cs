using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Runs;

/// <summary>
/// Chooses the device the course computes on: the GPU when one is there and asked for, else the CPU.
/// </summary>
/// <remarks>
/// The one device rule of the library: every config's device request goes through <see cref="Resolve"/>, a function of
/// the request and the machine alone (nothing is read from the environment here; the course turns its
/// <c>SPLITBRAIN_DEVICE</c> into the configs' requests). A request is a string so that configs, notebooks and the command
/// line share one vocabulary: <c>auto</c> (CUDA if available, else CPU), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.
/// </remarks>
public static class Devices
{
    /// <summary>The requests <see cref="Resolve"/> understands.</summary>
    public const string Choices = "auto, cpu, cuda or cuda:N";

    /// <summary>True when TorchSharp's native backend has CUDA and sees at least one GPU.</summary>
    public static bool CudaAvailable => cuda.is_available();

    /// <summary>The native backend TorchSharp can use: <c>cuda</c> when it sees a GPU, else <c>cpu</c>.</summary>
    public static string Backend => CudaAvailable ? "cuda" : "cpu";

    /// <summary>Turns a request (<c>auto</c>, <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>) into a device.</summary>
    /// <param name="request">The request.</param>
    /// <exception cref="ArgumentException">The request is none of these, or asks for CUDA where there is none.</exception>
    public static Device Resolve(string request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var normalized = request.Trim().ToLowerInvariant();
        if (normalized is "auto") return CudaAvailable ? CUDA : CPU;
        if (normalized is "cpu") return CPU;
        if (normalized == "cuda" || normalized.StartsWith("cuda:", StringComparison.Ordinal))
        {
            var index = normalized == "cuda" ? 0 : ParseIndex(normalized[5..], request);
            if (!CudaAvailable)
                throw new ArgumentException(
                    $"Device '{request}' was asked for, but TorchSharp sees no CUDA GPU here (backend: {Backend}). " +
                    "Use \"cpu\" or \"auto\" to run on the CPU; on a machine with an NVIDIA GPU, build with the CUDA backend " +
                    "(dotnet build -p:TorchBackend=cuda, or SPLITBRAIN_TORCH_BACKEND=cuda; see environment/GPU.md).", nameof(request));
            if (index >= cuda.device_count())
                throw new ArgumentException(
                    $"Device '{request}': there are only {cuda.device_count()} CUDA devices (cuda:0..cuda:{cuda.device_count() - 1}).", nameof(request));
            return new Device(DeviceType.CUDA, index);
        }
        throw new ArgumentException($"Unknown device '{request}': use {Choices}.", nameof(request));
    }

    /// <summary>
    /// Whether <paramref name="request"/> is one of the requests <see cref="Resolve"/> understands, whatever the machine
    /// has: what a config's <c>Validate()</c> can check before anything runs (CUDA's presence is checked by
    /// <see cref="Resolve"/>).
    /// </summary>
    /// <param name="request">The request.</param>
    public static bool IsKnownRequest(string? request)
    {
        var normalized = request?.Trim().ToLowerInvariant();
        return normalized is "auto" or "cpu" or "cuda"
            || (normalized is not null && normalized.StartsWith("cuda:", StringComparison.Ordinal)
                && int.TryParse(normalized[5..], out var index) && index >= 0);
    }

    private static int ParseIndex(string text, string request) =>
        int.TryParse(text, out var index) && index >= 0
            ? index
            : throw new ArgumentException($"Unknown device '{request}': use {Choices}.", nameof(request));
}
