using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using MysqlAgent.TestSupport;
using MySqlConnector;

namespace MysqlBench.Failover;

/// <summary>
/// One local replica set with automatic failover (<c>mysql-local up --failover</c>), driven through
/// mysql-local's command line as a user drives it: its own state folder under the bench's
/// workspace, a free port block, the published binaries, no extra agent arguments (the default
/// election timings), and <c>down</c> when disposed.
/// </summary>
internal sealed class LocalSet : IAsyncDisposable
{
    public const int Pods = 3;

    private readonly string _local;

    private LocalSet(string local, string stateDir, int basePort)
    {
        _local = local;
        StateDir = stateDir;
        BasePort = basePort;
    }

    public string StateDir { get; }

    public int BasePort { get; }

    /// <summary>The kubelet's mysql-primary port: each new connection goes to the Lease holder.</summary>
    public int PrimaryPort => BasePort + 5;

    public string RootPassword =>
        File.ReadAllText(Path.Combine(StateDir, "secrets", "root-password")).Trim();

    public static string Pod(int ordinal) => $"mysql-{ordinal}";

    public static int Ordinal(string pod) =>
        int.Parse(pod["mysql-".Length..], NumberStyles.None, CultureInfo.InvariantCulture);

    public int MysqlPort(int ordinal) => BasePort + (10 * ordinal) + 6;

    public int HttpPort(int ordinal) => BasePort + (10 * ordinal) + 8;

    /// <summary>Runs <c>up --failover</c> and waits for readiness (mysql-local's own wait).</summary>
    /// <exception cref="BenchException">The set did not come up; its logs are kept in <paramref name="keepLogsIn"/>.</exception>
    public static async Task<LocalSet> UpAsync(
        BenchOptions options,
        string stateDir,
        string keepLogsIn,
        CancellationToken ct
    )
    {
        var set = new LocalSet(options.LocalPath, stateDir, FreeBase());
        var up = await set.RunAsync(
            ct,
            "up",
            "--failover",
            "--replicas",
            Pods.ToString(CultureInfo.InvariantCulture),
            "--base-port",
            set.BasePort.ToString(CultureInfo.InvariantCulture),
            "--init-binary",
            options.InitPath,
            "--agent-binary",
            options.AgentPath,
            "--config-map-dir",
            Repository.Of("manifests", "overlays", "mariadb")
        );
        if (up.ExitCode != 0)
        {
            set.KeepLogs(keepLogsIn);
            await set.DisposeAsync();
            throw new BenchException(
                $"the local set did not come up (mysql-local up exited {up.ExitCode}: {LastLine(up.Output)}); its logs are in {keepLogsIn}"
            );
        }

        return set;
    }

    public Task<RunResult> RunAsync(CancellationToken ct, params string[] arguments) =>
        Processes.RunAsync(_local, [.. arguments, "--state-dir", StateDir], ct, check: false);

    /// <summary>Runs a mysql-local command that must succeed.</summary>
    /// <exception cref="BenchException">It exited non-zero.</exception>
    public async Task MustRunAsync(CancellationToken ct, params string[] arguments)
    {
        var result = await RunAsync(ct, arguments);
        if (result.ExitCode != 0)
        {
            throw new BenchException(
                $"mysql-local {string.Join(' ', arguments)} exited {result.ExitCode}: {LastLine(result.Output)}"
            );
        }
    }

