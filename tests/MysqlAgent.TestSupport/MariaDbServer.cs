using System.Globalization;
using System.Security.Cryptography;
using CliWrap;
using MySqlConnector;

namespace MysqlAgent.TestSupport;

/// <summary>
/// A real, private <c>mariadbd</c> on 127.0.0.1 for one test: its own folder (datadir, socket, pid
/// file, error log) under the temp dir, a free port and a random root password. Dispose it, even
/// when the test fails: that stops the process and deletes the folder.
/// </summary>
public sealed class MariaDbServer : IAsyncDisposable
{
    public const string Host = "127.0.0.1";

    private readonly ServerBinaries _binaries;
    private readonly ServerLog _log;
    private readonly bool _deleteDataDir;
    private CommandTask<CommandResult>? _run;
    private CancellationTokenSource? _kill;
    private int _disposed;

    private MariaDbServer(MariaDbServerOptions options, ServerBinaries binaries, string rootFolder)
    {
        Options = options;
        _binaries = binaries;
        RootFolder = rootFolder;
        DataDir = options.DataDir ?? Path.Combine(rootFolder, "data");
        _deleteDataDir = options.DataDir is null || options.DeleteDataDirOnDispose;
        SocketPath = Path.Combine(rootFolder, "mysqld.sock");
        TempDir = Path.Combine(rootFolder, "tmp");
        PidFilePath = Path.Combine(rootFolder, RunningServers.PidFileName);
        ErrorLogPath = Path.Combine(rootFolder, "error.log");
        Port = options.Port ?? FreePorts.Next();
        // A fresh install starts with an empty root password; SecureAsync then sets the one asked for.
        RootPassword = options.DataDir is null ? "" : options.RootPassword ?? "";
        _log = new ServerLog(ErrorLogPath);
    }

    public MariaDbServerOptions Options { get; }

    /// <summary>The private folder holding everything of this server (and the datadir, unless one was given).</summary>
    public string RootFolder { get; }

    public string DataDir { get; }

    public string SocketPath { get; }

    public string PidFilePath { get; }

    /// <summary>
    /// The server's own <c>--tmpdir</c>: servers sharing <c>/tmp</c> have been seen to lose each
    /// other's temporary tables during concurrent install-db runs.
    /// </summary>
    public string TempDir { get; }

    /// <summary><c>mariadbd</c>'s stdout and stderr, appended across restarts.</summary>
    public string ErrorLogPath { get; }

    public int Port { get; private set; }

    public int ServerId => Options.ServerId;

    public string RootPassword { get; private set; }

    /// <summary>The pid of the current (or last) <c>mariadbd</c> process.</summary>
    public int ProcessId { get; private set; }

    public bool IsRunning => _run is { Task.IsCompleted: false };

    /// <summary>Installs (unless <see cref="MariaDbServerOptions.DataDir"/> is given), boots and secures a server.</summary>
    /// <exception cref="ServerBinariesNotFoundException">MariaDB is not installed.</exception>
    /// <exception cref="MariaDbServerStartException">It did not come up; the message has its log.</exception>
    public static async Task<MariaDbServer> StartAsync(
        MariaDbServerOptions options,
        CancellationToken ct = default
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        var binaries = ServerBinaries.Default;
        RunningServers.SweepOrphansOnce();
        var rootFolder = Path.Combine(
            RunningServers.BaseFolder,
            string.Create(
                CultureInfo.InvariantCulture,
                $"s{options.ServerId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}"
            )
        );
        Directory.CreateDirectory(rootFolder);
        await File.WriteAllTextAsync(
                Path.Combine(rootFolder, RunningServers.OwnerFileName),
                Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                ct
            )
            .ConfigureAwait(false);

        var server = new MariaDbServer(options, binaries, rootFolder);
        Directory.CreateDirectory(server.TempDir);
        try
        {
            if (options.DataDir is null)
            {
                await server.InstallAsync(ct).ConfigureAwait(false);
            }
            await server
                .BootAsync(mayPickAnotherPort: options.Port is null, ct)
                .ConfigureAwait(false);
            if (options.DataDir is null)
            {
                await server.SecureAsync(ct).ConfigureAwait(false);
            }
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Boots the same datadir on the same port after <see cref="StopAsync"/> or <see cref="KillAsync"/>.</summary>
    public Task StartAgainAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (IsRunning)
        {
            throw new InvalidOperationException(
                $"Server {ServerId} on port {Port} is still running; stop or kill it first."
            );
        }
        return BootAsync(mayPickAnotherPort: false, ct);
    }

    /// <summary>A clean shutdown (<c>SHUTDOWN</c>, else SIGTERM), then SIGKILL if it takes longer than the start timeout.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (!IsRunning)
        {
            return;
        }
        Note("stopping (SHUTDOWN)");
        try
        {
            await ExecuteAsync("SHUTDOWN", ct).ConfigureAwait(false);
        }
        catch (MySqlException)
        {
            // No SQL way in (unknown password, hung server): ask the process instead.
            await Cli.Wrap("kill")
                .WithArguments(["-TERM", ProcessId.ToString(CultureInfo.InvariantCulture)])
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(ct)
                .ConfigureAwait(false);
        }
        if (!await WaitForExitAsync(Options.StartTimeout).ConfigureAwait(false))
        {
            await KillAsync().ConfigureAwait(false);
        }
    }

