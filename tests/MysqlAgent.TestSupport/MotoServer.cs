using System.Globalization;
using System.Net.Sockets;
using CliWrap;

namespace MysqlAgent.TestSupport;

/// <summary>
/// A real S3-compatible server for tests: Python moto's <c>moto_server</c> on a free loopback port,
/// started through CliWrap and killed (with anything it forked) on dispose. moto keeps everything in
/// memory, so each instance starts empty. Its keys are moto's fixed test ones.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    public const string Program = "moto_server";
    public const string AccessKeyId = "testing";
    public const string SecretAccessKey = "testing";
    public const string Region = "us-east-1";

    private readonly CancellationTokenSource _kill = new();
    private readonly ServerLog _log;
    private CommandTask<CommandResult>? _run;

    private MotoServer(int port)
    {
        Port = port;
        _log = new ServerLog(Path.Combine(Path.GetTempPath(), $"moto-server-{port}.log"));
    }

    public int Port { get; }

    public string Endpoint =>
        string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}");

    /// <summary>Starts moto_server and waits until it answers HTTP; fails with one line naming the fix when it is not installed.</summary>
    public static async Task<MotoServer> StartAsync(CancellationToken ct = default)
    {
        var program =
            FindProgram()
            ?? throw new InvalidOperationException(
                $"{Program} is not installed: run ./dev prerequisites (as root it installs Debian's python3-moto) or pip install 'moto[server]'"
            );
        var server = new MotoServer(FreePorts.Next());
        server._run = Cli.Wrap(program)
            .WithArguments([
                "-H",
                "127.0.0.1",
                "-p",
                server.Port.ToString(CultureInfo.InvariantCulture),
            ])
            .WithStandardOutputPipe(PipeTarget.ToDelegate(server._log.Write))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(server._log.Write))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(server._kill.Token);
        try
        {
            using var http = new HttpClient();
            await Eventually
                .UntilAsync(
                    async () =>
                    {
                        if (server._run.Task.IsCompleted)
                        {
                            throw new InvalidOperationException(
                                $"{Program} exited before answering on port {server.Port}: {server._log.Tail()}"
                            );
                        }

                        try
                        {
                            using var response = await http.GetAsync(
                                    new Uri(server.Endpoint + "/"),
                                    ct
                                )
                                .ConfigureAwait(false);
                            return true;
                        }
                        catch (HttpRequestException)
                        {
                            return false;
                        }
                    },
                    $"{Program} answers on {server.Endpoint}",
                    cancellationToken: ct
                )
                .ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    private static string? FindProgram()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            if (folder.Length > 0 && File.Exists(Path.Combine(folder, Program)))
            {
                return Path.Combine(folder, Program);
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _kill.CancelAsync().ConfigureAwait(false);
        if (_run is not null)
        {
            try
            {
                await _run.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException) { }
        }

        _kill.Dispose();
        _log.Dispose();
    }
}
