using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CliWrap;
using MySqlConnector;

namespace MysqlAgent.TestSupport.Failover;

/// <summary>
/// A local replica set, driven through <c>mysql-local</c>'s command line exactly as a user drives
/// it: its own state folder and port block, the given binaries, and <c>down</c> when disposed
/// (which kills every process of the set, by id, even after a failure). The one driver of the
/// end-to-end tests and the bench. Each command and its output go to the options' log; a failed
/// command dumps the set's log tails there too.
/// </summary>
public sealed class LocalSet : IAsyncDisposable
{
    /// <summary>How long one wait on the set lasts unless the caller says otherwise.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private static readonly HashSet<int> UsedBases = [];
    private readonly LocalSetOptions _options;
    private readonly Lock _lock = new();
    private readonly List<WritableSampler> _samplers = [];

    private LocalSet(LocalSetOptions options, string stateDir, int basePort, int replicas)
    {
        _options = options;
        StateDir = stateDir;
        BasePort = basePort;
        Replicas = replicas;
    }

    public string StateDir { get; }

    public int BasePort { get; }

    /// <summary>How many pods <c>up</c> started (0 for an unstarted set).</summary>
    public int Replicas { get; }

    public string RootPassword =>
        File.ReadAllText(Path.Combine(StateDir, "secrets", "root-password")).Trim();

    /// <summary>The kubelet's mysql-primary port, which forwards to the Lease holder (with <c>--fixed-primary</c>, to mysql-0).</summary>
    public int PrimaryPort => BasePort + 5;

    /// <summary>The set's mysql-read port: new connections over the ready pods.</summary>
    public int ReadPort => BasePort + 3;

    public static string Pod(int ordinal) =>
        string.Create(CultureInfo.InvariantCulture, $"mysql-{ordinal}");

    public static int Ordinal(string pod) =>
        int.Parse(pod["mysql-".Length..], NumberStyles.None, CultureInfo.InvariantCulture);

    public static int MysqlPort(int basePort, int ordinal) => basePort + (10 * ordinal) + 6;

    public static int HttpPort(int basePort, int ordinal) => MysqlPort(basePort, ordinal) + 2;

    /// <summary>
    /// Runs <c>up</c> with <paramref name="arguments"/> in a new state folder and a free port block
    /// and checks it succeeded (the output is the caller's evidence).
    /// </summary>
    /// <exception cref="LocalSetException">up failed; the set's logs went to the log, and it was taken down.</exception>
    public static async Task<(LocalSet Set, CommandOutput Up)> UpAsync(
        LocalSetOptions options,
        string stateDir,
        int replicas,
        IReadOnlyList<string> arguments,
        CancellationToken ct = default
    )
    {
        var set = new LocalSet(options, stateDir, FreeBase(), replicas);
        var up = await set.RunAsync(
            [
                "up",
                "--replicas",
                replicas.ToString(CultureInfo.InvariantCulture),
                "--base-port",
                set.BasePort.ToString(CultureInfo.InvariantCulture),
                "--init-binary",
                options.InitBinary,
                "--agent-binary",
                options.AgentBinary,
                "--config-map-dir",
                options.ConfigMapDir,
                .. arguments,
            ],
            ct
        );
        if (up.ExitCode != 0)
        {
            await set.DumpLogsAsync();
            await set.DisposeAsync();
            throw new LocalSetException($"up failed: {up}");
        }

        return (set, up);
    }

    /// <summary>A set in a folder of its own, not started: for tests of 'up' itself (dispose runs 'down').</summary>
    public static LocalSet Unstarted(LocalSetOptions options, string stateDir, int basePort) =>
        new(options, stateDir, basePort, 0);

    public Task<CommandOutput> RunAsync(params string[] arguments) =>
        RunAsync(arguments, CancellationToken.None);

    /// <summary>
    /// Runs a mysql-local command on this set. A <c>thaw</c> is recorded in every sampler started
    /// by <see cref="StartWritableSampler"/>, from just before the command until it returned (the
    /// processes resumed in between).
    /// </summary>
    public async Task<CommandOutput> RunAsync(IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var thawing = arguments is ["thaw", var thawed, ..] ? thawed : null;
        var samplers = Samplers();
        var from = samplers.Select(s => s.Now).ToList();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Patience + TimeSpan.FromMinutes(1));
        var result = await Cli.Wrap(_options.LocalBinary)
            .WithArguments([.. arguments, "--state-dir", StateDir])
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(timeout.Token);
        if (thawing is not null)
        {
            for (var i = 0; i < samplers.Count; i++)
            {
                samplers[i].RecordThaw(Ordinal(thawing), from[i], samplers[i].Now);
            }
        }

