using CliWrap;
using MysqlAgent.Common;
using MysqlAgent.Processes;
using MySqlConnector;
using Polly;
using Polly.Retry;

namespace MysqlAgent.Archive.Binlogs;

/// <summary>
/// A temporary server on a restored datadir, reachable only on its socket, with grant checks off,
/// for the replay of archived binlogs. Stopped with SIGTERM (a clean shutdown) and awaited; killed
/// if it is disposed still running.
/// </summary>
internal sealed class ReplayServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(10);

    private readonly CommandTask<CommandResult> _run;
    private readonly CancellationTokenSource _kill;
    private readonly OutputTail _log;
    private readonly string _program;

    private ReplayServer(
        CommandTask<CommandResult> run,
        CancellationTokenSource kill,
        OutputTail log,
        string program,
        string socket
    )
    {
        _run = run;
        _kill = kill;
        _log = log;
        _program = program;
        Socket = socket;
    }

    public string Socket { get; }

    /// <summary>Starts the server and waits until it answers on its socket.</summary>
    public static async Task<ReplayServer> StartAsync(
        string program,
        IReadOnlyList<string> arguments,
        string socket,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        var log = new OutputTail(20);
        var kill = new CancellationTokenSource();
        CommandTask<CommandResult> run;
        try
        {
            run = Cli.Wrap(program)
                .WithArguments(arguments)
                .WithStandardOutputPipe(log.Target)
                .WithStandardErrorPipe(log.Target)
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(kill.Token);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            kill.Dispose();
            throw new RestoreFailedException(
                $"cannot run the replay server '{program}': {e.Message}; set --mysqld-path"
            );
        }

        var server = new ReplayServer(run, kill, log, program, socket);
        try
        {
            await server.WaitUntilAnswersAsync(time, cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<MySqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(
            new MySqlConnectionStringBuilder
            {
                Server = Socket,
                ConnectionProtocol = MySqlConnectionProtocol.UnixSocket,
                UserID = "root",
                Pooling = false,
                ConnectionTimeout = 3,
                DefaultCommandTimeout = 0,
            }.ConnectionString
        );
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A clean shutdown: SIGTERM, then the exit awaited; a non-zero exit is a failed replay.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_run.Task.IsCompleted)
        {
            Signals.Terminate(_run.ProcessId);
        }

        CommandResult result;
        try
        {
            result = await _run
                .Task.WaitAsync(StopTimeout, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new RestoreFailedException(
                $"the replay server {_program} did not shut down within {StopTimeout.TotalMinutes:F0} min: {_log}"
            );
        }

        if (result.ExitCode != 0)
        {
            throw new RestoreFailedException(
                $"the replay server {_program} exited with code {result.ExitCode} on shutdown: {LastLine()}"
            );
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.Task.IsCompleted)
        {
            await _kill.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await _run.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Killed: nothing more to learn from it.
        }

        _kill.Dispose();
    }

    private string LastLine() =>
        _log.Last(3) is { Count: > 0 } lines ? string.Join(" | ", lines) : "no output";

    private async Task WaitUntilAnswersAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(StartTimeout)
            .AddRetry(
                new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<MySqlException>(_ =>
                        !_run.Task.IsCompleted
                    ),
                    MaxRetryAttempts = int.MaxValue,
                    BackoffType = DelayBackoffType.Exponential,
                    Delay = TimeSpan.FromMilliseconds(50),
                    MaxDelay = TimeSpan.FromSeconds(1),
                }
            )
            .Build();
        try
        {
            await pipeline
                .ExecuteAsync(
                    async token =>
                    {
                        var connection = await OpenAsync(token).ConfigureAwait(false);
                        await connection.DisposeAsync().ConfigureAwait(false);
                    },
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch (MySqlException) when (_run.Task.IsCompleted)
        {
            var exit = await _run.Task.ConfigureAwait(false);
            throw new RestoreFailedException(
                $"the replay server {_program} exited with code {exit.ExitCode} before it answered: {LastLine()}"
            );
        }
        catch (Polly.Timeout.TimeoutRejectedException)
        {
            throw new RestoreFailedException(
                $"the replay server {_program} did not answer on {Socket} within {StartTimeout.TotalMinutes:F0} min: {LastLine()}"
            );
        }
    }
}
