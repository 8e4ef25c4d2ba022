namespace MysqlAgent.Archive.Binlogs;

/// <summary>One binlog file of the local server, as <c>SHOW BINARY LOGS</c> lists it, with where it starts.</summary>
/// <param name="Name">The file name (<c>mysql-bin.000007</c>).</param>
/// <param name="Path">Where the agent reads it.</param>
/// <param name="Bytes">Its size as the server reported it.</param>
/// <param name="Start">Its GTID-list event: everything the server had written before it.</param>
public sealed record LocalBinlog(string Name, string Path, long Bytes, BinlogCoverage Start);
