using MysqlAgent.Configuration;

namespace MysqlAgent.Archive.Binlogs;

/// <summary>The three programs a binlog replay runs: the server, the binlog decoder and the client that applies its output.</summary>
public sealed record ReplayTools(string Server, string Decoder, string Client)
{
    /// <summary>The options' paths, else the flavour's own names on the PATH.</summary>
    public static ReplayTools For(string flavour, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mariaDb = flavour == BinlogCoverage.MariaDbFlavour;
        return new ReplayTools(
            options.MysqldPath ?? (mariaDb ? "mariadbd" : "mysqld"),
            options.MysqlbinlogPath ?? (mariaDb ? "mariadb-binlog" : "mysqlbinlog"),
            options.MysqlClientPath ?? (mariaDb ? "mariadb" : "mysql")
        );
    }
}
