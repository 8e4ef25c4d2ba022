using MysqlAgent.Configuration;
using MySqlConnector;

namespace MysqlAgent.Mysql;

/// <summary>Connections to the local mysqld as the admin user, with short timeouts: the agent never hangs on it.</summary>
public sealed class LocalServer
{
    private readonly string _connectionString;

    public LocalServer(AgentOptions options)
    {
        var builder = new MySqlConnectionStringBuilder
        {
            Server = options.LocalMysql.Host,
            Port = (uint)options.LocalMysql.Port,
            UserID = options.AdminUser,
            Password = options.AdminPassword?.Value ?? "",
            ConnectionTimeout = 3,
            DefaultCommandTimeout = 30,
            Pooling = true,
            MinimumPoolSize = 0,
            MaximumPoolSize = 4,
            SslMode = MySqlSslMode.Preferred,
            AllowPublicKeyRetrieval = true,
        };
        _connectionString = builder.ConnectionString;
    }

    public async Task<MySqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
