namespace MysqlAgent.Backup.Protocol;

/// <summary>
/// The body of <c>GET /backup</c>, framed so that a receiver can tell a complete stream from one cut
/// at any byte (HTTP/1.1 has no trailers in Kestrel):
/// <code>
///   data frame: 'D' | uint32 big-endian length (1..MaxFrame) | payload (xbstream bytes)
///   lz4 frame:  'L' | uint32 big-endian length | uint32 big-endian payload length | LZ4 block
///   zstd frame: 'Z' | uint32 big-endian length | uint32 big-endian payload length | zstd frame
///   end frame:  'E' | uint32 big-endian length | UTF-8 JSON BackupStreamTrailer
/// </code>
/// Exactly one end frame closes the body; nothing may follow it. The end frame's byte count and
/// checksum cover the uncompressed payload (the xbstream), whatever the frames' compression.
/// </summary>
public static class BackupStreamFormat
{
    public const string ContentType = "application/vnd.mysql-agent.backup-stream";
    public const string Path = "/backup";

    /// <summary>The donor names its backup tool here, so the clone picks the matching extractor.</summary>
    public const string BackupToolHeader = "X-Backup-Tool";
    public const byte DataFrame = (byte)'D';
    public const byte EndFrame = (byte)'E';
    public const byte Lz4Frame = (byte)'L';
    public const byte ZstdFrame = (byte)'Z';

    /// <summary>Response header: the datadir's size in bytes on the donor, for the clone's progress estimate.</summary>
    public const string DataDirBytesHeader = "X-Backup-Datadir-Bytes";
    public const int HeaderLength = 5;

    /// <summary>Large frames keep the copy near the local limit (ncat's 8 KB pieces are what make the example slow).</summary>
    public const int MaxFrame = 1 << 20;

    /// <summary>An end frame's JSON is small; anything larger is a corrupt stream, not a trailer.</summary>
    public const int MaxTrailer = 64 * 1024;
}
