using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Election;

/// <summary>
/// Layers 1 and 2 of fencing from the outside, run by a new holder once per term, beside its
/// promotion. (1) The last primary's mysqld is made read-only and its client connections killed
/// when it still answers writable, which happens when its agent is gone (crashed, OOM-killed, a
/// broken sidecar) while mysqld runs on: nobody else would ever turn it read-only. (2) Every other
/// peer whose mysqld still fetches from the last primary stops fetching (the ACK fence), which its
/// own agent does when it runs; with none left to acknowledge, the old primary commits nothing even
/// when this pod cannot reach it. A server already read-only or no longer fetching from it is left
/// alone, and so is one that does not answer (down, frozen, cut off: a frozen one fences itself
/// once it runs again).
/// </summary>
public sealed class LastPrimaryFence(
    AgentOptions options,
    AgentMetrics metrics,
    TimeProvider time,
    ILogger logger
)
{
    /// <summary>Fences the last primary, then its replicas' fetch; never throws.</summary>
    /// <param name="last">The last primary: its pod name and its mysqld's stable name.</param>
    /// <param name="peers">The other peers (not this pod): pod name and mysqld's stable name.</param>
    /// <param name="term">The new term, for the log.</param>
    /// <param name="cancellationToken">The stop.</param>
    public async Task RunAsync(
        (string Pod, Endpoint Mysqld) last,
        IReadOnlyList<(string Pod, Endpoint Mysqld)> peers,
        long term,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(peers);
        await TryAsync(
                last,
                server => FenceWritableAsync(server, last.Pod, term, cancellationToken)
            )
            .ConfigureAwait(false);
        var oldSource = options.ConnectTo.Resolve(last.Mysqld);
        foreach (var peer in peers)
        {
            await TryAsync(
                    peer,
                    server =>
                        StopFetchingAsync(
                            server,
                            peer.Pod,
                            last.Pod,
                            oldSource,
                            term,
                            cancellationToken
                        )
                )
                .ConfigureAwait(false);
        }

        async Task TryAsync((string Pod, Endpoint Mysqld) target, Func<LocalServer, Task> act)
        {
            try
            {
                await act(Server(target.Mysqld)).ConfigureAwait(false);
            }
            catch (Exception e) when (ServerTrouble.Is(e, cancellationToken))
            {
                ElectionLog.PeerUnreachable(
                    logger,
                    target.Pod,
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

    private LocalServer Server(Endpoint mysqld) =>
        new(options with { LocalMysql = options.ConnectTo.Resolve(mysqld) });

    private async Task FenceWritableAsync(
        LocalServer server,
        string pod,
        long term,
        CancellationToken cancellationToken
    )
    {
        if (!(await ReadAsync(server, cancellationToken).ConfigureAwait(false)).Writable)
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

    private async Task StopFetchingAsync(
        LocalServer server,
        string pod,
        string lastPod,
        Endpoint oldSource,
        long term,
        CancellationToken cancellationToken
    )
    {
        var state = await ReadAsync(server, cancellationToken).ConfigureAwait(false);
        if (!state.IoThreadRunning || state.Source is not { } source || !source.SameAs(oldSource))
        {
            return;
        }

        await server
            .RunAsync(FailoverStatementRenderer.RenderAckFence, cancellationToken)
            .ConfigureAwait(false);
        ElectionLog.StoppedPeerFetching(logger, pod, lastPod, term);
    }

    private static async Task<LocalServerState> ReadAsync(
        LocalServer server,
        CancellationToken cancellationToken
    )
    {
        var connection = await server.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await LocalServerState
                .ReadAsync(connection, cancellationToken)
                .ConfigureAwait(false);
        }
    }
}
