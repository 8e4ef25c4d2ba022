using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using MysqlAgent.Replication.InfoFiles;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Replication.Setup;

/// <summary>
/// At startup: waits for mysqld, then on the primary ensures users and writability, on a replica
/// sets up replication at most once. Transient failures retry; a permanent one stops with a log
/// line, a metric and a readiness reason while the rest of the agent keeps serving.
/// </summary>
public sealed class ReplicationSetupService : BackgroundService
{
    private readonly AgentOptions _options;
    private readonly LocalServer _server;
    private readonly AgentMetrics _metrics;
    private readonly ReplicationSetupStatus _status;
    private readonly RoleProvider _role;
    private readonly TimeProvider _time;
    private readonly ILogger<ReplicationSetupService> _logger;

    public ReplicationSetupService(
        AgentOptions options,
        LocalServer server,
        AgentMetrics metrics,
        ReplicationSetupStatus status,
        RoleProvider role,
        TimeProvider time,
        ILogger<ReplicationSetupService> logger
    )
    {
        _role = role;
        _options = options;
        _server = server;
        _metrics = metrics;
        _status = status;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = SetupPipelines.RetrySetup(
            _time,
            _logger,
            () => _metrics.ReplicationSetupAttempts.WithLabels("transient_error").Inc()
        );
        try
        {
            _status.MarkRunning();
            var outcome = await retry
                .ExecuteAsync(RunOnceAsync, stoppingToken)
                .ConfigureAwait(false);
            // Counted before the status changes: whoever sees the setup finished (readiness, /status)
            // also sees its result in mysql_agent_replication_setup_attempts_total.
            _metrics.ReplicationSetupAttempts.WithLabels(outcome.Result).Inc();
            outcome.MarkStatus(_status);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception e) when (!SetupErrors.IsTransient(e))
        {
            var reason = SetupErrors.Describe(e);
            _metrics.ReplicationSetupAttempts.WithLabels("permanent_error").Inc();
            _status.MarkFailed(reason);
            ReplicationLog.PermanentFailure(_logger, reason);
        }
    }

    /// <summary>
    /// With an election, what is left to the election service instead of a setup from the clone's
    /// info files: null when this pod is a fresh clone to set up from them.
    /// </summary>
    private SetupOutcome? ElectionOutcome(string holder)
    {
        if (holder == _options.Pod.PodName)
        {
            return new SetupOutcome("success", status => status.MarkNotNeeded());
        }

        if (ReplicationSetupMarker.Done(_options.DataDir).Exists)
        {
            return new SetupOutcome(
                "already_configured",
                status => status.MarkDone("set up before; the election follows the Lease holder")
            );
        }

        // No clone here (an old primary's datadir): the election rejoins it to the holder by GTID.
        return InfoFileNames.AnyPresentIn(_options.DataDir)
            ? null
            : new SetupOutcome("success", status => status.MarkNotNeeded());
    }

    /// <summary>A finished attempt: its metric label and the status to report once it is counted.</summary>
    private sealed record SetupOutcome(string Result, Action<ReplicationSetupStatus> MarkStatus);

    private async ValueTask<SetupOutcome> RunOnceAsync(CancellationToken cancellationToken)
    {
        var options = _options;
        if (_role.ElectionEnabled)
        {
            // With an election the primary is whoever holds the Lease: the election promotes it,
            // and a replica's source is the holder's stable name, not ordinal 0.
            var holder = await _role.FirstHolderAsync(cancellationToken).ConfigureAwait(false);
            if (ElectionOutcome(holder) is { } outcome)
            {
                return outcome;
            }

            var holderPod = Identity.PodIdentity.Parse(holder);
            options = options with
            {
                Primary = new Endpoint(
                    options.Pod.PeerHost(holderPod.Ordinal, options.Service),
                    options.Primary.Port
                ),
            };
        }

        var endpoint = _options.LocalMysql.ToString();
        var attempts = 0;
        var wait = SetupPipelines.WaitForServer(_time, _logger, endpoint);
        var connection = await wait.ExecuteAsync(
                async ct =>
                {
                    attempts++;
                    return await _server.OpenAsync(ct).ConfigureAwait(false);
                },
                cancellationToken
            )
            .ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var answeredAt = Stopwatch.GetTimestamp();
            var server = await SqlExecution
                .ServerVersionAsync(connection, cancellationToken)
                .ConfigureAwait(false);
            ReplicationLog.ServerAnswered(_logger, endpoint, attempts, server.ToString());
            if (!_role.ElectionEnabled && _options.Pod.IsPrimary)
            {
                await PrimaryBootstrap
                    .RunAsync(connection, server, _options, _logger, cancellationToken)
                    .ConfigureAwait(false);
                return new SetupOutcome("success", status => status.MarkNotNeeded());
            }

            var action = await new ReplicaSetup(options, _logger)
                .RunAsync(connection, server, cancellationToken)
                .ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(answeredAt);
            ReplicationLog.Finished(_logger, action.ToString(), (long)elapsed.TotalMilliseconds);
            if (action == SetupAction.AlreadyDone)
            {
                ReplicationLog.AlreadyConfigured(_logger);
                return new SetupOutcome(
                    "already_configured",
                    status => status.MarkDone("already configured before this start")
                );
            }

            var note = $"{action} {elapsed.TotalMilliseconds:F0} ms after mysqld answered";
            return new SetupOutcome("success", status => status.MarkDone(note));
        }
    }
}