    /// <summary>SIGKILL now, like <c>kill -9</c>: no shutdown, InnoDB recovers on the next start.</summary>
    public async Task KillAsync()
    {
        if (_run is null)
        {
            return;
        }
        if (IsRunning)
        {
            Note("killing (SIGKILL)");
        }
        await (_kill?.CancelAsync() ?? Task.CompletedTask).ConfigureAwait(false);
        await WaitForExitAsync(Timeout.InfiniteTimeSpan).ConfigureAwait(false);
    }

    /// <summary>Stops the server (killed when its datadir is deleted anyway) and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        try
        {
            if (_deleteDataDir)
            {
                await KillAsync().ConfigureAwait(false);
            }
            else
            {
                await StopAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            DeleteFolders();
        }
    }

    /// <summary>Root over TCP, without pooling so that a killed server leaves no stale connection behind.</summary>
    public string ConnectionString(string? database = null) =>
        ConnectionStringFor("root", RootPassword, database);

    public string ConnectionStringFor(string user, string? password, string? database = null) =>
        new MySqlConnectionStringBuilder
        {
            Server = Host,
            Port = checked((uint)Port),
            UserID = user,
            Password = password ?? "",
            Database = database ?? "",
            Pooling = false,
            ConnectionTimeout = 5,
            DefaultCommandTimeout = 60,
        }.ConnectionString;

