using System.Diagnostics;
using MySqlConnector;

namespace MysqlAgent.TestSupport.Failover;

/// <summary>
/// An application writing through mysql-primary as real ones do: no read timeout at all (as PHP
/// with mysqlnd's default, or a driver left at its defaults), and either a new connection per
/// request or a connection pool. It retries each failed request on a new connection, and keeps the
/// id of every insert that was acknowledged, with when.
/// </summary>
public sealed class ApplicationClient : IAsyncDisposable
{
    public const string Table = "e2e.app_writes";

    private readonly string _connectionString;
    private readonly string _name;
    private readonly Stopwatch _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(long Id, TimeSpan At)> _acknowledged = [];
    private readonly List<string> _errors = [];
    private Task _run = Task.CompletedTask;
    private bool _disposed;

    private ApplicationClient(string name, string connectionString, Stopwatch clock)
    {
        _name = name;
        _connectionString = connectionString;
        _clock = clock;
    }

    public string Name => _name;

    /// <summary>Creates the table and the application's account (no SUPER), through <paramref name="root"/> on the primary.</summary>
    public static async Task PrepareAsync(MySqlConnection root, string user, string password)
    {
        foreach (
            var sql in new[]
            {
                "CREATE DATABASE IF NOT EXISTS e2e",
                $"CREATE TABLE IF NOT EXISTS {Table} (id BIGINT AUTO_INCREMENT PRIMARY KEY, client VARCHAR(16) NOT NULL)",
                $"CREATE USER IF NOT EXISTS '{user}'@'%' IDENTIFIED BY '{password}'",
                $"GRANT SELECT, INSERT ON e2e.* TO '{user}'@'%'",
            }
        )
        {
            await using var command = new MySqlCommand(sql, root);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Starts writing: <paramref name="pooled"/> reuses a pool of connections, else one new connection per request.</summary>
    public static ApplicationClient Start(
        string name,
        int port,
        string user,
        string password,
        bool pooled,
        Stopwatch clock
    )
    {
        var builder = new MySqlConnectionStringBuilder
        {
            Server = "127.0.0.1",
            Port = (uint)port,
            UserID = user,
            Password = password,
            SslMode = MySqlSslMode.None,
            // The driver's default connect timeout (15 s) and no command timeout at all.
            DefaultCommandTimeout = 0,
            Pooling = pooled,
            MaximumPoolSize = 4,
        };
        var client = new ApplicationClient(name, builder.ConnectionString, clock);
        client._run = Task.Run(client.RunAsync);
        return client;
    }

    public IReadOnlyList<(long Id, TimeSpan At)> Acknowledged
    {
        get
        {
            lock (_acknowledged)
            {
                return [.. _acknowledged];
            }
        }
    }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>The last write acknowledged at or before <paramref name="at"/>, if any.</summary>
    public (long Id, TimeSpan At)? LastAtOrBefore(TimeSpan at)
    {
        lock (_acknowledged)
        {
            return _acknowledged.LastOrDefault(w => w.At <= at) is { Id: > 0 } w ? w : null;
        }
    }

    /// <summary>The first write acknowledged after <paramref name="at"/>, if any.</summary>
    public (long Id, TimeSpan At)? FirstAfter(TimeSpan at)
    {
        lock (_acknowledged)
        {
            return _acknowledged.FirstOrDefault(w => w.At > at) is { Id: > 0 } w ? w : null;
        }
    }

    private async Task RunAsync()
    {
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (await WaitAsync(pace))
        {
            try
            {
                await using var connection = new MySqlConnection(_connectionString);
                await connection.OpenAsync(_stop.Token);
                await using var command = new MySqlCommand(
                    $"INSERT INTO {Table} (client) VALUES (@client)",
                    connection
                );
                command.Parameters.AddWithValue("@client", _name);
                await command.ExecuteNonQueryAsync(_stop.Token);
                lock (_acknowledged)
                {
                    _acknowledged.Add((command.LastInsertedId, _clock.Elapsed));
                }
            }
            catch (Exception e)
                when (e
                        is MySqlException
                            or IOException
                            or InvalidOperationException
                            // A connection the forwarder cut, written to: not always wrapped by the driver.
                            or System.Net.Sockets.SocketException
                )
            {
                lock (_errors)
                {
                    _errors.Add($"{_clock.Elapsed.TotalSeconds:0.00} s: {e.Message}");
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<bool> WaitAsync(PeriodicTimer pace)
    {
        try
        {
            return await pace.WaitForNextTickAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Stops writing (once; later calls do nothing).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
        MySqlConnection.ClearAllPools();
    }
}
