using MysqlAgent.Replication.Dialects;
using MySqlConnector;

namespace MysqlAgent.Replication.Setup;

/// <summary>
/// CHANGE MASTER accepts any password, so a wrong one shows up only later as an IO-thread error
/// while the setup says "done". Logging in to the source as the replication user first turns a
/// refused login into a permanent setup error; an unreachable source is not an error here (the IO
/// thread waits for it).
/// </summary>
internal static class ReplicationCredentialsCheck
{
    public static async Task VerifyAsync(
        MysqlAgent.Configuration.Endpoint source,
        string user,
        string password,
        CancellationToken cancellationToken
    )
    {
        var builder = new MySqlConnectionStringBuilder
        {
            Server = source.Host,
            Port = (uint)source.Port,
            UserID = user,
            Password = password,
            ConnectionTimeout = 3,
            Pooling = false,
            SslMode = MySqlSslMode.Preferred,
            AllowPublicKeyRetrieval = true,
        };
        try
        {
            await using var connection = new MySqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.AccessDenied)
        {
            throw new ReplicationSetupException(
                $"the source {source} refused the replication user '{user}' ({e.Message}): set the replication password to the primary's (the Secret both pods mount) and restart this pod"
            );
        }
        catch (MySqlException e) when (SetupErrors.IsTransient(e))
        {
            // The source is down or unreachable now: the IO thread retries until it is back.
        }
    }
}
