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
        string? caFile,
        CancellationToken cancellationToken
    )
    {
        // The check logs in exactly as the replica's link will. With the set's CA: TLS, verifying the
        // source's certificate against the CA and its name (VerifyFull), no key retrieval. Without it
        // (TLS off, as the startup log says): no TLS, and caching_sha2_password gets the source's
        // RSA key as GET_SOURCE_PUBLIC_KEY=1 does, so the password never crosses the link in clear.
        // Never Preferred: an unverified TLS session would hand the password to whoever answers.
        var builder = new MySqlConnectionStringBuilder
        {
            Server = source.Host,
            Port = (uint)source.Port,
            UserID = user,
            Password = password,
            ConnectionTimeout = 3,
            Pooling = false,
            SslMode = caFile is null ? MySqlSslMode.None : MySqlSslMode.VerifyFull,
            SslCa = caFile ?? "",
            AllowPublicKeyRetrieval = caFile is null,
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
        catch (MySqlException e)
            when (caFile is not null
                && e.InnerException is System.Security.Authentication.AuthenticationException
            )
        {
            throw new ReplicationSetupException(
                $"the source {source} failed TLS verification ({e.InnerException.Message}): its certificate must be signed by the CA in --tls-ca-file ({caFile}), name {source.Host} and be in date"
            );
        }
        catch (MySqlException e) when (SetupErrors.IsTransient(e))
        {
            // The source is down or unreachable now: the IO thread retries until it is back.
        }
    }
}
