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
/// acknowledgement (MySQL bugs 104015/101056), so it runs as its own task and the kill starts after
/// a third of the budget whatever it is doing; the kill spares the server's threads, replicas'
/// binlog dump threads and the agent's own users.
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
    public async Task<bool> FenceAsync(string why, CancellationToken cancellationToken)
    {
        ElectionLog.Fencing(_logger, why);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var killed = await _budget
                .ExecuteAsync(
                    static async (self, ct) => await self.RunAsync(ct).ConfigureAwait(false),
                    this,
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

    private async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var readOnly = SetReadOnlyAsync(cancellationToken);
        try
        {
            await readOnly
                .WaitAsync(_options.ElectionTimings.FenceBudget / 3, _time, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Blocked behind commits: killing their connections below lets it through.
        }

        var killed = await KillClientsAsync(cancellationToken).ConfigureAwait(false);
        await readOnly.ConfigureAwait(false);
        return killed;
    }

    private async Task SetReadOnlyAsync(CancellationToken cancellationToken)
    {
        var connection = await _server.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var server = await SqlExecution
                .ServerVersionAsync(connection, cancellationToken)
                .ConfigureAwait(false);
            await SqlExecution
                .ExecuteAsync(
                    connection,
                    FailoverStatementRenderer.RenderReadOnly(server).Sql,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
    }

    private async Task<int> KillClientsAsync(CancellationToken cancellationToken)
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

            var killed = 0;
            foreach (var id in ids)
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
                    killed++;
                }
                catch (MySqlException e)
                    when (e.Number == FailoverStatementRenderer.UnknownThreadError)
                {
                    // Ended by itself meanwhile.
                }
            }

            return killed;
        }
    }
}