    public async Task<MySqlConnection> OpenConnectionAsync(
        string? database = null,
        CancellationToken ct = default
    )
    {
        var connection = new MySqlConnection(ConnectionString(database));
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs statements as root; returns the rows affected.</summary>
    public async Task<int> ExecuteAsync(string sql, CancellationToken ct = default)
    {
        await using var connection = await OpenConnectionAsync(ct: ct).ConfigureAwait(false);
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The first column of the first row as <typeparamref name="T"/>; default when there is none or it is NULL.</summary>
    public async Task<T?> ScalarAsync<T>(string sql, CancellationToken ct = default)
    {
        await using var connection = await OpenConnectionAsync(ct: ct).ConfigureAwait(false);
        await using var command = new MySqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
        if (value is null or DBNull)
        {
            return default;
        }
        if (value is T typed)
        {
            return typed;
        }
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }

    /// <summary>The last lines <c>mariadbd</c> printed, for assertion messages.</summary>
    public string ErrorLogTail() => _log.Tail();

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"mariadbd #{ServerId} on {Host}:{Port}");

    internal void KillAndDeleteNow()
    {
        try
        {
            _kill?.Cancel();
        }
        catch (ObjectDisposedException) { }
        // Only while our process runs: an exited pid may already belong to someone else.
        if (IsRunning)
        {
            RunningServers.KillProcess(ProcessId);
            RunningServers.WaitUntilGone(ProcessId, TimeSpan.FromSeconds(5));
        }
        DeleteFolders();
    }

    private void DeleteFolders()
    {
        RunningServers.Remove(this);
        _log.Dispose();
        RunningServers.TryDeleteFolder(RootFolder);
        if (_deleteDataDir)
        {
            RunningServers.TryDeleteFolder(DataDir);
        }
    }

    /// <summary>The fixture's own steps in the log, timed, to tell a slow machine from a hung server.</summary>
    private void Note(string what) =>
        _log.Write(
            string.Create(
                CultureInfo.InvariantCulture,
                $"--- test fixture {DateTime.Now:HH:mm:ss.fff}: {what}"
            )
        );

    private async Task InstallAsync(CancellationToken ct)
    {
        Note($"running {_binaries.InstallDb}");
        var arguments = new List<string>
        {
            "--no-defaults",
            $"--datadir={DataDir}",
            $"--tmpdir={TempDir}",
            "--auth-root-authentication-method=normal",
            $"--innodb-buffer-pool-size={Options.InnodbBufferPoolSize}",
            $"--innodb-log-file-size={Options.InnodbLogFileSize}",
        };
        if (IsRoot)
        {
            arguments.Add("--user=root");
        }
        var result = await Cli.Wrap(_binaries.InstallDb)
            .WithArguments(arguments)
            // install-db's bootstrap server does not always take --tmpdir: concurrent installs
            // sharing /tmp have failed on each other's temporary tables.
            .WithEnvironmentVariables(env => env.Set("TMPDIR", TempDir))
            .WithStandardOutputPipe(PipeTarget.ToDelegate(_log.Write))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(_log.Write))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(ct)
            .ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            throw new MariaDbServerStartException(
                $"{_binaries.InstallDb} exited with code {result.ExitCode} for {DataDir}:",
                _log.Tail()
            );
        }
    }

    private IEnumerable<string> ServerArguments()
    {
        yield return "--no-defaults";
        yield return $"--datadir={DataDir}";
        yield return $"--socket={SocketPath}";
        yield return $"--tmpdir={TempDir}";
        yield return $"--pid-file={PidFilePath}";
        yield return string.Create(CultureInfo.InvariantCulture, $"--port={Port}");
        yield return $"--bind-address={Host}";
        yield return string.Create(CultureInfo.InvariantCulture, $"--server-id={ServerId}");
        if (IsRoot)
        {
            yield return "--user=root";
        }
        yield return "--skip-name-resolve";
        yield return $"--innodb-buffer-pool-size={Options.InnodbBufferPoolSize}";
        yield return $"--innodb-log-file-size={Options.InnodbLogFileSize}";
        if (Options.LogBin)
        {
            yield return "--log-bin=mysql-bin";
            yield return "--log-slave-updates";
        }
        else
        {
            yield return "--skip-log-bin";
        }
        yield return $"--gtid-strict-mode={(Options.GtidStrictMode ? "ON" : "OFF")}";
        if (Options.ReadOnly)
        {
            yield return "--read-only";
        }
        foreach (var extra in Options.ExtraArgs)
        {
            yield return extra;
        }
    }

    private async Task BootAsync(bool mayPickAnotherPort, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            Launch();
            try
            {
                await WaitUntilAnswersAsync(ct).ConfigureAwait(false);
                Note("answers SELECT 1");
                return;
            }
            catch (MariaDbServerStartException e) when (attempt == 1 && e.IsAddressInUse)
            {
                await KillAsync().ConfigureAwait(false);
                if (mayPickAnotherPort)
                {
                    Port = FreePorts.Next();
                }
                else
                {
                    // Its own port may be held a moment longer by a process that is going away;
                    // one held for good fails the start with the address-in-use error.
                    if (!await PortFreesUpAsync(ct).ConfigureAwait(false))
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
                    }
                }
            }
            catch
            {
                await KillAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    private async Task<bool> PortFreesUpAsync(CancellationToken ct)
    {
        try
        {
            await Eventually
                .UntilAsync(
                    () => FreePorts.IsFree(Port),
                    $"port {Port} is free again for {this}",
                    TimeSpan.FromSeconds(5),
                    cancellationToken: ct
                )
                .ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void Launch()
    {
        _kill?.Dispose();
        _kill = new CancellationTokenSource();
        Note($"starting {_binaries.Server} on port {Port}");
        // The process outlives StartAsync, so only our own token (KillAsync) may end it.
        _run = Cli.Wrap(_binaries.Server)
            .WithArguments(ServerArguments())
            .WithStandardOutputPipe(PipeTarget.ToDelegate(_log.Write))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(_log.Write))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(_kill.Token);
        ProcessId = _run.ProcessId;
        RunningServers.Add(this);
    }

    private async Task WaitUntilAnswersAsync(CancellationToken ct)
    {
        var run = _run!;
        try
        {
            await Eventually
                .ValueAsync(
                    async () =>
                    {
                        if (run.Task.IsCompleted)
                        {
                            // Not a state to wait out: fail at once, with the server's last words.
                            throw new MariaDbServerStartException(
                                $"{this} exited ({await DescribeExitAsync(run).ConfigureAwait(false)}) before answering SELECT 1; last lines of {ErrorLogPath}:",
                                _log.Tail()
                            );
                        }

                        return await ScalarAsync<int>("SELECT 1", ct).ConfigureAwait(false);
                    },
                    one => one == 1,
                    $"{this} answers SELECT 1",
                    Options.StartTimeout,
                    cancellationToken: ct
                )
                .ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new MariaDbServerStartException(
                $"{this} did not answer SELECT 1 within {Options.StartTimeout.TotalSeconds:0} s ({e.Message}); last lines of {ErrorLogPath}:",
                _log.Tail()
            );
        }
    }

    private static async Task<string> DescribeExitAsync(CommandTask<CommandResult> run)
    {
        try
        {
            var result = await run.ConfigureAwait(false);
            return string.Create(CultureInfo.InvariantCulture, $"exit code {result.ExitCode}");
        }
        catch (OperationCanceledException)
        {
            return "killed";
        }
    }

    private async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        var run = _run;
        if (run is null)
        {
            return true;
        }
        try
        {
            await run.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Killed through our token: it has exited.
        }
        catch (TimeoutException)
        {
            return false;
        }
        return true;
    }

    /// <summary>
    /// Sets the root password everywhere root can log in from and drops the anonymous users: while
    /// <c>''@'localhost'</c> exists, a <c>'repl'@'%'</c> login from 127.0.0.1 is refused.
    /// </summary>
    private async Task SecureAsync(CancellationToken ct)
    {
        var password =
            Options.RootPassword ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        await using (var connection = await OpenConnectionAsync(ct: ct).ConfigureAwait(false))
        {
            // Accounts named after the machine's hostname are ignored under --skip-name-resolve, so
            // DROP/ALTER USER cannot reach them: delete them from the grant tables directly.
            string[] statements =
            [
                "DELETE FROM mysql.global_priv WHERE User = '' OR (User = 'root' AND Host NOT IN ('localhost', '127.0.0.1', '::1'))",
                "DELETE FROM mysql.db WHERE User = ''",
                "DELETE FROM mysql.proxies_priv WHERE User = '' OR Host NOT IN ('localhost', '127.0.0.1', '::1')",
                "FLUSH PRIVILEGES",
                "ALTER USER 'root'@'localhost' IDENTIFIED BY @password",
                "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY @password",
                "ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY @password",
                "CREATE USER IF NOT EXISTS 'root'@'::1' IDENTIFIED BY @password",
                "ALTER USER 'root'@'::1' IDENTIFIED BY @password",
                "CREATE USER 'root'@'%' IDENTIFIED BY @password",
                "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1', 'root'@'::1', 'root'@'%' WITH GRANT OPTION",
            ];
            foreach (var sql in statements)
            {
                await RunAsync(connection, sql, password, ct).ConfigureAwait(false);
            }
        }
        RootPassword = password;
    }

    private static async Task RunAsync(
        MySqlConnection connection,
        string sql,
        string password,
        CancellationToken ct
    )
    {
        await using var command = new MySqlCommand(sql, connection);
        command.Parameters.AddWithValue("@password", password);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static bool IsRoot =>
        string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
}
