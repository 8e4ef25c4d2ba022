using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.RegularExpressions;
using CliWrap;
using MysqlAgent.TestSupport;
using MysqlLocal.Kubelet;

namespace MysqlAgent.Tests.Health;

/// <summary>
/// Runs the real <c>mysql-agent</c> binary against a port where no mysqld listens, and reads what
/// it prints: the startup line and the health watcher's "does not answer" line, in both formats.
/// </summary>
[Trait("Category", "Slow")]
[SupportedOSPlatform("linux")]
public sealed partial class LogFormatTests
{
    // A guard against a hang, above the sum of the waits below (the agent's start, 4001 logged,
    // two more checks, its shutdown): under a loaded CI machine the 60 s it was ran out.
    private const int Generous = 240_000;

    [Fact(Timeout = Generous)]
    public async Task Json_logs_are_one_parsable_object_per_line()
    {
        var lines = await RunUntilMysqldDownIsLoggedAsync("json");

        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            Assert.True(root.TryGetProperty("Timestamp", out _), line);
            Assert.True(root.TryGetProperty("LogLevel", out _), line);
            Assert.True(root.TryGetProperty("Category", out _), line);
            Assert.True(root.TryGetProperty("EventId", out _), line);
            Assert.True(root.TryGetProperty("Message", out _), line);
        }

        var down = lines
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Single(e => e.GetProperty("EventId").GetInt32() == 4001);
        Assert.Equal("Warning", down.GetProperty("LogLevel").GetString());
        Assert.Equal("MysqlAgent.Health.NodeWatcher", down.GetProperty("Category").GetString());
        Assert.StartsWith(
            "mysqld at 127.0.0.1:",
            down.GetProperty("Message").GetString(),
            StringComparison.Ordinal
        );
        Assert.True(
            DateTimeOffset.TryParse(
                down.GetProperty("Timestamp").GetString(),
                CultureInfo.InvariantCulture,
                out _
            )
        );
    }

    [Fact(Timeout = Generous)]
    public async Task Text_logs_are_one_line_per_event_with_time_level_category_and_event_id()
    {
        var lines = await RunUntilMysqldDownIsLoggedAsync("text");

        foreach (var line in lines)
        {
            Assert.Matches(TextLine(), line);
        }

        Assert.Contains(
            lines,
            l =>
                l.Contains(
                    " warn: MysqlAgent.Health.NodeWatcher[4001] mysqld at 127.0.0.1:",
                    StringComparison.Ordinal
                )
        );
    }

    // Runs the agent until the watcher has logged that mysqld does not answer, plus a few more
    // checks' worth of time to show that a down server is logged once, not every 2 s.
    private static async Task<List<string>> RunUntilMysqldDownIsLoggedAsync(string format)
    {
        var lines = new List<string>();
        var downLogged = new TaskCompletionSource(
            TaskCreationOptions.RunContinuationsAsynchronously
        );
        using var kill = new CancellationTokenSource();
        var httpPort = FreePorts.Next();
        var agent = Cli.Wrap(Path.Combine(AppContext.BaseDirectory, "mysql-agent"))
            .WithArguments([
                "serve",
                "--hostname",
                "mysql-1",
                "--log-format",
                format,
                "--bind-address",
                "127.0.0.1",
                "--http-port",
                httpPort.ToString(CultureInfo.InvariantCulture),
                "--backup-port",
                FreePorts.Next().ToString(CultureInfo.InvariantCulture),
                "--mysql-port",
                FreePorts.Next().ToString(CultureInfo.InvariantCulture), // nothing listens there
            ])
            .WithEnvironmentVariables(new AgentSecrets("a", "r", "b", "t").Variables)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(
                PipeTarget.ToDelegate(line =>
                {
                    lock (lines)
                    {
                        lines.Add(line);
                    }

                    if (line.Contains("4001", StringComparison.Ordinal))
                    {
                        downLogged.TrySetResult();
                    }
                })
            );

        var run = agent.ExecuteAsync(kill.Token);
        try
        {
            await downLogged.Task.WaitAsync(Eventually.DefaultTimeout);
            await WaitForTwoMoreChecksAsync(httpPort);
        }
        finally
        {
            // Graceful: SIGTERM, as the kubelet stops a container; the agent stops its host and
            // exits. Not SIGINT: a test run started in the background by a non-interactive shell
            // hands SIGINT down ignored, and the agent then never stopped (two CI runs here).
            Signals.Terminate(run.ProcessId);
        }

        try
        {
            await run.Task.WaitAsync(Eventually.DefaultTimeout);
        }
        catch (TimeoutException)
        {
            await kill.CancelAsync();
            throw new TimeoutException(
                $"mysql-agent did not stop within {Eventually.DefaultTimeout.TotalSeconds:0} s of SIGTERM"
            );
        }

        lock (lines)
        {
            Assert.Single(lines, l => l.Contains("4001", StringComparison.Ordinal));
            return [.. lines.Where(l => l.Length > 0)];
        }
    }

    /// <summary>
    /// Until the watcher has checked the down mysqld twice more: /status names when its snapshot was
    /// taken, and asking for it refreshes a snapshot older than the check interval.
    /// </summary>
    private static async Task WaitForTwoMoreChecksAsync(int httpPort)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var status = new Uri($"http://127.0.0.1:{httpPort}/status");
        var checks = new HashSet<string>(StringComparer.Ordinal);
        await Eventually.UntilAsync(
            async () =>
            {
                using var json = JsonDocument.Parse(await http.GetStringAsync(status));
                checks.Add(json.RootElement.GetProperty("checkedAt").GetString()!);
                return checks.Count >= 3;
            },
            "the watcher has checked the down mysqld twice more"
        );
    }

    [GeneratedRegex(
        @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (trce|dbug|info|warn|fail|crit): [A-Za-z0-9_.]+\[\d+\] \S.*$"
    )]
    private static partial Regex TextLine();
}
