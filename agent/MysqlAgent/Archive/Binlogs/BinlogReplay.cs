using System.Globalization;
using System.Text;
using CliWrap;
using Microsoft.Extensions.Logging;
using MysqlAgent.Common;
using MysqlAgent.Configuration;
using MysqlAgent.Storage;
using MySqlConnector;

namespace MysqlAgent.Archive.Binlogs;

/// <summary>
/// Replays a <see cref="BinlogChainPlan"/> onto a restored (not yet live) datadir: every file
/// downloaded and verified first, then a <see cref="ReplayServer"/> on the datadir whose GTID state
/// is set to the backup's position, then one client session fed by one decoder per file (each
/// starting after the position reached before it), then a clean shutdown. Any failure throws
/// <see cref="RestoreFailedException"/>; the caller throws the datadir away.
/// </summary>
public sealed class BinlogReplay(
    AgentOptions options,
    IBackupStorage storage,
    TimeProvider time,
    ILogger logger
)
{
    // A Unix socket path is at most 107 bytes on Linux.
    private const int MaxSocketPath = 100;

    /// <param name="dataDir">The restored datadir (a staging copy, not the live one).</param>
    /// <param name="scratch">An empty folder beside it on the same volume for the downloaded files and the socket.</param>
    public async Task<BinlogReplayOutcome> RunAsync(
        string dataDir,
        string scratch,
        BackupManifest backup,
        BinlogCoverage backupPosition,
        BinlogChainPlan plan,
        RestoreTarget target,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(backup);
        ArgumentNullException.ThrowIfNull(backupPosition);
        ArgumentNullException.ThrowIfNull(plan);
        var flavour = backupPosition.Flavour;
        var tools = ReplayTools.For(flavour, options);

        var files = new List<string>();
        foreach (var step in plan.Steps)
        {
            files.Add(
                await BinlogDownload
                    .FetchAsync(storage, step.File, scratch, cancellationToken)
                    .ConfigureAwait(false)
            );
        }

        var socket = Path.Combine(scratch, "replay.sock");
        if (socket.Length > MaxSocketPath)
        {
            socket = Path.Combine(
                Path.GetTempPath(),
                "mysql-agent-replay-"
                    + Convert.ToHexStringLower(
                        System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)
                    )
                    + ".sock"
            );
        }

        var server = await ReplayServer
            .StartAsync(
                tools.Server,
                ReplayCommands.ServerArguments(
                    flavour,
                    dataDir,
                    socket,
                    Path.Combine(scratch, "replay.pid"),
                    backup.ServerId,
                    string.Equals(Environment.UserName, "root", StringComparison.Ordinal)
                ),
                socket,
                time,
                cancellationToken
            )
            .ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            var connection = await server.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                foreach (var sql in ReplayCommands.Prelude(backupPosition))
                {
                    var command = new MySqlCommand(sql, connection);
                    await using (command.ConfigureAwait(false))
                    {
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            var outcome = await ApplyAsync(
                    tools,
                    flavour,
                    socket,
                    plan,
                    files,
                    target,
                    cancellationToken
                )
                .ConfigureAwait(false);
            await server.StopAsync(cancellationToken).ConfigureAwait(false);
            return outcome;
        }
    }

    private async Task<BinlogReplayOutcome> ApplyAsync(
        ReplayTools tools,
        string flavour,
        string socket,
        BinlogChainPlan plan,
        List<string> files,
        RestoreTarget target,
        CancellationToken cancellationToken
    )
    {
        string? decoderFailure = null;
        var input = PipeSource.Create(
            async (stdin, token) =>
            {
                try
                {
                    await WriteAsync(stdin, ReplayCommands.SessionStart, token)
                        .ConfigureAwait(false);
                    for (var i = 0; i < files.Count; i++)
                    {
                        var step = plan.Steps[i];
                        decoderFailure = await DecodeAsync(
                                tools.Decoder,
                                ReplayCommands.DecoderArguments(
                                    flavour,
                                    files[i],
                                    step.From,
                                    target,
                                    last: i == files.Count - 1
                                ),
                                step.File,
                                stdin,
                                token
                            )
                            .ConfigureAwait(false);
                        if (decoderFailure is not null)
                        {
                            return;
                        }

                        BinlogRestoreLog.Replayed(
                            logger,
                            step.File.File,
                            step.File.Pod,
                            step.File.Id,
                            step.From.ToString(),
                            i + 1,
                            files.Count
                        );
                    }

                    await WriteAsync(stdin, ReplayCommands.SessionEnd(flavour), token)
                        .ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // The client stopped reading (it failed on a statement): its exit says why.
                }
            }
        );

        var output = new OutputTail(20);
        var errors = new OutputTail(8);
        CommandResult result;
        try
        {
            result = await Cli.Wrap(tools.Client)
                .WithArguments(ReplayCommands.ClientArguments(socket))
                .WithStandardInputPipe(input)
                .WithStandardOutputPipe(output.Target)
                .WithStandardErrorPipe(errors.Target)
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(cancellationToken)
                .ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new RestoreFailedException(
                $"cannot run the client '{tools.Client}': {e.Message}; set --mysql-client-path"
            );
        }

        // The client first: when it fails, the decoder feeding it fails too, on the closed pipe.
        if (result.ExitCode != 0)
        {
            throw new RestoreFailedException(
                $"{tools.Client} exited with code {result.ExitCode} while applying the archived binlogs: {Last(errors)}"
            );
        }

        if (decoderFailure is not null)
        {
            throw new RestoreFailedException(decoderFailure);
        }

        return ParseOutcome(flavour, output.Last(), tools.Client);
    }

    private static async Task<string?> DecodeAsync(
        string decoder,
        IReadOnlyList<string> arguments,
        BinlogManifest file,
        Stream stdin,
        CancellationToken cancellationToken
    )
    {
        var errors = new OutputTail(8);
        CommandResult result;
        try
        {
            result = await Cli.Wrap(decoder)
                .WithArguments(arguments)
                .WithEnvironmentVariables(ReplayCommands.DecoderEnvironment)
                .WithStandardOutputPipe(PipeTarget.ToStream(stdin))
                .WithStandardErrorPipe(errors.Target)
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(cancellationToken)
                .ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"cannot run the binlog decoder '{decoder}': {e.Message}; set --mysqlbinlog-path";
        }

        return result.ExitCode == 0
            ? null
            : $"{decoder} exited with code {result.ExitCode} on {file.File} of {file.Pod} ({file.Id}): {Last(errors)}";
    }

    private static Task WriteAsync(
        Stream stdin,
        string text,
        CancellationToken cancellationToken
    ) => stdin.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).AsTask();

    private static string Last(OutputTail tail) => tail.Last(1) is [var line] ? line : "no output";

    /// <summary>The session's last two result lines: the binlog status, then the marked GTID position.</summary>
    internal static BinlogReplayOutcome ParseOutcome(
        string flavour,
        IReadOnlyList<string> lines,
        string client
    )
    {
        var marker = -1;
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            if (lines[i].StartsWith(ReplayCommands.ReachedMarker, StringComparison.Ordinal))
            {
                marker = i;
                break;
            }
        }

        var status = marker > 0 ? lines[marker - 1].Split('\t') : [];
        if (
            marker < 0
            || status.Length < 2
            || !long.TryParse(
                status[1],
                NumberStyles.None,
                CultureInfo.InvariantCulture,
                out var position
            )
        )
        {
            throw new RestoreFailedException(
                $"{client} applied the archived binlogs but did not report the position reached (output: {string.Join(" | ", lines)})"
            );
        }

        var reached = lines[marker][ReplayCommands.ReachedMarker.Length..].Trim();
        return new BinlogReplayOutcome(BinlogCoverage.Parse(flavour, reached), status[0], position);
    }
}
