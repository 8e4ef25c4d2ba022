namespace MysqlAgent.Archive.Binlogs;

/// <summary>A local binlog file the server no longer writes, and where it ends: the next file's start.</summary>
public sealed record ClosedBinlog(LocalBinlog File, BinlogCoverage End);
