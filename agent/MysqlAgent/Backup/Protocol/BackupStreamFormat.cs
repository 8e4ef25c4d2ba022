namespace MysqlAgent.Backup.Protocol;

/// <summary>
/// The body of <c>GET /backup</c>, framed so that a receiver can tell a complete stream from one cut
/// at any byte (HTTP/1.1 has no trailers in Kestrel):
/// <code>
///   data frame: 'D' | uint32 big-endian length (1..MaxFrame) | payload (xbstream bytes)
///   end frame:  'E' | uint32 big-endian length | UTF-8 JSON BackupStreamTrailer
/// </code>
/// Exactly one end frame closes the body; nothing may follow it.
/// </summary>
public static class BackupStreamFormat
{
    public const string ContentType = "application/vnd.mysql-agent.backup-stream";
    public const string Path = "/backup";

    /// <summary>The donor names its backup tool here, so the clone picks the matching extractor.</summary>
    public const string BackupToolHeader = "X-Backup-Tool";
    public const byte DataFrame = (byte)'D';
    public const byte EndFrame = (byte)'E';
    public const int HeaderLength = 5;

    /// <summary>Large frames keep the copy near the local limit (ncat's 8 KB pieces are what make the example slow).</summary>
    public const int MaxFrame = 1 << 20;

    /// <summary>An end frame's JSON is small; anything larger is a corrupt stream, not a trailer.</summary>
    public const int MaxTrailer = 64 * 1024;
}