        var output = new CommandOutput(result.ExitCode, stdout.ToString(), stderr.ToString());
        _options.Log($"$ mysql-local {string.Join(' ', arguments)}\n{output}");
        return output;
    }

    public Task<CommandOutput> MustRunAsync(params string[] arguments) =>
        MustRunAsync(arguments, CancellationToken.None);

    /// <summary>Runs a mysql-local command that must succeed.</summary>
    /// <exception cref="LocalSetException">It exited non-zero; the set's logs went to the log.</exception>
    public async Task<CommandOutput> MustRunAsync(
        IReadOnlyList<string> arguments,
        CancellationToken ct
    )
    {
        var output = await RunAsync(arguments, ct);
        if (output.ExitCode != 0)
        {
            await DumpLogsAsync();
            throw new LocalSetException(
                $"mysql-local {string.Join(' ', arguments)} failed: {output}"
            );
        }

        return output;
    }

    /// <summary>
    /// A <see cref="WritableSampler"/> of every pod's mysqld, with a client's short timeouts, that
    /// this set's <c>thaw</c> commands tell of each thaw.
    /// </summary>
    public WritableSampler StartWritableSampler(Stopwatch? clock = null)
    {
        var sampler = WritableSampler.Start(
            Enumerable
                .Range(0, Replicas)
                .Select(o =>
                    (Func<CancellationToken, Task<MySqlConnection>>)(
                        ct =>
                            OpenAsync(
                                (uint)MysqlPort(BasePort, o),
                                ct,
                                connectSeconds: 3,
                                commandSeconds: 5
                            )
                    )
                )
                .ToList(),
            clock
        );
        lock (_lock)
        {
            _samplers.Add(sampler);
        }

        return sampler;
    }

    public async Task<IReadOnlyList<PodView>> StatusAsync()
    {
        var output = await MustRunAsync("status", "--json");
        using var document = JsonDocument.Parse(output.StandardOutput);
        return document
            .RootElement.GetProperty("pods")
            .EnumerateArray()
            .Select(e => new PodView(e.Clone()))
            .ToList();
    }

    /// <summary>With failover (the default; not <c>up --fixed-primary</c>): the Lease as <c>status --json</c> reads it from its file.</summary>
    public async Task<LeaseView> LeaseAsync()
    {
        var output = await MustRunAsync("status", "--json");
        using var document = JsonDocument.Parse(output.StandardOutput);
        var failover = document.RootElement.GetProperty("failover");
        return new LeaseView(
            failover.TryGetProperty("holder", out var holder) ? holder.GetString() ?? "" : "",
            failover.TryGetProperty("term", out var term) ? term.GetInt64() : 0,
            failover.GetProperty("route").GetString() ?? ""
        );
    }

    /// <summary>
    /// With failover (the default; not <c>up --fixed-primary</c>): the Lease straight from the agents' file (cheaper than
    /// <c>status</c>, which asks every agent); null before it exists. The agents replace the file
    /// by a rename, so a read sees a whole document.
    /// </summary>
    public LeaseView? LeaseFromFile()
    {
        var file = Path.Combine(StateDir, "lease", "lease.json");
        if (!File.Exists(file))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(file));
        return new LeaseView(
            document.RootElement.GetProperty("holder").GetString() ?? "",
            document.RootElement.GetProperty("term").GetInt64(),
            ""
        );
    }

    /// <summary>Waits until the Lease file satisfies <paramref name="accept"/>; returns it.</summary>
    public async Task<LeaseView> WaitForLeaseAsync(
        string what,
        Func<LeaseView, bool> accept,
        TimeSpan? timeout = null,
        CancellationToken ct = default
    )
    {
        LeaseView? seen = null;
        await WaitUntilAsync(
            what,
            () =>
            {
                seen = LeaseFromFile();
                return Task.FromResult(seen is not null && accept(seen));
            },
            timeout,
            ct
        );
        return seen!;
    }

    /// <summary>A connection through the mysql-primary port, as a writer's.</summary>
    /// <remarks>Short timeouts, as a writer's: a frozen primary must cost seconds, not the default 30.</remarks>
    public Task<MySqlConnection> ConnectPrimaryAsync(
        (string User, string Password)? account = null,
        CancellationToken cancellationToken = default
    ) =>
        OpenAsync(
            (uint)PrimaryPort,
            cancellationToken,
            connectSeconds: 3,
            commandSeconds: 5,
            account: account
        );

    /// <summary>A root connection through the mysql-read port, as a reader's.</summary>
    public Task<MySqlConnection> ConnectReadAsync(CancellationToken cancellationToken = default) =>
        OpenAsync((uint)ReadPort, cancellationToken, connectSeconds: 3, commandSeconds: 5);

    public async Task<PodView> PodAsync(string name) =>
        (await StatusAsync()).Single(p => p.Name == name);

    public string PodDir(string pod) => Path.Combine(StateDir, "pods", pod);

    public string Log(string pod, string container)
    {
        var file = Path.Combine(PodDir(pod), "logs", container + ".log");
        return File.Exists(file) ? File.ReadAllText(file) : "";
    }

    /// <summary>A root connection to one pod's mysqld.</summary>
    public Task<MySqlConnection> ConnectAsync(int ordinal, CancellationToken ct = default) =>
        OpenAsync((uint)MysqlPort(BasePort, ordinal), ct);

    /// <summary>The agent's own verdict in its <c>/status</c>: <c>candidate.errant</c>.</summary>
    public async Task<bool> ErrantAsync(int ordinal, CancellationToken ct = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        var body = await http.GetStringAsync(
            new Uri(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"http://127.0.0.1:{HttpPort(BasePort, ordinal)}/status"
                )
            ),
            ct
        );
        using var document = JsonDocument.Parse(body);
        return Errant(document.RootElement);
    }

    /// <summary>Whether an agent's <c>/status</c> document says <c>candidate.errant</c>.</summary>
    public static bool Errant(JsonElement status) =>
        status.TryGetProperty("candidate", out var candidate)
        && candidate.TryGetProperty("errant", out var errant)
        && errant.GetBoolean();

    /// <summary>Waits until <paramref name="condition"/> holds, or throws with <paramref name="what"/> after putting the set's logs in the log.</summary>
    public Task WaitUntilAsync(
        string what,
        Func<Task<bool>> condition,
        TimeSpan? timeout = null,
        CancellationToken ct = default
    ) =>
        Eventually.UntilAsync(
            condition,
            what,
            timeout ?? Patience,
            async () =>
            {
                await DumpLogsAsync();
                return "(the set's logs are in the log)";
            },
            ct
        );

    /// <summary>The tails of the kubelet's and every container's log, to the log.</summary>
    public async Task DumpLogsAsync()
    {
        var kubelet = Path.Combine(StateDir, "kubelet.log");
        if (File.Exists(kubelet))
        {
            _options.Log($"--- kubelet.log ---\n{Tail(await File.ReadAllTextAsync(kubelet), 60)}");
        }

        var pods = Path.Combine(StateDir, "pods");
        if (!Directory.Exists(pods))
        {
            return;
        }

        foreach (var pod in Directory.EnumerateDirectories(pods).Order())
        {
            foreach (var container in new[] { "clone", "mysql", "agent" })
            {
                var text = Log(Path.GetFileName(pod), container);
                if (text.Length > 0)
                {
                    _options.Log($"--- {Path.GetFileName(pod)} {container} ---\n{Tail(text, 40)}");
                }
            }
        }
    }

    /// <summary>Copies the kubelet's and every container's whole log to <paramref name="folder"/>, for a run that failed.</summary>
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
            // The logs are a help for the reader, not a result.
        }
        catch (UnauthorizedAccessException) { }
    }

    public async ValueTask DisposeAsync()
    {
        var down = await RunAsync("down");
        if (down.ExitCode != 0 && Directory.Exists(StateDir))
        {
            _options.Log($"warning: mysql-local down exited {down.ExitCode} for {StateDir}");
            Directory.Delete(StateDir, recursive: true);
        }
    }

    private List<WritableSampler> Samplers()
    {
        lock (_lock)
        {
            return [.. _samplers];
        }
    }

    private async Task<MySqlConnection> OpenAsync(
        uint port,
        CancellationToken cancellationToken,
        uint connectSeconds = 5,
        uint commandSeconds = 30,
        (string User, string Password)? account = null
    )
    {
        var connection = new MySqlConnection(
            new MySqlConnectionStringBuilder
            {
                Server = "127.0.0.1",
                Port = port,
                UserID = account?.User ?? "root",
                Password = account?.Password ?? RootPassword,
                SslMode = MySqlSslMode.None,
                Pooling = false,
                ConnectionTimeout = connectSeconds,
                DefaultCommandTimeout = commandSeconds,
            }.ConnectionString
        );
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return connection;
    }

    private static string Tail(string text, int lines) =>
        string.Join('\n', text.Split('\n').TakeLast(lines));

    /// <summary>A block of ports for up to six pods, the Prometheus and mysql-primary ports, that nothing listens on, never the same twice in a process.</summary>
    public static int FreeBase()
    {
        lock (UsedBases)
        {
            while (true)
            {
                // Below the kernel's ephemeral range (32768 and up), where the other tests' free ports come from.
                var basePort = 20000 + (RandomNumberGenerator.GetInt32(0, 120) * 100);
                if (
                    !UsedBases.Contains(basePort)
                    && Free(basePort + 3)
                    && Free(basePort + 4)
                    && Free(basePort + 5)
                    && Enumerable
                        .Range(0, 6)
                        .All(o =>
                            Free(basePort + (10 * o) + 6)
                            && Free(basePort + (10 * o) + 7)
                            && Free(basePort + (10 * o) + 8)
                        )
                )
                {
                    UsedBases.Add(basePort);
                    return basePort;
                }
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