    /// <summary>The Lease as the agents' file store holds it; null before it exists. The agents replace it by a rename, so a read sees a whole document.</summary>
    public (string Holder, long Term)? Lease()
    {
        var file = Path.Combine(StateDir, "lease", "lease.json");
        if (!File.Exists(file))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(file));
        return (
            document.RootElement.GetProperty("holder").GetString() ?? "",
            document.RootElement.GetProperty("term").GetInt64()
        );
    }

    /// <summary>Waits until the Lease satisfies <paramref name="accept"/>; returns it.</summary>
    public async Task<(string Holder, long Term)> WaitForLeaseAsync(
        string what,
        TimeSpan limit,
        Func<string, long, bool> accept,
        CancellationToken ct
    )
    {
        (string Holder, long Term) seen = ("", 0);
        await Deadline.UntilAsync(
            what,
            limit,
            _ =>
            {
                var lease = Lease();
                if (lease is { } l && accept(l.Holder, l.Term))
                {
                    seen = l;
                    return Task.FromResult(true);
                }

                return Task.FromResult(false);
            },
            ct
        );
        return seen;
    }

    /// <summary>A connection through mysql-primary, with a client's short timeouts: a frozen primary must cost seconds.</summary>
    public Task<MySqlConnection> ConnectPrimaryAsync(
        (string User, string Password)? account,
        CancellationToken ct
    ) => OpenAsync(PrimaryPort, account, ct);

    /// <summary>A root connection to one pod's mysqld.</summary>
    public Task<MySqlConnection> ConnectAsync(int ordinal, CancellationToken ct) =>
        OpenAsync(MysqlPort(ordinal), null, ct);

    /// <summary>The agent's own verdict in its <c>/status</c>: <c>candidate.errant</c>.</summary>
    public async Task<bool> ErrantAsync(int ordinal, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        var body = await http.GetStringAsync(
            new Uri(
                $"http://127.0.0.1:{HttpPort(ordinal).ToString(CultureInfo.InvariantCulture)}/status"
            ),
            ct
        );
        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("candidate", out var candidate)
            && candidate.TryGetProperty("errant", out var errant)
            && errant.GetBoolean();
    }

    /// <summary>Copies the kubelet's and every container's log to <paramref name="folder"/>, for a run that failed.</summary>
    public void KeepLogs(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var kubelet = Path.Combine(StateDir, "kubelet.log");
            if (File.Exists(kubelet))
            {
                File.Copy(kubelet, Path.Combine(folder, "kubelet.log"), overwrite: true);
            }

            var pods = Path.Combine(StateDir, "pods");
            if (!Directory.Exists(pods))
            {
                return;
            }

            foreach (var pod in Directory.EnumerateDirectories(pods))
            {
                var logs = Path.Combine(pod, "logs");
                if (!Directory.Exists(logs))
                {
                    continue;
                }

                foreach (var log in Directory.EnumerateFiles(logs))
                {
                    File.Copy(
                        log,
                        Path.Combine(folder, $"{Path.GetFileName(pod)}-{Path.GetFileName(log)}"),
                        overwrite: true
                    );
                }
            }
        }
        catch (IOException)
        {
            // The logs are a help for the reader, not a figure.
        }
        catch (UnauthorizedAccessException) { }
    }

    public async ValueTask DisposeAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var down = await RunAsync(limit.Token, "down");
        if (down.ExitCode != 0)
        {
            Console.Error.WriteLine(
                $"mysql-bench: warning: mysql-local down exited {down.ExitCode} for {StateDir}: {LastLine(down.Output)}"
            );
        }
    }

    private static string LastLine(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "(no output)";

    private async Task<MySqlConnection> OpenAsync(
        int port,
        (string User, string Password)? account,
        CancellationToken ct
    )
    {
        var connection = new MySqlConnection(
            new MySqlConnectionStringBuilder
            {
                Server = "127.0.0.1",
                Port = (uint)port,
                UserID = account?.User ?? "root",
                Password = account?.Password ?? RootPassword,
                SslMode = MySqlSslMode.None,
                Pooling = false,
                ConnectionTimeout = 3,
                DefaultCommandTimeout = 5,
            }.ConnectionString
        );
        try
        {
            await connection.OpenAsync(ct);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return connection;
    }

    /// <summary>A block of ports for the pods and the mysql-primary port that nothing listens on, below the ephemeral range.</summary>
    private static int FreeBase()
    {
        while (true)
        {
            var basePort = 20000 + (RandomNumberGenerator.GetInt32(0, 120) * 100);
            if (
                Free(basePort + 5)
                && Enumerable
                    .Range(0, Pods)
                    .All(o =>
                        Free(basePort + (10 * o) + 6)
                        && Free(basePort + (10 * o) + 7)
                        && Free(basePort + (10 * o) + 8)
                    )
            )
            {
                return basePort;
            }
        }
    }

    private static bool Free(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
