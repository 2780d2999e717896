namespace SplitBrain.Data;

/// <summary>
/// Where STL-10's binary release is downloaded from and what it must hash to: the archive's address, size and MD5,
/// and the size and MD5 of each file inside it.
/// </summary>
/// <param name="Url">The address of <c>stl10_binary.tar.gz</c>.</param>
/// <param name="ArchiveSize">The archive's size in bytes, or null to take the server's.</param>
/// <param name="ArchiveMd5">The archive's MD5, or null to check its size only.</param>
/// <param name="FileMd5">MD5 of files of the release by name (those not listed are checked for presence only).</param>
/// <param name="FileSizes">Size of files of the release by name (those not listed are not size-checked).</param>
/// <remarks>
/// <see cref="Official"/> is the release on the authors' server. A mirror (or a test server) is described by a source
/// of its own: <c>Stl10Source.Official with { Url = mirror }</c> keeps all the hashes.
/// </remarks>
public sealed record Stl10Source(
    Uri Url,
    long? ArchiveSize,
    string? ArchiveMd5,
    IReadOnlyDictionary<string, string> FileMd5,
    IReadOnlyDictionary<string, long> FileSizes)
{
    /// <summary>
    /// The official release: <c>http://ai.stanford.edu/~acoates/stl10/stl10_binary.tar.gz</c>.
    /// </summary>
    /// <remarks>
    /// The MD5s are those torchvision checks (pytorch/vision, <c>torchvision/datasets/stl10.py</c>: <c>tgz_md5</c>,
    /// <c>train_list</c>, <c>test_list</c>). The file sizes follow from the format (27 648 bytes per image, one label
    /// byte per image; 5 000 train, 8 000 test, 100 000 unlabeled images). The archive's size, 2 640 397 119 bytes, is
    /// not published by the authors; it was measured on a download whose MD5 matched torchvision's.
    /// </remarks>
    public static Stl10Source Official { get; } = new(
        new Uri("http://ai.stanford.edu/~acoates/stl10/stl10_binary.tar.gz"),
        2_640_397_119,
        "91f7769df0f17e558f3565bffb0c7dfb",
        new Dictionary<string, string>
        {
            ["train_X.bin"] = "918c2871b30a85fa023e0c44e0bee87f",
            ["train_y.bin"] = "5a34089d4802c674881badbb80307741",
            ["unlabeled_X.bin"] = "5242ba1fed5e4be9e1e742405eb56ca4",
            ["test_X.bin"] = "7f263ba9f9e0b06b93213547f721ac82",
            ["test_y.bin"] = "36f9794fa4beb8a2c72628de14fa638e",
        },
        new Dictionary<string, long>
        {
            ["train_X.bin"] = 5_000L * Stl10Dataset.ImageBytes,
            ["train_y.bin"] = 5_000,
            ["unlabeled_X.bin"] = 100_000L * Stl10Dataset.ImageBytes,
            ["test_X.bin"] = 8_000L * Stl10Dataset.ImageBytes,
            ["test_y.bin"] = 8_000,
        });

    /// <summary>Every file the release must contain.</summary>
    public static IReadOnlyList<string> RequiredFiles { get; } =
        ["train_X.bin", "train_y.bin", "test_X.bin", "test_y.bin", "unlabeled_X.bin", "class_names.txt", "fold_indices.txt"];
}
