using MysqlAgent.Health;
using MysqlAgent.Mysql;
using MysqlAgent.Replication;
using Polly;

namespace MysqlAgent.Election;

/// <summary>Reads the local mysqld's state for a turn, within a time bound; a server that does not answer is a state, never an exception.</summary>
public sealed class LocalServerReader
{
    private readonly LocalServer _server;
    private readonly ResiliencePipeline _timeout;

    public LocalServerReader(LocalServer server, TimeSpan timeout, TimeProvider time)
    {
        _server = server;
        _timeout = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(timeout)
            .Build();
    }

    public async Task<LocalServerState> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _timeout
                .ExecuteAsync(
                    static async (server, ct) =>
                    {
                        var connection = await server.OpenAsync(ct).ConfigureAwait(false);
                        await using (connection.ConfigureAwait(false))
                        {
                            return await LocalServerState
                                .ReadAsync(connection, ct)
                                .ConfigureAwait(false);
                        }
                    },
                    _server,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch (Exception e)
            when (ServerTrouble.Is(e, cancellationToken)
                || e is FormatException or ReplicationSetupException
            )
        {
            return LocalServerState.Down(ServerTrouble.OneLine(e));
        }
    }
}
