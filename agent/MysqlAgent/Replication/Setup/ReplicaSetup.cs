using System.Globalization;
using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Faults;
using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.InfoFiles;
using MysqlAgent.Replication.Positions;
using MysqlAgent.Replication.Sql;
using MySqlConnector;

namespace MysqlAgent.Replication.Setup;

/// <summary>
/// One attempt at a replica's setup, from the clone's info files, at most once: see
/// <see cref="SetupDecision"/>. Crash points (<see cref="CrashPoint"/>) sit between every step.
/// </summary>
public sealed class ReplicaSetup
{
    private readonly AgentOptions _options;
    private readonly ILogger _logger;
    private readonly ReplicationSetupMarker _marker;
    private readonly ReplicationSetupMarker _started;

    public ReplicaSetup(AgentOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _marker = ReplicationSetupMarker.Done(options.DataDir);
        _started = ReplicationSetupMarker.Started(options.DataDir);
    }

    /// <summary>Returns what it did.</summary>
    public async Task<SetupAction> RunAsync(
        MySqlConnection connection,
        ServerVersionInfo server,
        CancellationToken cancellationToken
    )
    {
        var dialect = ReplicationDialect.For(server);
        // Client writes are refused before anything else, so nothing lands beside the replicated data.
        await ServerRoleSettings
            .MakeReadOnlyAsync(connection, server, cancellationToken)
            .ConfigureAwait(false);

        var state = await ReplicaSourceState
            .ReadAsync(connection, dialect, cancellationToken)
            .ConfigureAwait(false);
        var action = SetupDecision.Decide(
            _marker.Exists,
            _started.Exists,
            state.SourceConfigured,
            state.ThreadsRunning,
            InfoFileNames.AnyPresentIn(_options.DataDir)
        );
        ReplicationLog.Decided(
            _logger,
            action.ToString(),
            _marker.Exists,
            _started.Exists,
            state.SourceConfigured,
            state.ThreadsRunning
        );
        switch (action)
        {
            case SetupAction.AlreadyDone:
                return action;

            case SetupAction.MarkerWithoutSource:
                throw new ReplicationSetupException(
                    $"replication was set up once ({_marker.Path} exists) but the server has no source now; the agent will not set it up again, which could rewind the replica: re-clone the pod (delete its datadir) or configure replication by hand and keep the marker"
                );

            case SetupAction.RecordExisting:
                await WriteMarkerAsync(
                        $"recorded existing source {state.SourceHost}",
                        cancellationToken
                    )
                    .ConfigureAwait(false);
                return action;

            case SetupAction.StartConfigured:
                ReplicationLog.Executing(_logger, dialect.StartReplica);
                await SqlExecution
                    .ExecuteAsync(connection, dialect.StartReplica, cancellationToken)
                    .ConfigureAwait(false);
                await WriteMarkerAsync(
                        $"started existing source {state.SourceHost}",
                        cancellationToken
                    )
                    .ConfigureAwait(false);
                return action;

            default:
                await ConfigureAndStartAsync(connection, server, dialect, cancellationToken)
                    .ConfigureAwait(false);
                return action;
        }
    }

    private async Task ConfigureAndStartAsync(
        MySqlConnection connection,
        ServerVersionInfo server,
        ReplicationDialect dialect,
        CancellationToken cancellationToken
    )
    {
        var clone = CloneInfoLoader.Load(_options.DataDir);
        var useGtid = await UseGtidAsync(connection, server, clone, cancellationToken)
            .ConfigureAwait(false);
        var start = clone.ChooseStart(server.Flavor, useGtid);
        var replaceGtidHistory =
            start is MysqlGtidStart mysql
            && !await ContainsGtidsAsync(connection, mysql.GtidPurged.Text, cancellationToken)
                .ConfigureAwait(false);

        var endpoint = _options.ConnectTo.Resolve(_options.Primary);
        var source = new ReplicationSource(
            endpoint.Host,
            endpoint.Port,
            _options.ReplicationUser,
            _options.ReplicationPassword!.Value,
            _options.ConnectRetrySeconds,
            retryCount: 86400
        );
        await ReplicationCredentialsCheck
            .VerifyAsync(
                endpoint,
                source.User,
                source.Password,
                _options.Tls?.CaFile,
                cancellationToken
            )
            .ConfigureAwait(false);
        var link = new ReplicationLinkOptions(
            UseTls: _options.Tls is not null,
            SslCaFile: _options.Tls?.CaFile,
            QuoteMode: await SqlExecution
                .QuoteModeAsync(connection, cancellationToken)
                .ConfigureAwait(false),
            ReplaceGtidHistory: replaceGtidHistory
        );

        var statements = ReplicationStatementRenderer.RenderSetup(server, start, source, link);
        for (var i = 0; i < statements.Count; i++)
        {
            CrashPoint.Hit(string.Create(CultureInfo.InvariantCulture, $"setup-statement-{i}"));
            ReplicationLog.Executing(_logger, statements[i].Redacted);
            await SqlExecution
                .ExecuteAsync(connection, statements[i].Sql, cancellationToken)
                .ConfigureAwait(false);
            if (statements[i].Sql == dialect.ResetReplicaAll)
            {
                // From here on a configured source can only be ours.
                await _started
                    .WriteAsync(
                        $"replication setup started by mysql-agent on {_options.Pod.PodName}\n",
                        cancellationToken
                    )
                    .ConfigureAwait(false);
            }
        }

        CrashPoint.Hit("setup-before-marker");
        await WriteMarkerAsync(
                $"source {source} start {start} from {clone.SlaveInfoPath ?? clone.BinlogInfoPath}",
                cancellationToken
            )
            .ConfigureAwait(false);
        CrashPoint.Hit("setup-after-marker");
        ReplicationLog.SetUp(
            _logger,
            source.ToString(),
            start.ToString(),
            useGtid ? "GTID" : "file/position"
        );
    }

    private async Task<bool> UseGtidAsync(
        MySqlConnection connection,
        ServerVersionInfo server,
        CloneInfo clone,
        CancellationToken cancellationToken
    )
    {
        switch (_options.ReplicationMode)
        {
            case ReplicationMode.Gtid:
                return true;
            case ReplicationMode.FilePosition:
                return false;
        }

        if (server.Flavor == ServerFlavor.MySql)
        {
            var gtidMode = await SqlExecution
                .ScalarAsync(connection, "SELECT @@GLOBAL.gtid_mode", cancellationToken)
                .ConfigureAwait(false);
            return string.Equals(gtidMode, "ON", StringComparison.OrdinalIgnoreCase);
        }

        // MariaDB always has GTIDs; use them when the clone recorded a position to start from.
        return clone.GtidStart(server.Flavor) is not null;
    }

    private static async Task<bool> ContainsGtidsAsync(
        MySqlConnection connection,
        string gtidSet,
        CancellationToken cancellationToken
    )
    {
        await using var command = new MySqlCommand(
            "SELECT GTID_SUBSET(@set, @@GLOBAL.gtid_executed)",
            connection
        );
        command.Parameters.AddWithValue("@set", gtidSet);
        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(result, CultureInfo.InvariantCulture) == 1;
    }

    private Task WriteMarkerAsync(string what, CancellationToken cancellationToken) =>
        _marker.WriteAsync(
            $"replication configured by mysql-agent on {_options.Pod.PodName}: {what}\n",
            cancellationToken
        );
}
