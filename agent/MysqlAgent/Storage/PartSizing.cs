namespace MysqlAgent.Storage;

/// <summary>
/// The part sizes of a multipart upload. S3 allows at most 10,000 parts, each but the last at least
/// 5 MiB. The first part size spreads the expected size over <see cref="PlannedParts"/> parts, so an
/// estimate that is off by 5x still fits; and the size doubles every <see cref="DoublingEvery"/>
/// parts, so even an upload far beyond its estimate (or with none) never reaches the limit.
/// </summary>
public static class PartSizing
{
    public const int MaxParts = 10_000;
    public const long MinPartBytes = 5L << 20;

    /// <summary>Without an estimate, start at 32 MiB: about 1.9 TiB in 10,000 parts.</summary>
    public const long DefaultPartBytes = 32L << 20;

    /// <summary>Parts an upload of the expected size takes (a fifth of the limit).</summary>
    public const int PlannedParts = 2_000;

    public const int DoublingEvery = 2_000;

    /// <summary>The largest part: a buffer of this size is held in memory while it uploads.</summary>
    public const long MaxPartBytes = 1L << 30;

    /// <summary>Size of the first part, a multiple of 1 MiB.</summary>
    public static long FirstPart(long? expectedBytes, long minPartBytes = MinPartBytes)
    {
        var min = Math.Max(minPartBytes, 1);
        if (expectedBytes is not { } expected || expected <= 0)
        {
            return Math.Max(min, DefaultPartBytes);
        }

        var spread = (expected + PlannedParts - 1) / PlannedParts;
        var mib = 1L << 20;
        var rounded = (spread + mib - 1) / mib * mib;
        return Math.Clamp(rounded, min, MaxPartBytes);
    }

    /// <summary>Size of part <paramref name="partNumber"/> (1-based) when the first is <paramref name="firstPart"/>.</summary>
    public static long Part(long firstPart, int partNumber)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partNumber, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partNumber, MaxParts);
        var doublings = (partNumber - 1) / DoublingEvery;
        var size = firstPart;
        for (var i = 0; i < doublings && size < MaxPartBytes; i++)
        {
            size *= 2;
        }

        return Math.Min(size, Math.Max(MaxPartBytes, firstPart));
    }

    /// <summary>The most an upload starting at <paramref name="firstPart"/> can hold in 10,000 parts.</summary>
    public static long Capacity(long firstPart)
    {
        long total = 0;
        for (var part = 1; part <= MaxParts; part += DoublingEvery)
        {
            total += Part(firstPart, part) * Math.Min(DoublingEvery, MaxParts - part + 1);
        }

        return total;
    }
}
