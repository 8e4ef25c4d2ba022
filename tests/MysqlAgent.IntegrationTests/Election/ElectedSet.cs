using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MysqlAgent.Health;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.TestSupport;
using MySqlConnector;

namespace MysqlAgent.IntegrationTests.Election;

/// <summary>
/// Three real mariadbd servers that boot read-only with fresh GTID histories, and three in-process
/// agents electing through a file Lease store in a private folder, each reaching the others by
/// their stable names through <c>--connect-to</c>, as in the local replica set.
/// </summary>
internal sealed class ElectedSet : IAsyncDisposable
{
    public const string AppUser = "app";
    public const string AppPassword = "app-pw";

    /// <summary>Short election timings: lease 6 s, renew deadline 4 s, retry 1 s, fence budget 1 s.</summary>
    public static readonly IReadOnlyList<string> Timings =
    [
        "--lease-duration-seconds",
        "6",
        "--renew-deadline-seconds",
        "4",
        "--retry-period-seconds",
        "1",
        "--fence-budget-seconds",
        "1",
    ];

    private ElectedSet(MariaDbServers servers, InProcessAgent[] agents, string leaseFolder)
    {
        Servers = servers;
        Agents = agents;
        LeaseFolder = leaseFolder;
    }

    /// <summary>The folder of the file Lease store the agents share.</summary>
    public string LeaseFolder { get; }

    public MariaDbServers Servers { get; }

    public IReadOnlyList<InProcessAgent> Agents { get; }

    /// <param name="primaryStartTimeoutSeconds">How long the holder keeps the Lease with its mysqld down.</param>
    /// <param name="extraArguments">More agent arguments, the same for every pod.</param>
    public static async Task<ElectedSet> StartAsync(
        int primaryStartTimeoutSeconds,
        IReadOnlyList<string>? extraArguments = null
    )
    {
        var servers = await MariaDbServers.StartAsync(
            3,
            // One root password for all, as the pods of a set share the Secret's: a new primary
            // logs in to the last one to fence it.
            new MariaDbServerOptions
            {
                GtidStrictMode = true,
                ReadOnly = true,
                RootPassword = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
            }
        );
        var agents = new List<InProcessAgent>();
        var leaseFolder = Directory.CreateTempSubdirectory("mysql-agent-lease-").FullName;
        try
        {
            foreach (var server in servers)
            {
                // A new set: no history on any server yet (the install's own statements aside).
                await server.ExecuteAsync("RESET MASTER; SET GLOBAL gtid_slave_pos = ''");
            }

            var httpPorts = servers.Select(_ => FreePorts.Next()).ToArray();
            for (var ordinal = 0; ordinal < servers.Count; ordinal++)
            {
                var connectTo = new List<string>();
                for (var peer = 0; peer < servers.Count; peer++)
                {
                    connectTo.Add("--connect-to");
                    connectTo.Add(
                        Invariant(
                            $"mysql-{peer}.mysql:{httpPorts[ordinal]}:{MariaDbServer.Host}:{httpPorts[peer]}"
                        )
                    );
                    if (peer > 0)
                    {
                        connectTo.Add("--connect-to");
                        connectTo.Add(
                            Invariant(
                                $"mysql-{peer}.mysql:3306:{MariaDbServer.Host}:{servers[peer].Port}"
                            )
                        );
                    }
                }

                var arguments = AgentArguments.For(ordinal, servers[ordinal], servers[0]) with
                {
                    HttpPort = httpPorts[ordinal],
                    Mode = "gtid",
                    Extra =
                    [
                        .. connectTo,
                        "--lease-store",
                        "file:" + leaseFolder,
                        .. Timings,
                        "--primary-start-timeout-seconds",
                        Invariant($"{primaryStartTimeoutSeconds}"),
                        .. extraArguments ?? [],
                    ],
                };
                agents.Add(await InProcessAgent.StartAsync(arguments));
            }

            return new ElectedSet(servers, [.. agents], leaseFolder);
        }
        catch
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }

            await servers.DisposeAsync();
            Directory.Delete(leaseFolder, recursive: true);
            throw;
        }
    }

    public RoleProvider Role(int ordinal) =>
        Agents[ordinal].Services.GetRequiredService<RoleProvider>();

    /// <summary>The agent's <c>/status</c> body.</summary>
    public async Task<JsonElement> StatusAsync(int ordinal)
    {
        var (_, body) = await Agents[ordinal].GetTextAsync("/status");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Waits until every agent answers /readyz 200: a primary writable, two replicas replicating.</summary>
    public async Task WaitUntilAllReadyAsync()
    {
        foreach (var agent in Agents)
        {
            await agent.WaitForReadyzAsync(
                (status, _) => status == System.Net.HttpStatusCode.OK,
                TimeSpan.FromSeconds(90)
            );
        }
    }

    /// <summary>Whether the server takes writes from a client without READ ONLY ADMIN; false when it does not answer.</summary>
    public static async Task<bool> WritableAsync(MariaDbServer server)
    {
        if (!server.IsRunning)
        {
            return false;
        }

        try
        {
            return await server.ScalarAsync<long>("SELECT @@GLOBAL.read_only") == 0;
        }
        catch (Exception e) when (e is MySqlException or IOException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Creates the application's user, database and table on the primary.</summary>
    public static Task CreateAppSchemaAsync(MariaDbServer primary) =>
        primary.ExecuteAsync(
            $"CREATE USER '{AppUser}'@'%' IDENTIFIED BY '{AppPassword}'; GRANT ALL ON f.* TO '{AppUser}'@'%';"
                + "CREATE DATABASE f; CREATE TABLE f.t (id INT PRIMARY KEY)"
        );

    /// <summary>One row written as the application (which read-only refuses); returns when acknowledged.</summary>
    public static async Task InsertAsync(MariaDbServer server, int id)
    {
        await using var connection = new MySqlConnection(
            server.ConnectionStringFor(AppUser, AppPassword, "f")
        );
        await connection.OpenAsync();
        await using var insert = new MySqlCommand(
            Invariant($"INSERT INTO t VALUES ({id})"),
            connection
        );
        await insert.ExecuteNonQueryAsync();
    }

    public static async Task<HashSet<int>> RowsAsync(MariaDbServer server)
    {
        await using var connection = await server.OpenConnectionAsync();
        await using var select = new MySqlCommand("SELECT id FROM f.t", connection);
        await using var reader = await select.ExecuteReaderAsync();
        var rows = new HashSet<int>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetInt32(0));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in Agents)
        {
            await agent.DisposeAsync();
        }

        await Servers.DisposeAsync();
        Directory.Delete(LeaseFolder, recursive: true);
    }

    private static string Invariant(FormattableString text) =>
        text.ToString(CultureInfo.InvariantCulture);
}
