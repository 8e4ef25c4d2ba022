using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Election;

/// <summary>
/// Layer 1 of fencing from the outside: a new holder makes the last primary's mysqld read-only and
/// kills its client connections when that server still answers writable, which happens when its
/// agent is gone (crashed, OOM-killed, a broken sidecar) while mysqld runs on: nobody else would
/// ever turn it read-only. A server that is already read-only (it fenced itself, or it was a
/// switchover), down or frozen is left alone: a frozen one fences itself once it runs again.
/// Best effort, once per term, beside the promotion rather than before it.
/// </summary>
public sealed class LastPrimaryFence(
    AgentOptions options,
    AgentMetrics metrics,
    TimeProvider time,
    ILogger logger
)
{
    /// <summary>Fences <paramref name="pod"/>'s mysqld at <paramref name="mysqld"/> (its stable name) if it is writable; never throws.</summary>
    public async Task RunAsync(
        string pod,
        Endpoint mysqld,
        long term,
        CancellationToken cancellationToken
    )
    {
        var server = new LocalServer(
            options with
            {
                LocalMysql = options.ConnectTo.Resolve(mysqld),
            }
        );
        try
        {
            LocalServerState state;
            var connection = await server.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                state = await LocalServerState
                    .ReadAsync(connection, cancellationToken)
                    .ConfigureAwait(false);
            }

            if (!state.Writable)
            {
                ElectionLog.LastPrimaryReadOnly(logger, pod, term);
                return;
            }

            ElectionLog.LastPrimaryWritable(logger, pod, term);
            await new SelfFence(server, options, metrics, time, logger)
                .FenceAsync(
                    $"{pod}, the primary before term {term}, still takes writes (its agent is gone?)",
                    planned: false,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch (Exception e) when (ServerTrouble.Is(e, cancellationToken))
        {
            ElectionLog.LastPrimaryUnreachable(
                logger,
                pod,
                term,
                e.Message.ReplaceLineEndings(" ")
            );
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Not the server's trouble: a bug, logged whole, since nobody awaits this task until the stop.
            ElectionLog.StepCrashed(logger, e);
        }
    }
}
