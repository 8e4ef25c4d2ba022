namespace MysqlAgent.Archive.Binlogs;

/// <summary>
/// One archived binlog to replay and the position reached before it: the replay starts after
/// <see cref="From"/>, so the events the file shares with what is already applied are skipped.
/// </summary>
public sealed record BinlogChainStep(BinlogManifest File, BinlogCoverage From);
