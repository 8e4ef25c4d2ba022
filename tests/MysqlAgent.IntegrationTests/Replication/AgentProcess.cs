using System.Globalization;
using System.Text;
using CliWrap;

namespace MysqlAgent.IntegrationTests.Replication;

/// <summary>The real <c>mysql-agent</c> binary, run as <c>serve</c> through CliWrap, its output kept.</summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private readonly CommandTask<CommandResult> _run;
    private readonly CancellationTokenSource _forceful = new();
    private readonly CancellationTokenSource _graceful = new();
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http;

    private AgentProcess(AgentArguments arguments, string? crashAt)
    {
        Arguments = arguments;
        var environment = new Dictionary<string, string?>(
            arguments.Secrets.Variables,
            StringComparer.Ordinal
        )
        {
            ["MYSQL_AGENT_CRASH_AT"] = crashAt,
        };
        _run = Cli.Wrap(BinaryPath)
            .WithArguments(["serve", .. arguments.ToList()])
            .WithEnvironmentVariables(environment)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(Append))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(Append))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(_forceful.Token, _graceful.Token);
        _http = new HttpClient
        {
            BaseAddress = new Uri(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"http://127.0.0.1:{arguments.HttpPort}"
                )
            ),
            Timeout = TimeSpan.FromSeconds(5),
        };
    }

    public AgentArguments Arguments { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>agent/MysqlAgent/bin/&lt;configuration&gt;/net10.0/mysql-agent, for the configuration the tests were built in.</summary>
    public static string BinaryPath
    {
        get
        {
            var testBin = new DirectoryInfo(AppContext.BaseDirectory);
            var configuration = testBin.Parent!.Name; // bin/<configuration>/net10.0/
            for (var dir = testBin; dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(
                    dir.FullName,
                    "agent",
                    "MysqlAgent",
                    "bin",
                    configuration,
                    "net10.0",
                    "mysql-agent"
                );
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException(
                $"mysql-agent binary for {configuration} not found above {testBin}: build agent/MysqlAgent first"
            );
        }
    }

    public static AgentProcess Start(AgentArguments arguments, string? crashAt = null) =>
        new(arguments, crashAt);

    /// <summary>Waits for the process to exit by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var result = await _run.Task.WaitAsync(timeout);
        return result.ExitCode;
    }

    public bool HasExited => _run.Task.IsCompleted;

    /// <summary>
    /// Polls /metrics until a setup attempt with a final result (not transient) is counted. prometheus-net
    /// exports a labelled series at 0 as soon as the agent creates it, a moment before it increments it,
    /// so a final result's key being present is not enough: its value must be above 0.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, double>> WaitForSetupResultAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"the agent exited early:\n{Output}");
            }

            try
            {
                var attempts = InProcessAgent.ParseSetupAttempts(
                    await _http.GetStringAsync(new Uri("/metrics", UriKind.Relative))
                );
                if (attempts.Any(a => a.Key != "transient_error" && a.Value > 0))
                {
                    return attempts;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no setup result after {timeout}:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_run.Task.IsCompleted)
        {
            _graceful.CancelAfter(0);
            _forceful.CancelAfter(TimeSpan.FromSeconds(10));
        }

        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
            // Stopped by us.
        }

        _forceful.Dispose();
        _graceful.Dispose();
    }

    private void Append(string line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
