using MysqlAgent.Errors;

namespace MysqlAgent.Replication.InfoFiles;

/// <summary>The data directory holds neither binlog-info nor slave-info file: it did not come from a clone.</summary>
public sealed class NoCloneInfoException : AgentException
{
    public NoCloneInfoException(string dataDirectory)
        : base(
            $"no clone info files in {dataDirectory}: this pod was not cloned (expected {InfoFileNames.BinlogInfo[0]} or {InfoFileNames.BinlogInfo[1]}); "
                + "configure replication by hand or clone it again from a donor with binary logging on"
        )
    {
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }
}
