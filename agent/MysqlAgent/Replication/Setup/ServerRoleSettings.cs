using MysqlAgent.Replication.Dialects;
using MySqlConnector;

namespace MysqlAgent.Replication.Setup;

/// <summary>The primary is writable; a replica refuses client writes (super_read_only on MySQL, read_only on MariaDB).</summary>
internal static class ServerRoleSettings
{
    public static Task MakeWritableAsync(
        MySqlConnection connection,
        ServerVersionInfo server,
        CancellationToken cancellationToken
    ) =>
        SqlExecution.ExecuteAsync(
            connection,
            server.Flavor == ServerFlavor.MySql
                ? "SET GLOBAL super_read_only = OFF; SET GLOBAL read_only = OFF"
                : "SET GLOBAL read_only = OFF",
            cancellationToken
        );

    public static Task MakeReadOnlyAsync(
        MySqlConnection connection,
        ServerVersionInfo server,
        CancellationToken cancellationToken
    ) =>
        SqlExecution.ExecuteAsync(
            connection,
            server.Flavor == ServerFlavor.MySql
                ? "SET GLOBAL super_read_only = ON"
                : "SET GLOBAL read_only = ON",
            cancellationToken
        );
}
