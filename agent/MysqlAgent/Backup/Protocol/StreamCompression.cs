using System.Globalization;

namespace MysqlAgent.Backup.Protocol;

public enum StreamCodec
{
    None,
    Lz4,
    Zstd,
}

/// <summary>
/// How the data frames of a backup stream are compressed: <c>none</c>, <c>lz4</c> or
/// <c>zstd[:level]</c>. The donor's <c>--stream-compression</c>, the clone's request
/// (<see cref="QueryParameter"/>) and the donor's answer (<see cref="ResponseHeader"/>) all use
/// this text form.
/// </summary>
public sealed record StreamCompression(StreamCodec Codec, int Level)
{
    public const string QueryParameter = "compression";
    public const string ResponseHeader = "X-Stream-Compression";
    public const int DefaultZstdLevel = 1;
    public const int MaxZstdLevel = 19;

    public static readonly StreamCompression None = new(StreamCodec.None, 0);
    public static readonly StreamCompression Lz4 = new(StreamCodec.Lz4, 0);
    public static readonly StreamCompression Zstd = new(StreamCodec.Zstd, DefaultZstdLevel);

    /// <summary>The default, chosen by the 1 Gbit/s figures in docs/reference/performance.md.</summary>
    public static StreamCompression Default => Zstd;

    public const string Syntax = "none, lz4 or zstd[:level] (level 1 to 19)";

    public static bool TryParse(string? text, out StreamCompression compression)
    {
        compression = None;
        if (text is null)
        {
            return false;
        }

        var parts = text.Trim().ToLowerInvariant().Split(':', 2);
        switch (parts[0])
        {
            case "none" when parts.Length == 1:
                compression = None;
                return true;
            case "lz4" when parts.Length == 1:
                compression = Lz4;
                return true;
            case "zstd" when parts.Length == 1:
                compression = Zstd;
                return true;
            case "zstd":
                if (
                    int.TryParse(
                        parts[1],
                        NumberStyles.None,
                        CultureInfo.InvariantCulture,
                        out var level
                    ) && level is >= 1 and <= MaxZstdLevel
                )
                {
                    compression = new StreamCompression(StreamCodec.Zstd, level);
                    return true;
                }

                return false;
            default:
                return false;
        }
    }

    public override string ToString() =>
        Codec switch
        {
            StreamCodec.Lz4 => "lz4",
            StreamCodec.Zstd when Level == DefaultZstdLevel => "zstd",
            StreamCodec.Zstd => string.Create(CultureInfo.InvariantCulture, $"zstd:{Level}"),
            _ => "none",
        };
}
