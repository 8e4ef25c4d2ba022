using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CliWrap;
using MysqlAgent.Common;

namespace MysqlBench;

internal sealed record RunResult(int ExitCode, TimeSpan Elapsed, string Output);

internal static class Processes
{
    /// <summary>Runs a program to its end; every stream drained; throws on a non-zero exit when <paramref name="check"/>.</summary>
    public static async Task<RunResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        CancellationToken ct,
        bool check = true,
        string? workingDirectory = null
    )
    {
        var tail = new OutputTail(60);
        var command = Cli.Wrap(program)
            .WithArguments(arguments)
            .WithStandardInputPipe(PipeSource.Null)
            .WithStandardOutputPipe(tail.Target)
            .WithStandardErrorPipe(tail.Target)
            .WithValidation(CommandResultValidation.None);
        if (workingDirectory is not null)
        {
            command = command.WithWorkingDirectory(workingDirectory);
        }

        var clock = Stopwatch.StartNew();
        var result = await command.ExecuteAsync(ct).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        if (check && result.ExitCode != 0)
        {
            throw new BenchException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited {result.ExitCode}:\n{string.Join('\n', tail.Last())}"
            );
        }

        return new RunResult(result.ExitCode, elapsed, string.Join('\n', tail.Last()));
    }

    /// <summary>A shell pipeline, with pipefail, as the example's containers run it.</summary>
    public static Task<RunResult> BashAsync(
        string script,
        CancellationToken ct,
        bool check = true
    ) => RunAsync("bash", ["-c", "set -o pipefail\n" + script], ct, check);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Quote(string text) =>
        "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Writes a file only its owner may read (secrets, client defaults).</summary>
    public static string WritePrivateFile(string path, string content)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using var writer = new StreamWriter(path, new UTF8Encoding(false), options);
        writer.Write(content);
        return path;
    }
}

/// <summary>A long-running child (an agent, an ncat listener): started now, stopped with SIGINT then SIGKILL.</summary>
internal sealed class BackgroundProcess : IAsyncDisposable
{
    private readonly CancellationTokenSource _graceful = new();
    private readonly CancellationTokenSource _forceful = new();
    private readonly OutputTail _tail = new(200);
    private readonly CommandTask<CommandResult> _run;

    public BackgroundProcess(string program, IEnumerable<string> arguments)
    {
        Name = Path.GetFileName(program);
        StartedAt = Stopwatch.StartNew();
        _run = Cli.Wrap(program)
            .WithArguments(arguments)
            .WithStandardInputPipe(PipeSource.Null)
            .WithStandardOutputPipe(_tail.Target)
            .WithStandardErrorPipe(_tail.Target)
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(_forceful.Token, _graceful.Token);
    }

    public string Name { get; }

    /// <summary>Runs from just before the process was started.</summary>
    public Stopwatch StartedAt { get; }

    public int ProcessId => _run.ProcessId;

    public bool HasExited => _run.Task.IsCompleted;

    public Task<CommandResult> Completion => _run.Task;

    public string Output => string.Join('\n', _tail.Last());

    public async ValueTask DisposeAsync()
    {
        if (!_run.Task.IsCompleted)
        {
            await _graceful.CancelAsync().ConfigureAwait(false);
            _forceful.CancelAfter(TimeSpan.FromSeconds(10));
        }

        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped by us.
        }

        _graceful.Dispose();
        _forceful.Dispose();
    }
}

internal sealed class BenchException : Exception
{
    public BenchException(string message)
        : base(message) { }

    public BenchException() { }

    public BenchException(string message, Exception inner)
        : base(message, inner) { }
}
