using System.Diagnostics;
using MysqlAgent.TestSupport;
using MySqlConnector;

namespace MysqlBench;

/// <summary>One way to reach mysqld, measured: per-query latency, a new connection's cost, and throughput.</summary>
internal sealed record ProxyPathFigures(
    string Path,
    double QueryMedianMicroseconds,
    double QueryP99Microseconds,
    double ConnectMedianMilliseconds,
    double QueriesPerSecond,
    double? AgentCpuPercent,
    double? AgentCpuMillisecondsPerThousandQueries
);

/// <summary>What the agent's primary proxy (<c>serve --primary-proxy-port</c>) costs against a direct connection.</summary>
internal sealed record ProxyCostResult(string Method, IReadOnlyList<ProxyPathFigures> Paths);

/// <summary>
/// The primary proxy against a direct connection to the same mysqld, in turns on loopback: a serving
/// agent for mysql-0 without an election (the proxy's route is ordinal 0, mysql-0.mysql:3306 mapped
/// to the server by --connect-to), its proxy on a free port.
/// </summary>
internal static class ProxyCost
{
    private const int Queries = 2000;
    private const int Connects = 200;
    private const int Clients = 4;
    private static readonly TimeSpan ThroughputFor = TimeSpan.FromSeconds(5);

    public static readonly string Method =
        $"on loopback, one mysqld and a serving agent (no election, so the proxy routes to ordinal 0) with --primary-proxy-port; for each path in turns: {Queries} sequential 'SELECT 1' on one connection (median, p99), {Connects} new connections each opened, asked 'SELECT 1' and closed (median), {Clients} connections asking 'SELECT 1' as fast as they can for {ThroughputFor.TotalSeconds:0} s (queries/s), and the agent's CPU (utime + stime from /proc) over that throughput window, as % of one core and ms per 1000 queries";

    public static async Task<ProxyCostResult> RunAsync(
        Agents agents,
        TextWriter log,
        CancellationToken ct
    )
    {
        await using var server = await MariaDbServer.StartAsync(
            new MariaDbServerOptions { ServerId = 1 },
            ct
        );
        var proxyPort = Processes.FreePort();
        var (agent, http, _) = agents.Serve(
            0,
            server.Port,
            server.DataDir,
            server.RootPassword,
            server.Port,
            extraArguments: ["--primary-proxy-port", Processes.Number(proxyPort)]
        );
        await using (agent)
        {
            await Agents.WaitForHealthzAsync(agent, http, TimeSpan.FromSeconds(60), ct);
            var paths = new List<ProxyPathFigures>();
            // A warm-up of each, then the figures.
            foreach (var warm in new[] { true, false })
            {
                foreach (
                    var (name, port) in new[]
                    {
                        ("direct", server.Port),
                        ("primary proxy", proxyPort),
                    }
                )
                {
                    var figures = await MeasureAsync(
                        name,
                        server,
                        port,
                        name == "direct" ? null : agent.ProcessId,
                        warm,
                        ct
                    );
                    if (!warm)
                    {
                        paths.Add(figures);
                        await log.WriteLineAsync(
                            $"  {name}: SELECT 1 median {figures.QueryMedianMicroseconds:0} us, p99 {figures.QueryP99Microseconds:0} us; new connection {figures.ConnectMedianMilliseconds:0.00} ms; {figures.QueriesPerSecond:0} queries/s with {Clients} connections{(figures.AgentCpuPercent is { } cpu ? $"; agent CPU {cpu:0} % of a core, {figures.AgentCpuMillisecondsPerThousandQueries:0.0} ms per 1000 queries" : "")}"
                        );
                    }
                }
            }

            return new ProxyCostResult(Method, paths);
        }
    }

    private static async Task<ProxyPathFigures> MeasureAsync(
        string name,
        MariaDbServer server,
        int port,
        int? agentPid,
        bool warmUp,
        CancellationToken ct
    )
    {
        var connectionString = new MySqlConnectionStringBuilder(server.ConnectionString())
        {
            Port = (uint)port,
            Pooling = false,
            SslMode = MySqlSslMode.None,
        }.ConnectionString;
        var queries = warmUp ? Queries / 10 : Queries;
        var latencies = new List<double>(queries);
        await using (var connection = new MySqlConnection(connectionString))
        {
            await connection.OpenAsync(ct);
            await using var command = new MySqlCommand("SELECT 1", connection);
            for (var i = 0; i < queries; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await command.ExecuteScalarAsync(ct);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            }
        }

        var connects = new List<double>(Connects);
        for (var i = 0; i < (warmUp ? Connects / 10 : Connects); i++)
        {
            var started = Stopwatch.GetTimestamp();
            await using var connection = new MySqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = new MySqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(ct);
            await connection.CloseAsync();
            connects.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var window = warmUp ? TimeSpan.FromSeconds(1) : ThroughputFor;
        var cpuBefore = agentPid is { } pid ? ProcFs.CpuSeconds(pid) : null;
        var clock = Stopwatch.StartNew();
        var counts = await Task.WhenAll(
            Enumerable.Range(0, Clients).Select(_ => CountAsync(connectionString, window, ct))
        );
        var seconds = clock.Elapsed.TotalSeconds;
        var cpuAfter = agentPid is { } pid2 ? ProcFs.CpuSeconds(pid2) : null;
        var total = counts.Sum();
        var cpu = cpuAfter - cpuBefore;
        return new ProxyPathFigures(
            name,
            Stats.Median(latencies),
            Stats.Percentile(latencies, 99),
            Stats.Median(connects),
            total / seconds,
            cpu is { } c ? 100 * c / seconds : null,
            cpu is { } d && total > 0 ? 1000 * d * 1000 / total : null
        );
    }

    private static async Task<long> CountAsync(
        string connectionString,
        TimeSpan window,
        CancellationToken ct
    )
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new MySqlCommand("SELECT 1", connection);
        var clock = Stopwatch.StartNew();
        long count = 0;
        while (clock.Elapsed < window)
        {
            await command.ExecuteScalarAsync(ct);
            count++;
        }

        return count;
    }
}
