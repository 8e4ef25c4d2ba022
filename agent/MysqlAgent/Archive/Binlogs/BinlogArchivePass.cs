namespace MysqlAgent.Archive.Binlogs;

/// <summary>What one archiving pass did.</summary>
/// <param name="Uploaded">The files it archived, in order.</param>
/// <param name="Rotated">Whether it rotated the binlog first.</param>
/// <param name="Covered">Everything the archive holds after it.</param>
/// <param name="RecoverableUntil">The newest archived file's last event: a restore reaches up to here; null for an empty archive.</param>
public sealed record BinlogArchivePass(
    IReadOnlyList<BinlogManifest> Uploaded,
    bool Rotated,
    BinlogCoverage Covered,
    DateTimeOffset? RecoverableUntil
);
