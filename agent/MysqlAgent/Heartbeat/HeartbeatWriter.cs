using System.Globalization;
using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.Hosting;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using MySqlConnector;
using Polly;

namespace MysqlAgent.Heartbeat;

/// <summary>
/// Writes the heartbeat row every <see cref="AgentOptions.HeartbeatInterval"/> while this pod is the
/// primary (<see cref="RoleProvider.IsPrimary"/>, asked at every beat so that a role change needs no
/// restart). A failed beat is one log line on the transition and a metric; the next tick tries again.
/// </summary>
public sealed class HeartbeatWriter : BackgroundService
{
    // A beat that takes longer than this is abandoned; the next tick starts a new one.
    private static readonly TimeSpan BeatTimeout = TimeSpan.FromSeconds(5);

    private readonly LocalServer _server;
    private readonly AgentOptions _options;
    private readonly RoleProvider _role;
    private readonly AgentMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<HeartbeatWriter> _logger;
    private readonly ResiliencePipeline _pipeline;
    private bool _tableChecked;
    private bool? _failing;

    public HeartbeatWriter(
        LocalServer server,
        AgentOptions options,
        RoleProvider role,
        AgentMetrics metrics,
        TimeProvider time,
        ILogger<HeartbeatWriter> logger
    )
    {
        _role = role;
        _server = server;
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(BeatTimeout)
            .Build();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = _options.HeartbeatInterval;
        if (interval <= TimeSpan.Zero)
        {
            HeartbeatLog.Off(_logger);
            return;
        }

        var announced = false;
        using var timer = new PeriodicTimer(interval, _time);
        do
        {
            if (!_role.IsPrimary)
            {
                continue;
            }

            if (!announced)
            {
                HeartbeatLog.Started(_logger, HeartbeatTable.QualifiedName, interval.TotalSeconds);
                announced = true;
            }

            await BeatAsync(stoppingToken).ConfigureAwait(false);
        } while (await TimerTicks.NextAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private async Task BeatAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _pipeline
                .ExecuteAsync(
                    static async (self, token) =>
                        await self.WriteAsync(token).ConfigureAwait(false),
                    this,
                    stoppingToken
                )
                .ConfigureAwait(false);
            _metrics.HeartbeatWrites.WithLabels("success").Inc();
            if (_failing == true)
            {
                HeartbeatLog.WriteResumed(_logger, HeartbeatTable.QualifiedName);
            }

            _failing = false;
        }
        catch (Exception e) when (ServerTrouble.Is(e, stoppingToken))
        {
            _metrics.HeartbeatWrites.WithLabels("failed").Inc();
            if (_failing != true)
            {
                HeartbeatLog.WriteFailed(_logger, HeartbeatTable.QualifiedName, OneLine(e));
            }

            _failing = true;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // A bug: keep its stack trace, and keep beating so that one bad beat is not the end of
            // the replicas' freshness signal.
            _metrics.HeartbeatWrites.WithLabels("failed").Inc();
            HeartbeatLog.BeatCrashed(_logger, e);
            _failing = true;
        }
    }

    private async Task WriteAsync(CancellationToken token)
    {
        var connection = await _server.OpenAsync(token).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (!_tableChecked)
            {
                await CreateTableAsync(connection, token).ConfigureAwait(false);
            }

            try
            {
                await UpsertAsync(connection, token).ConfigureAwait(false);
            }
            catch (MySqlException e)
                when (e.ErrorCode is MySqlErrorCode.NoSuchTable or MySqlErrorCode.UnknownDatabase)
            {
                // Dropped by hand since the first beat: make it again.
                await CreateTableAsync(connection, token).ConfigureAwait(false);
                await UpsertAsync(connection, token).ConfigureAwait(false);
            }
        }
    }

    private async Task CreateTableAsync(MySqlConnection connection, CancellationToken token)
    {
        // Asked first, so that a restart of the agent writes no DDL to the binary log.
        await using (
            var exists = new MySqlCommand(
                "SELECT COUNT(*) FROM information_schema.TABLES "
                    + "WHERE TABLE_SCHEMA = 'mysql_agent' AND TABLE_NAME = 'heartbeat'",
                connection
            )
        )
        {
            if (
                Convert.ToInt64(
                    await exists.ExecuteScalarAsync(token).ConfigureAwait(false),
                    CultureInfo.InvariantCulture
                ) > 0
            )
            {
                _tableChecked = true;
                return;
            }
        }

        await using (var create = new MySqlCommand(HeartbeatTable.CreateSql, connection))
        {
            await create.ExecuteNonQueryAsync(token).ConfigureAwait(false);
        }

        _tableChecked = true;
        HeartbeatLog.TableCreated(_logger, HeartbeatTable.QualifiedName);
    }

    private async Task UpsertAsync(MySqlConnection connection, CancellationToken token)
    {
        await using var command = new MySqlCommand(HeartbeatTable.WriteSql, connection);
        command.Parameters.AddWithValue("@server_id", _options.ServerId);
        command.Parameters.AddWithValue("@ts_us", HeartbeatTable.ToMicroseconds(_time.GetUtcNow()));
        await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
    }

    private static string OneLine(Exception e) =>
        e is OperationCanceledException or Polly.Timeout.TimeoutRejectedException
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"no answer within {BeatTimeout.TotalSeconds:0} s"
            )
            : string.Join(
                ' ',
                e.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)
            );
}
