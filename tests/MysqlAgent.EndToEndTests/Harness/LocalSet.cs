using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CliWrap;
using MysqlAgent.TestSupport;
using MySqlConnector;

namespace MysqlAgent.EndToEndTests.Harness;

/// <summary>
/// A local replica set for one test, driven through <c>mysql-local</c>'s command line exactly as a
/// user drives it: its own state folder and port block, the repository's built binaries, and
/// <c>down</c> when disposed (which kills every process of the set, by id, even after a failure).
/// </summary>
public sealed class LocalSet : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    /// <summary>Every test's own limit: several waits of <see cref="Patience"/>, so a hang fails instead of blocking CI.</summary>
    public const int TestTimeout = 20 * 60 * 1000;

    private static readonly HashSet<int> UsedBases = [];
    private readonly ITestOutputHelper _output;

    private LocalSet(string stateDir, int basePort, ITestOutputHelper output)
    {
        StateDir = stateDir;
        BasePort = basePort;
        _output = output;
    }

    public string StateDir { get; }

    public int BasePort { get; }

    public string RootPassword =>
        File.ReadAllText(Path.Combine(StateDir, "secrets", "root-password")).Trim();

    /// <summary>Runs <c>up</c> and checks it succeeded; the output is the test's evidence.</summary>
    public static async Task<(LocalSet Set, CommandOutput Up)> UpAsync(
        ITestOutputHelper output,
        int replicas = 3,
        IReadOnlyList<string>? extraArguments = null
    )
    {
        var stateDir = Path.Combine(
            Path.GetTempPath(),
            "mysql-agent-e2e",
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))
        );
        var set = new LocalSet(stateDir, FreeBase(), output);
        var up = await set.RunAsync([
            "up",
            "--replicas",
            replicas.ToString(CultureInfo.InvariantCulture),
            "--base-port",
            set.BasePort.ToString(CultureInfo.InvariantCulture),
            "--init-binary",
            Binaries.Init,
            "--agent-binary",
            Binaries.Agent,
            "--config-map-dir",
            Binaries.ConfigMapDir,
            "--agent-arg=--connect-retry-seconds=1",
            "--agent-arg=--log-level=Debug",
            .. (extraArguments ?? []),
        ]);
        if (up.ExitCode != 0)
        {
            await set.DumpLogsAsync();
            await set.DisposeAsync();
            Assert.Fail($"up failed: {up}");
        }

        return (set, up);
    }

    /// <summary>A set in a new folder of its own, not started: for tests of 'up' itself (dispose runs 'down').</summary>
    public static LocalSet Unstarted(ITestOutputHelper output, int basePort) =>
        new(
            Path.Combine(
                Path.GetTempPath(),
                "mysql-agent-e2e",
                Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))
            ),
            basePort,
            output
        );

    public async Task<CommandOutput> RunAsync(params string[] arguments)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var timeout = new CancellationTokenSource(Patience + TimeSpan.FromMinutes(1));
        var result = await Cli.Wrap(Binaries.Local)
            .WithArguments([.. arguments, "--state-dir", StateDir])
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(timeout.Token);
        var output = new CommandOutput(result.ExitCode, stdout.ToString(), stderr.ToString());
        _output.WriteLine($"$ mysql-local {string.Join(' ', arguments)}\n{output}");
        return output;
    }

    public async Task<CommandOutput> MustRunAsync(params string[] arguments)
    {
        var output = await RunAsync(arguments);
        if (output.ExitCode != 0)
        {
            await DumpLogsAsync();
            Assert.Fail($"mysql-local {string.Join(' ', arguments)} failed: {output}");
        }

        return output;
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

    /// <summary>With <c>up --failover</c>: the Lease as <c>status --json</c> reads it from its file.</summary>
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
    /// With <c>up --failover</c>: the Lease straight from the agents' file (cheaper than
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
    public async Task<LeaseView> WaitForLeaseAsync(string what, Func<LeaseView, bool> accept)
    {
        LeaseView? seen = null;
        await WaitUntilAsync(
            what,
            () =>
            {
                seen = LeaseFromFile();
                return Task.FromResult(seen is not null && accept(seen));
            }
        );
        return seen!;
    }

    /// <summary>With <c>up --failover</c>: the kubelet's mysql-primary port, which forwards to the Lease holder.</summary>
    public int PrimaryPort => BasePort + 5;

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

    public async Task<PodView> PodAsync(string name) =>
        (await StatusAsync()).Single(p => p.Name == name);

    public string PodDir(string pod) => Path.Combine(StateDir, "pods", pod);

    public string Log(string pod, string container)
    {
        var file = Path.Combine(PodDir(pod), "logs", container + ".log");
        return File.Exists(file) ? File.ReadAllText(file) : "";
    }

    public static int MysqlPort(int basePort, int ordinal) => basePort + (10 * ordinal) + 6;

    public Task<MySqlConnection> ConnectAsync(int ordinal) =>
        OpenAsync((uint)MysqlPort(BasePort, ordinal), CancellationToken.None);

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

    /// <summary>Waits until <paramref name="condition"/> holds, or fails the test with <paramref name="what"/> and the set's logs.</summary>
    public Task WaitUntilAsync(string what, Func<Task<bool>> condition, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(
            condition,
            what,
            timeout ?? Patience,
            async () =>
            {
                await DumpLogsAsync();
                return "(the set's logs are in the test output)";
            }
        );

    public async Task DumpLogsAsync()
    {
        var kubelet = Path.Combine(StateDir, "kubelet.log");
        if (File.Exists(kubelet))
        {
            _output.WriteLine(
                $"--- kubelet.log ---\n{Tail(await File.ReadAllTextAsync(kubelet), 60)}"
            );
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
                    _output.WriteLine(
                        $"--- {Path.GetFileName(pod)} {container} ---\n{Tail(text, 40)}"
                    );
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        var down = await RunAsync("down");
        if (down.ExitCode != 0 && Directory.Exists(StateDir))
        {
            Directory.Delete(StateDir, recursive: true);
        }
    }

    private static string Tail(string text, int lines) =>
        string.Join('\n', text.Split('\n').TakeLast(lines));

    /// <summary>A block of ports for up to six pods and the mysql-primary port that nothing listens on, never the same twice in a run.</summary>
    private static int FreeBase()
    {
        lock (UsedBases)
        {
            while (true)
            {
                // Below the kernel's ephemeral range (32768 and up), where the other tests' free ports come from.
                var basePort = 20000 + (RandomNumberGenerator.GetInt32(0, 120) * 100);
                if (
                    !UsedBases.Contains(basePort)
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
