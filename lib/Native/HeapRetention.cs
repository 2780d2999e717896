using System.Runtime.InteropServices;

namespace SplitBrain.Native;

/// <summary>
/// Keeps glibc's allocator from handing a training step's memory back to the kernel between steps. Each step frees its
/// activations and gradients (hundreds of MB) and allocates them again; by default glibc then shrinks the heap (and maps
/// blocks over a threshold that moves with what was freed straight from the kernel), so the next step takes the pages
/// back one fault at a time, each zeroed by the kernel.
/// </summary>
/// <remarks>
/// Measured with <c>tools/benchmark.cs</c> (AMD Zen 5, bfloat16, batch 64, one thread, a busy machine): repeating one
/// batch, 33 851 minor page faults a step and 19.5 images/s by default; with the heap kept (these settings, then through
/// <c>GLIBC_TUNABLES</c>) 874 faults a step and 47.0 images/s, with a lower peak resident memory (606 against 735 MB).
/// The settings: no trimming of the heap's top, a fixed mapping threshold of 32 MiB (glibc's largest; every tensor of the
/// default network at batch 64 is below it) and 64 MiB of padding when the heap grows. Linux with glibc only; elsewhere
/// nothing happens.
/// </remarks>
internal static class HeapRetention
{
    private const int TrimThreshold = -1, TopPad = -2, MmapThreshold = -3; // mallopt's M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD
    private static int s_applied;

    /// <summary>Applies the settings once per process.</summary>
    /// <returns>Whether glibc took them (false on another C library or system, or on a later call).</returns>
    internal static bool Apply()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref s_applied, 1) == 1)
            return false;
        try
        {
            return mallopt(TrimThreshold, int.MaxValue) == 1 & mallopt(MmapThreshold, 32 << 20) == 1 & mallopt(TopPad, 64 << 20) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc (e.g. musl): its allocator behaves otherwise
        }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
