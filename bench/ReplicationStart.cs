using System.Diagnostics;
using MysqlAgent.TestSupport;
using MySqlConnector;

namespace MysqlBench;

internal sealed record ReplicationMethodResult(
    string Method,
    string Includes,
    IReadOnlyList<double> Seconds,
    double MedianSeconds,
    IReadOnlyList<double> MysqldAnswersSeconds
);

/// <summary>
/// A fresh replica (a prepared clone of a small primary) boots while its sidecar is already running;
/// the clock runs from the first <c>SELECT 1</c> the bench gets from the new mysqld until
/// <c>SHOW SLAVE STATUS</c> shows both threads running, both probed every 10 ms.
/// </summary>
internal sealed class ReplicationStart(
    BenchOptions options,
    Workspace work,
    Agents agents,
    MariaDbServer primary,
    TextWriter log
)
{
    public const string AgentIncludes =
        "mysql-agent serve on the replica, started with mysqld: waits for mysqld, reads the clone's binlog info, CHANGE MASTER (GTID) + START SLAVE";

    public const string ExampleIncludes =
        "the example's sidecar logic in bash with the mariadb client: until SELECT 1 answers, sleep 1; then CHANGE MASTER TO <binlog file/pos>, MASTER_HOST, MASTER_CONNECT_RETRY=10; START SLAVE (binlog info parsed correctly, repl user instead of root)";

    private static readonly TimeSpan Probe = TimeSpan.FromMilliseconds(10);

    private int _serverId = 200;

    public async Task<IReadOnlyList<ReplicationMethodResult>> RunAsync(CancellationToken ct)
    {
        var agent = new List<double>();
        var example = new List<double>();
        var agentBoot = new List<double>();
        var exampleBoot = new List<double>();
        // One warm-up of each, then the two take turns.
        for (var round = 0; round <= options.ReplicationRuns; round++)
        {
            var (a, aBoot) = await OneAsync(useAgent: true, ct).ConfigureAwait(false);
            var (e, eBoot) = await OneAsync(useAgent: false, ct).ConfigureAwait(false);
            var label = round == 0 ? "warm-up" : $"run {round}";
            await log.WriteLineAsync(
                    $"  {label, -8} mysql-agent {a, 6:F3} s   example {e, 6:F3} s   (mysqld answered {aBoot:F2} s / {eBoot:F2} s after start)"
                )
                .ConfigureAwait(false);
            if (round > 0)
            {
                agent.Add(a);
                example.Add(e);
                agentBoot.Add(aBoot);
                exampleBoot.Add(eBoot);
            }
        }

        return
        [
            new("mysql-agent", AgentIncludes, agent, Stats.Median(agent), agentBoot),
            new("example (1 s poll)", ExampleIncludes, example, Stats.Median(example), exampleBoot),
        ];
    }

    private async Task<(double FromAnswer, double Boot)> OneAsync(
        bool useAgent,
        CancellationToken ct
    )
    {
        var dataDir = await LocalCloneAsync(ct).ConfigureAwait(false);
        var port = Processes.FreePort();
        var serverId = ++_serverId;
        BackgroundProcess sidecar;
        if (useAgent)
        {
            (sidecar, _, _) = agents.Serve(1, port, dataDir, primary.RootPassword, primary.Port);
        }
        else
        {
            sidecar = new BackgroundProcess("bash", ["-c", ExampleSidecarScript(dataDir, port)]);
        }

        await using (sidecar.ConfigureAwait(false))
        {
            var clock = Stopwatch.StartNew();
            var boot = MariaDbServer.StartAsync(
                new MariaDbServerOptions
                {
                    ServerId = serverId,
                    DataDir = dataDir,
                    DeleteDataDirOnDispose = true,
                    RootPassword = primary.RootPassword,
                    Port = port,
                    ReadOnly = true,
                },
                ct
            );
            try
            {
                var connection = new MySqlConnectionStringBuilder
                {
                    Server = MariaDbServer.Host,
                    Port = (uint)port,
                    UserID = "root",
                    Password = primary.RootPassword,
                    Pooling = false,
                    ConnectionTimeout = 5,
                }.ConnectionString;
                var answered = await FirstAnswerAsync(connection, boot, ct).ConfigureAwait(false);
                var answeredAt = clock.Elapsed;
                var running = await ThreadsRunningAsync(connection, sidecar, ct)
                    .ConfigureAwait(false);
                return ((running - answeredAt).TotalSeconds, answeredAt.TotalSeconds);

                async Task<bool> FirstAnswerAsync(
                    string cs,
                    Task<MariaDbServer> starting,
                    CancellationToken token
                )
                {
                    while (true)
                    {
                        try
                        {
                            await using var c = new MySqlConnection(cs);
                            await c.OpenAsync(token).ConfigureAwait(false);
                            await using var q = new MySqlCommand("SELECT 1", c);
                            await q.ExecuteScalarAsync(token).ConfigureAwait(false);
                            return true;
                        }
                        catch (MySqlException)
                        {
                            if (starting.IsFaulted)
                            {
                                await starting.ConfigureAwait(false);
                            }
                        }

                        await Task.Delay(Probe, token).ConfigureAwait(false);
                    }
                }

                async Task<TimeSpan> ThreadsRunningAsync(
                    string cs,
                    BackgroundProcess side,
                    CancellationToken token
                )
                {
                    await using var c = new MySqlConnection(cs);
                    await c.OpenAsync(token).ConfigureAwait(false);
                    while (clock.Elapsed < TimeSpan.FromSeconds(60))
                    {
                        await using (var q = new MySqlCommand("SHOW SLAVE STATUS", c))
                        await using (
                            var r = await q.ExecuteReaderAsync(token).ConfigureAwait(false)
                        )
                        {
                            if (
                                await r.ReadAsync(token).ConfigureAwait(false)
                                && r.GetString(r.GetOrdinal("Slave_IO_Running")) == "Yes"
                                && r.GetString(r.GetOrdinal("Slave_SQL_Running")) == "Yes"
                            )
                            {
                                return clock.Elapsed;
                            }
                        }

                        if (
                            side.HasExited
                            && (await side.Completion.ConfigureAwait(false)).ExitCode != 0
                        )
                        {
                            throw new BenchException(
                                $"the replica's sidecar failed:\n{side.Output}"
                            );
                        }

                        await Task.Delay(Probe, token).ConfigureAwait(false);
                    }

                    throw new BenchException(
                        $"replication threads not running after 60 s:\n{side.Output}"
                    );
                }
            }
            finally
            {
                try
                {
                    await using var server = await boot.ConfigureAwait(false);
                }
                catch (MariaDbServerStartException) { }
            }
        }
    }

    /// <summary>The example's sidecar: parse the clone's binlog info, poll SELECT 1 every second, CHANGE MASTER + START SLAVE.</summary>
    private string ExampleSidecarScript(string dataDir, int port)
    {
        var defaults = work.ClientDefaults("root", primary.RootPassword, port);
        var mysql = $"mariadb --defaults-extra-file={Processes.Quote(defaults)} -h 127.0.0.1";
        var replPassword = work.ReplicationPassword;
        return $$"""
            set -e
            cd {{Processes.Quote(dataDir)}}
            read -r binlog_file binlog_pos _ < xtrabackup_binlog_info
            echo "CHANGE MASTER TO MASTER_LOG_FILE='${binlog_file}', MASTER_LOG_POS=${binlog_pos}" > change_master_to.sql.in
            until {{mysql}} -e "SELECT 1" >/dev/null 2>&1; do sleep 1; done
            {{mysql}} <<EOF
            $(<change_master_to.sql.in), MASTER_HOST='127.0.0.1', MASTER_PORT={{Processes.Number(
                primary.Port
            )}}, MASTER_USER='repl', MASTER_PASSWORD='{{replPassword}}', MASTER_CONNECT_RETRY=10;
            START SLAVE;
            EOF
            mv change_master_to.sql.in change_master_to.sql.orig
            """;
    }

    /// <summary>A prepared clone of the small primary, taken with a local pipe (not timed).</summary>
    private async Task<string> LocalCloneAsync(CancellationToken ct)
    {
        var target = work.NewPath("replica");
        var tmp = work.NewPath("backup-tmp");
        Directory.CreateDirectory(target);
        Directory.CreateDirectory(tmp);
        var defaults = work.ClientDefaults("root", primary.RootPassword, primary.Port);
        await Processes
            .BashAsync(
                $"{ServerBinaries.Default.Backup} --defaults-extra-file={Processes.Quote(defaults)} --backup --slave-info --stream=xbstream --target-dir={Processes.Quote(tmp)} 2>{Processes.Quote(Path.Combine(tmp, "backup.log"))} | {ServerBinaries.Default.StreamExtractor} -x -C {Processes.Quote(target)}",
                ct
            )
            .ConfigureAwait(false);
        await CloneThroughput.PrepareAsync(target, ct).ConfigureAwait(false);
        Workspace.DeleteDirectory(tmp);
        return target;
    }
}
