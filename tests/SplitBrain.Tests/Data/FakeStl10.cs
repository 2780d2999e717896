using SplitBrain.Data;

namespace SplitBrain.Tests.Data;

/// <summary>
/// Writes a small STL-10 release in the real binary layout (planes stored column by column, labels 1..10), with
/// pixel values that make a row/column mix-up visible: value(n, c, y, x) differs from value(n, c, x, y).
/// </summary>
internal static class FakeStl10
{
    public static readonly string[] ClassNames =
        ["airplane", "bird", "car", "cat", "deer", "dog", "horse", "monkey", "ship", "truck"];

    /// <summary>The value of pixel (row y, column x) of channel c of image n of a file (seeded by the file's salt).</summary>
    public static byte Value(int salt, int n, int c, int y, int x) => (byte)(salt * 17 + n * 31 + c * 80 + y * 3 + x * 7 + y * x % 5);

    /// <summary>The label byte stored for image n (1..10).</summary>
    public static byte StoredLabel(int salt, int n) => (byte)((n * 3 + salt) % 10 + 1);

    /// <summary>The bytes of an X file of <paramref name="count"/> images, in STL-10's column-major layout.</summary>
    public static byte[] Images(int salt, int count)
    {
        var bytes = new byte[count * Stl10Dataset.ImageBytes];
        var i = 0;
        for (var n = 0; n < count; n++)
            for (var c = 0; c < 3; c++)
                for (var x = 0; x < 96; x++)       // column by column...
                    for (var y = 0; y < 96; y++)   // ...each column top to bottom
                        bytes[i++] = Value(salt, n, c, y, x);
        return bytes;
    }

    public static byte[] Labels(int salt, int count) => [.. Enumerable.Range(0, count).Select(n => StoredLabel(salt, n))];

    /// <summary>Every file of the release, by name, for a folder or a tar archive.</summary>
    public static Dictionary<string, byte[]> Files(int train = 6, int test = 4, int unlabeled = 5)
    {
        // Fold k holds training images k and k + 1 (mod train): ten folds, as the real file has.
        var folds = string.Join("\n", Enumerable.Range(0, 10).Select(k => $"{k % train} {(k + 1) % train}")) + "\n";
        return new Dictionary<string, byte[]>
        {
            ["train_X.bin"] = Images(1, train),
            ["train_y.bin"] = Labels(1, train),
            ["test_X.bin"] = Images(2, test),
            ["test_y.bin"] = Labels(2, test),
            ["unlabeled_X.bin"] = Images(3, unlabeled),
            ["class_names.txt"] = System.Text.Encoding.UTF8.GetBytes(string.Join("\n", ClassNames) + "\n"),
            ["fold_indices.txt"] = System.Text.Encoding.UTF8.GetBytes(folds),
        };
    }

    /// <summary>Writes the release into <paramref name="parent"/>/stl10_binary and returns that folder.</summary>
    public static string Write(string parent, int train = 6, int test = 4, int unlabeled = 5)
    {
        var folder = Path.Combine(parent, Stl10Dataset.FolderName);
        Directory.CreateDirectory(folder);
        foreach (var (name, bytes) in Files(train, test, unlabeled))
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        return folder;
    }
}
