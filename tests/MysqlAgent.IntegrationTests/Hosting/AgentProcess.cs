using System.Globalization;
using System.Text;
using CliWrap;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Hosting;

/// <summary>The real <c>mysql-agent</c> binary, run as <c>serve</c> through CliWrap, its output kept.</summary>
public sealed class AgentProcess : IAsyncDisposable
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
        _run = Cli.Wrap(Repository.Agent)
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
    /// Until /metrics counts a setup attempt with a final result (not transient). prometheus-net
    /// exports a labelled series at 0 as soon as the agent creates it, a moment before it increments
    /// it, so a final result's key being present is not enough: its value must be above 0.
    /// </summary>
    public Task<IReadOnlyDictionary<string, double>> WaitForSetupResultAsync(TimeSpan timeout) =>
        Eventually.ValueAsync(
            async () =>
            {
                if (HasExited)
                {
                    throw new InvalidOperationException($"the agent exited early:\n{Output}");
                }

                return PrometheusText
                    .Parse(await _http.GetStringAsync(new Uri("/metrics", UriKind.Relative)))
                    .ByLabel("mysql_agent_replication_setup_attempts_total", "result");
            },
            attempts => attempts.Any(a => a.Key != "transient_error" && a.Value > 0),
            "the agent counts a setup attempt with a final result",
            timeout,
            () => Task.FromResult(Output)
        );

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
