using System.Globalization;
using System.Text;
using CliWrap;
using DotNet.Testcontainers.Configurations;
using MysqlAgent.TestSupport;
using MySqlConnector;
using Testcontainers.MySql;

namespace MysqlAgent.IntegrationTests.Mysql;

[CollectionDefinition(Name)]
public sealed class MysqlContainers : ICollectionFixture<MysqlEngine>
{
    public const string Name = "real MySQL";
}

/// <summary>
/// The container engine for the MySQL tests: its own <c>podman system service</c> on a private socket
/// (unless DOCKER_HOST names another engine), Testcontainers without its reaper (its image cannot be
/// pulled here), and the containers of earlier runs removed by label.
/// </summary>
public sealed class MysqlEngine : IAsyncLifetime
{
    public const string Label = "mysql-agent-test";

    /// <summary>The test process that made a container: only its own or a dead process's are removed.</summary>
    public const string OwnerLabel = "mysql-agent-test-owner";

    /// <summary>How long a container may take to answer before its start fails (not hangs).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    public static string Owner { get; } =
        Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    private readonly CancellationTokenSource _stopService = new();
    private readonly StringBuilder _serviceLog = new();
    private string? _folder;
    private CommandTask<CommandResult>? _service;

    public Uri? Endpoint { get; private set; }

    public async Task InitializeAsync()
    {
        if (MysqlEnvironment.SkipReason is { } reason)
        {
            if (MysqlEnvironment.Required)
            {
                throw new InvalidOperationException(
                    $"{MysqlEnvironment.RequiredVariable}=1 but the MySQL tests cannot run: {reason}"
                );
            }

            return;
        }

        Environment.SetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED", "true");
        Environment.SetEnvironmentVariable("TESTCONTAINERS_HOST_OVERRIDE", MariaDbServer.Host);
        if (!MysqlEnvironment.UsesOwnPodman)
        {
            Endpoint = new Uri(Environment.GetEnvironmentVariable("DOCKER_HOST")!);
            return;
        }

        _folder = Directory.CreateTempSubdirectory("mysql-agent-podman-").FullName;
        var socket = Path.Combine(_folder, "podman.sock");
        Endpoint = new Uri("unix://" + socket);
        Environment.SetEnvironmentVariable("DOCKER_HOST", Endpoint.ToString());
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["CONTAINERS_CONF"] = Path.Combine(
                MysqlEnvironment.RepositoryRoot,
                "images",
                "mysql-test",
                "containers.conf"
            ),
        };
        _service = Cli.Wrap(MysqlEnvironment.Podman)
            .WithArguments(["system", "service", "--time", "0", Endpoint.ToString()])
            .WithEnvironmentVariables(environment)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(_serviceLog))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(_serviceLog))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(CancellationToken.None, _stopService.Token);
        await Eventually.UntilAsync(
            () => File.Exists(socket) || _service.Task.IsCompleted,
            $"podman system service listens on {socket}",
            TimeSpan.FromSeconds(60)
        );
        if (_service.Task.IsCompleted)
        {
            throw new InvalidOperationException($"podman system service exited: {_serviceLog}");
        }

        await RemoveLeftoversAsync();
    }

    /// <summary>Starts a MySQL server (one container) with a unique server id and extra mysqld options.</summary>
    public async Task<MysqlServer> StartAsync(int serverId, params string[] mysqldOptions)
    {
        var password = "root-" + Guid.NewGuid().ToString("N")[..12];
        var container = new MySqlBuilder(MysqlEnvironment.Image)
            .WithDockerEndpoint(Endpoint!)
            .WithCleanUp(false)
            .WithLabel(Label, "mysql")
            .WithLabel(OwnerLabel, Owner)
            .WithUsername("root")
            .WithPassword(password)
            .WithCommand([
                "mysqld",
                string.Create(CultureInfo.InvariantCulture, $"--server-id={serverId}"),
                "--gtid-mode=ON",
                "--enforce-gtid-consistency=ON",
                "--log-bin=mysql-bin",
                .. mysqldOptions,
            ])
            .Build();
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            await container.StartAsync(timeout.Token);
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }

        return new MysqlServer(container, password, serverId);
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await RemoveLeftoversAsync();
            await _stopService.CancelAsync();
            try
            {
                await _service.Task;
            }
            catch (OperationCanceledException)
            {
                // Stopped as asked (SIGINT).
            }
        }

        _stopService.Dispose();
        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>
    /// Containers of this fixture's label made by this process or by one that is gone (a killed run).
    /// Another test run's containers stay: two suites may run side by side on one machine.
    /// </summary>
    private static async Task RemoveLeftoversAsync()
    {
        var rows = new StringBuilder();
        await Cli.Wrap(MysqlEnvironment.Podman)
            .WithArguments([
                "ps",
                "-a",
                "--filter",
                $"label={Label}",
                "--format",
                $"{{{{.ID}}}} {{{{index .Labels \"{OwnerLabel}\"}}}}",
            ])
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(rows))
            .WithStandardErrorPipe(PipeTarget.ToStream(Stream.Null))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync();
        var list = rows.ToString()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(row => row.Split(' ', 2, StringSplitOptions.TrimEntries))
            .Where(row => row.Length < 2 || row[1] == Owner || !IsRunning(row[1]))
            .Select(row => row[0])
            .ToArray();
        if (list.Length > 0)
        {
            await Cli.Wrap(MysqlEnvironment.Podman)
                .WithArguments(["rm", "-f", .. list])
                .WithStandardOutputPipe(PipeTarget.ToStream(Stream.Null))
                .WithStandardErrorPipe(PipeTarget.ToStream(Stream.Null))
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync();
        }
    }

    private static bool IsRunning(string pid) =>
        int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
        && Directory.Exists($"/proc/{id}");
}

