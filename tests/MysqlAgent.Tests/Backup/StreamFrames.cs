using System.Buffers.Binary;
using MysqlAgent.Backup.Protocol;

namespace MysqlAgent.Tests.Backup;

/// <summary>Builds and reads backup stream bodies for the protocol tests, plain and compressed.</summary>
internal static class StreamFrames
{
    /// <summary>The body a donor writes for <paramref name="pieces"/>, ended by the tool's exit.</summary>
    public static async Task<byte[]> WriteAsync(
        StreamCompression? compression,
        IEnumerable<byte[]> pieces,
        int? exitCode = 0,
        string? error = null
    )
    {
        var body = new MemoryStream();
        using var writer = new BackupStreamWriter(body, compression);
        foreach (var piece in pieces)
        {
            await writer.WriteAsync(piece, CancellationToken.None);
        }

        await writer.CompleteAsync(exitCode, error, CancellationToken.None);
        Assert.Equal(body.Length, writer.WireBytes);
        return body.ToArray();
    }

    /// <summary>What a clone copies out of <paramref name="body"/>, and the trailer it read.</summary>
    public static async Task<(BackupStreamTrailer Trailer, byte[] Copied)> ReadAsync(byte[] body)
    {
        var copied = new MemoryStream();
        var trailer = await BackupStreamReader.CopyPayloadAsync(
            new MemoryStream(body),
            copied,
            CancellationToken.None
        );
        return (trailer, copied.ToArray());
    }

    public static byte[] Header(byte kind, int length)
    {
        var header = new byte[BackupStreamFormat.HeaderLength];
        header[0] = kind;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), (uint)length);
        return header;
    }

    public static byte[] Frame(byte kind, byte[] payload) =>
        Concat(Header(kind, payload.Length), payload);

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
