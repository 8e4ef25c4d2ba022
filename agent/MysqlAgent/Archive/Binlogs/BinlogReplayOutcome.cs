namespace MysqlAgent.Archive.Binlogs;

/// <summary>Where a replay left the datadir: its GTID position and its own binlog's end.</summary>
public sealed record BinlogReplayOutcome(
    BinlogCoverage Reached,
    string BinlogFile,
    long BinlogPosition
);
