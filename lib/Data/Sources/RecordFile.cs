using Microsoft.Win32.SafeHandles;

namespace SplitBrain.Data;

/// <summary>
/// A file of fixed-size records (raw images) read by positional reads, so a 2.7 GB file is never loaded whole and
/// several threads can read it at once (<see cref="RandomAccess"/> reads carry their own offset, no shared position).
/// </summary>
/// <remarks>
/// Positional reads rather than a memory map: a batch gathers scattered records into one tensor anyway, which is one
/// copy either way, and reads report I/O errors as exceptions where a mapped page fault would crash the process.
/// The operating system's page cache keeps hot records in memory across epochs.
/// </remarks>
internal sealed class RecordFile : IDisposable
{
    private readonly SafeFileHandle _handle;

    /// <summary>Opens <paramref name="path"/> for reading records of <paramref name="recordBytes"/> bytes that start
    /// at <paramref name="firstRecordOffset"/>.</summary>
    internal RecordFile(string path, long recordBytes, long firstRecordOffset, long count)
    {
        Path = path;
        RecordBytes = recordBytes;
        FirstRecordOffset = firstRecordOffset;
        Count = count;
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
    }

    internal string Path { get; }

    internal long RecordBytes { get; }

    internal long FirstRecordOffset { get; }

    internal long Count { get; }

    /// <summary>Copies record <paramref name="record"/> into <paramref name="destination"/> (exactly RecordBytes long).</summary>
    internal void Read(long record, Span<byte> destination)
    {
        var offset = FirstRecordOffset + record * RecordBytes;
        var done = 0;
        while (done < destination.Length)
        {
            var read = RandomAccess.Read(_handle, destination[done..], offset + done);
            if (read == 0)
            {
                // The file shrank after it was opened and checked (e.g. a download overwrote it).
                throw new InvalidDataException(
                    $"'{Path}' ended at byte {offset + done} while reading record {record} "
                    + $"({RecordBytes} bytes at offset {offset}); the file was truncated after it was opened.");
            }

            done += read;
        }
    }

    public void Dispose() => _handle.Dispose();
}
