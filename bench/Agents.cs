using System.Diagnostics;
using MysqlAgent.TestSupport;
using MySqlConnector;

namespace MysqlBench;

/// <summary>Starts the published <c>mysql-agent</c> as a pod's sidecar would run it, on 127.0.0.1 ports.</summary>
internal sealed class Agents(BenchOptions options, Workspace work)
{
    /// <summary><c>mysql-agent serve</c> for pod <c>mysql-&lt;ordinal&gt;</c> beside <paramref name="local"/>; mysql-0.mysql maps to <paramref name="primaryPort"/>.</summary>
    public (BackgroundProcess Process, int HttpPort, int BackupPort) Serve(
        int ordinal,
        int localPort,
        string dataDir,
        string adminPassword,
        int primaryPort,
        Link? link = null,
        IReadOnlyList<string>? extraArguments = null
    )
    {
        var bindAddress = link?.DonorHost ?? MariaDbServer.Host;
        var httpPort = Processes.FreePort();
        var backupPort = Processes.FreePort();
        string[] args =
        [
            "serve",
            "--hostname",
            $"mysql-{Processes.Number(ordinal)}",
            "--data-dir",
            dataDir,
            "--mysql-host",
            MariaDbServer.Host,
            "--mysql-port",
            Processes.Number(localPort),
            "--admin-password-file",
            work.PasswordFile(adminPassword),
            "--replication-password-file",
            work.ReplicationPasswordFile,
            "--backup-password-file",
            work.BackupPasswordFile,
            "--backup-token-file",
            work.BackupTokenFile,
            "--http-port",
            Processes.Number(httpPort),
            "--backup-port",
            Processes.Number(backupPort),
            "--bind-address",
            bindAddress,
            "--connect-to",
            $"mysql-0.mysql:3306:{MariaDbServer.Host}:{Processes.Number(primaryPort)}",
            "--log-level",
            "Warning",
            .. (extraArguments ?? []),
        ];
        var (program, arguments) = link is null
            ? (options.AgentPath, args)
            : link.OnDonor(options.AgentPath, args);
        return (new BackgroundProcess(program, arguments), httpPort, backupPort);
    }

    /// <summary>The argument list of <c>mysql-agent clone</c> into <paramref name="dataDir"/> from mysql-0's agent.</summary>
    public IReadOnlyList<string> CloneArguments(
        string dataDir,
        int donorBackupPort,
        string donorHost = MariaDbServer.Host
    ) =>
        [
            "clone",
            "--hostname",
            "mysql-1",
            "--data-dir",
            dataDir,
            "--backup-token-file",
            work.BackupTokenFile,
            "--clone-deadline-seconds",
            "600",
            "--connect-to",
            $"mysql-0.mysql:3307:{donorHost}:{Processes.Number(donorBackupPort)}",
            "--log-level",
            "Warning",
        ];

    /// <summary>Time from the start of <paramref name="agent"/> until /healthz answers (any HTTP status), and until it answers 200.</summary>
    public static async Task<(TimeSpan FirstAnswer, TimeSpan FirstOk)> WaitForHealthzAsync(
        BackgroundProcess agent,
        int httpPort,
        TimeSpan timeout,
        CancellationToken ct
    )
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var url = new Uri($"http://127.0.0.1:{Processes.Number(httpPort)}/healthz");
        TimeSpan? first = null;
        while (agent.StartedAt.Elapsed < timeout)
        {
            if (agent.HasExited)
            {
                throw new BenchException($"mysql-agent exited during start-up:\n{agent.Output}");
            }

            try
            {
                using var response = await http.GetAsync(url, ct).ConfigureAwait(false);
                first ??= agent.StartedAt.Elapsed;
                if (response.IsSuccessStatusCode)
                {
                    return (first.Value, agent.StartedAt.Elapsed);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // Listening but slow to answer (a loaded machine): ask again.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), ct).ConfigureAwait(false);
        }

        throw new BenchException($"/healthz did not answer 200 within {timeout}:\n{agent.Output}");
    }

    /// <summary>Waits until the primary's agent has created the replication and backup users.</summary>
    public static async Task WaitForPrimaryUsersAsync(
        MariaDbServer primary,
        BackgroundProcess agent,
        CancellationToken ct
    )
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (agent.HasExited)
            {
                throw new BenchException($"the primary's agent exited:\n{agent.Output}");
            }

            try
            {
                var users = await primary
                    .ScalarAsync<long>(
                        "SELECT COUNT(*) FROM mysql.user WHERE User IN ('repl', 'backup')",
                        ct
                    )
                    .ConfigureAwait(false);
                if (users >= 2)
                {
                    return;
                }
            }
            catch (MySqlException)
            {
                // Retry.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), ct).ConfigureAwait(false);
        }

        throw new BenchException(
            $"the primary's agent created no repl/backup users in 120 s:\n{agent.Output}"
        );
    }
}
