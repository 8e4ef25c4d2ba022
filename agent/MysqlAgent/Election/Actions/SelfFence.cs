using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using MysqlAgent.Replication.Setup;
using MySqlConnector;
using Polly;

namespace MysqlAgent.Election;

/// <summary>
/// Layer 1 of fencing: the local mysqld becomes read-only and its client connections are killed,
/// within the fence budget. Setting read-only can block behind commits that wait for an
/// acknowledgement (MySQL bugs 104015/101056), so it runs as its own task beside the kill. A pod
/// that lost the Lease kills at once: its term is over, and a commit waiting for an acknowledgement
/// no replica will send would hold read-only back while the server still answers writable. A
/// planned switchover first gives the commits in flight a third of the budget to be acknowledged.
/// The connections are listed again once read-only holds, for those that came meanwhile. The kill
/// spares the server's threads, replicas' binlog dump threads and the agent's own users.
/// </summary>
public sealed class SelfFence
{
    private readonly LocalServer _server;
    private readonly AgentOptions _options;
    private readonly AgentMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _budget;

    public SelfFence(
        LocalServer server,
        AgentOptions options,
        AgentMetrics metrics,
        TimeProvider time,
        ILogger logger
    )
    {
        _server = server;
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _budget = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(options.ElectionTimings.FenceBudget)
            .Build();
    }

    /// <summary>Fences now; true when read-only was set and the connections were killed within the budget.</summary>
    /// <param name="why">For the log.</param>
    /// <param name="planned">A switchover: commits in flight may finish first (see the summary).</param>
    /// <param name="cancellationToken">Stops the fence.</param>
    public async Task<bool> FenceAsync(
        string why,
        bool planned,
        CancellationToken cancellationToken
    )
    {
        var killAfter = planned ? _options.ElectionTimings.FenceBudget / 3 : TimeSpan.Zero;
        ElectionLog.Fencing(_logger, why);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var killed = await _budget
                .ExecuteAsync(
                    static async (state, ct) =>
                        await state.Self.RunAsync(state.KillAfter, ct).ConfigureAwait(false),
                    (Self: this, KillAfter: killAfter),
                    cancellationToken
                )
                .ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            _metrics.FenceDuration.WithLabels("done").Observe(elapsed.TotalSeconds);
            ElectionLog.Fenced(_logger, (long)elapsed.TotalMilliseconds, killed);
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            _metrics
                .FenceDuration.WithLabels("failed")
                .Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            ElectionLog.FenceFailed(
                _logger,
                _options.ElectionTimings.FenceBudget.TotalSeconds,
                e.Message.ReplaceLineEndings(" ")
            );
            return false;
        }
    }

    private async Task<int> RunAsync(TimeSpan killAfter, CancellationToken cancellationToken)
    {
        var readOnly = SetReadOnlyAsync(cancellationToken);
        if (killAfter > TimeSpan.Zero)
        {
            try
            {
                await readOnly.WaitAsync(killAfter, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Blocked behind commits: killing their connections below lets it through.
            }
        }

        // A thread killed by the first pass may still be listed (state "Killed") in the second.
        var killed = new HashSet<long>();
        if (!readOnly.IsCompleted)
        {
            await KillClientsAsync(killed, cancellationToken).ConfigureAwait(false);
        }

        await readOnly.ConfigureAwait(false);
        await KillClientsAsync(killed, cancellationToken).ConfigureAwait(false);
        return killed.Count;
    }

    private Task SetReadOnlyAsync(CancellationToken cancellationToken) =>
        _server.RunAsync(FailoverStatementRenderer.RenderReadOnly, cancellationToken);

    /// <summary>Kills the client connections not in <paramref name="killed"/>, and adds them to it.</summary>
    private async Task KillClientsAsync(HashSet<long> killed, CancellationToken cancellationToken)
    {
        var connection = await _server.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var mode = await SqlExecution
                .QuoteModeAsync(connection, cancellationToken)
                .ConfigureAwait(false);
            var ids = new List<long>();
            await using (
                var query = new MySqlCommand(
                    FailoverStatementRenderer.RenderClientConnectionsQuery(
                        [_options.AdminUser, _options.BackupUser],
                        mode
                    ),
                    connection
                )
            )
            {
                var reader = await query
                    .ExecuteReaderAsync(cancellationToken)
                    .ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        ids.Add(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture));
                    }
                }
            }

            foreach (var id in ids.Where(id => !killed.Contains(id)))
            {
                try
                {
                    await SqlExecution
                        .ExecuteAsync(
                            connection,
                            FailoverStatementRenderer.RenderKill(id).Sql,
                            cancellationToken
                        )
                        .ConfigureAwait(false);
                    killed.Add(id);
                }
                catch (MySqlException e)
                    when (e.Number == FailoverStatementRenderer.UnknownThreadError)
                {
                    // Ended by itself meanwhile.
                }
            }
        }
    }
}
