using System.Buffers.Binary;

namespace MysqlAgent.Archive.Binlogs;

/// <summary>
/// The timestamps of a binlog file's first and last events, read from the v4 event headers (4-byte
/// magic, then per event: timestamp, type, server id, size, next position, flags). A closed file's
/// last event is the rotate that closed it. An encrypted file (MariaDB's Start_encryption event,
/// MySQL's encrypted header) or a header that does not add up falls back to the file's
/// modification time, which for a closed binlog is its rotation.
/// </summary>
public static class BinlogEventTimes
{
    private const int HeaderBytes = 19;
    private const byte StartEncryptionEvent = 164;
    private static readonly byte[] Magic = [0xfe, (byte)'b', (byte)'i', (byte)'n'];

    public static (DateTimeOffset First, DateTimeOffset Last) Read(string path)
    {
        var modified = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
        using var file = new FileStream(
            path,
            FileMode.Open,
            FileAccess.Read,
            FileShare.ReadWrite | FileShare.Delete,
            bufferSize: 1 << 16
        );
        var length = file.Length;
        Span<byte> header = stackalloc byte[HeaderBytes];
        if (length < Magic.Length + HeaderBytes)
        {
            return (modified, modified);
        }

        ReadAt(file, 0, header[..Magic.Length]);
        if (!header[..Magic.Length].SequenceEqual(Magic))
        {
            return (modified, modified);
        }

        DateTimeOffset? first = null;
        DateTimeOffset last = modified;
        long position = Magic.Length;
        while (position + HeaderBytes <= length)
        {
            ReadAt(file, position, header);
            var at = DateTimeOffset.FromUnixTimeSeconds(
                BinaryPrimitives.ReadUInt32LittleEndian(header)
            );
            var size = BinaryPrimitives.ReadUInt32LittleEndian(header[9..]);
            if (size < HeaderBytes || position + size > length)
            {
                break;
            }

            first ??= at;
            last = at;
            if (header[4] == StartEncryptionEvent)
            {
                return (first.Value, modified);
            }

            position += size;
        }

        return (first ?? modified, first is null ? modified : last);
    }

    private static void ReadAt(FileStream file, long position, Span<byte> buffer)
    {
        file.Position = position;
        file.ReadExactly(buffer);
    }
}