/// <summary>One mysqld in a container: reached from the tests on 127.0.0.1, from other containers on its bridge address.</summary>
public sealed class MysqlServer : IAsyncDisposable
{
    public MysqlServer(MySqlContainer container, string rootPassword, int serverId)
    {
        Container = container;
        RootPassword = rootPassword;
        ServerId = serverId;
    }

    public MySqlContainer Container { get; }

    public string RootPassword { get; }

    public int ServerId { get; }

    public int Port => Container.GetMappedPublicPort(3306);

    /// <summary>The container's address on the engine's bridge: what another container connects to.</summary>
    public string BridgeAddress => Container.IpAddress;

    public string ConnectionString(string user = "root", string? password = null) =>
        new MySqlConnectionStringBuilder
        {
            Server = MariaDbServer.Host,
            Port = (uint)Port,
            UserID = user,
            Password = password ?? RootPassword,
            SslMode = MySqlSslMode.Preferred,
            AllowPublicKeyRetrieval = true,
            Pooling = false,
            ConnectionTimeout = 5,
        }.ConnectionString;

    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = new MySqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new MySqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull
            ? default
            : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>Every row of a query as column name to text.</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> RowsAsync(string sql)
    {
        await using var connection = new MySqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<IReadOnlyDictionary<string, string>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i)
                    ? ""
                    : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "";
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The Info column of every event of every binary log, one line each.</summary>
    public async Task<string> BinlogEventsAsync()
    {
        var text = new StringBuilder();
        foreach (var log in await RowsAsync("SHOW BINARY LOGS"))
        {
            foreach (var e in await RowsAsync($"SHOW BINLOG EVENTS IN '{log["Log_name"]}'"))
            {
                text.Append(e["Event_type"]).Append(": ").AppendLine(e["Info"]);
            }
        }

        return text.ToString();
    }

    public Task<string?> GtidExecutedAsync() =>
        ScalarAsync<string>("SELECT @@GLOBAL.gtid_executed");

    public async Task<bool> CanLogInAsync(string user, string password)
    {
        try
        {
            await using var connection = new MySqlConnection(ConnectionString(user, password));
            await connection.OpenAsync();
            return true;
        }
        catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.AccessDenied)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync() => await Container.DisposeAsync();

    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"mysqld {Container.Image.FullName} server-id {ServerId} on 127.0.0.1:{Port}"
        );
}
