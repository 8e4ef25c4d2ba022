using System.Text;
using CliWrap;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Replication;

/// <summary>
/// A clone made the way the example's init container makes it, without the agent's clone command:
/// <c>mariabackup --backup --slave-info --stream=xbstream | mbstream -x</c>, then <c>--prepare</c>.
/// </summary>
internal static class ManualClone
{
    /// <summary>Streams a hot backup of <paramref name="donor"/> into a new folder, prepares it and returns the folder.</summary>
    public static async Task<string> TakeAsync(MariaDbServer donor, CancellationToken ct = default)
    {
        var binaries = ServerBinaries.Default;
        var work = Directory.CreateTempSubdirectory("mysql-agent-clone-").FullName;
        var target = Path.Combine(work, "data");
        Directory.CreateDirectory(target);
        var credentials = Path.Combine(work, "backup.cnf");
        // 0600 before the password is written: mariabackup reads it, nobody else may.
        if (!OperatingSystem.IsWindows())
        {
            var create = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            await using var file = new StreamWriter(credentials, new UTF8Encoding(false), create);
            await file.WriteAsync(
                $"[client]\nuser=root\npassword={donor.RootPassword}\nhost={MariaDbServer.Host}\nport={donor.Port}\n"
            );
        }

        var backupLog = new StringBuilder();
        var extractLog = new StringBuilder();
        var backup = Cli.Wrap(binaries.Backup)
            .WithArguments([
                $"--defaults-extra-file={credentials}",
                "--backup",
                "--slave-info",
                "--stream=xbstream",
                $"--target-dir={Path.Combine(work, "tmp")}",
            ])
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(backupLog))
            .WithValidation(CommandResultValidation.None);
        var extract = Cli.Wrap(binaries.StreamExtractor)
            .WithArguments(["-x", "-C", target])
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(extractLog))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(extractLog))
            .WithValidation(CommandResultValidation.None);

        var extracted = await (backup | extract).ExecuteAsync(ct);
        if (
            !extracted.IsSuccess
            || !backupLog.ToString().Contains("completed OK!", StringComparison.Ordinal)
        )
        {
            throw new InvalidOperationException(
                $"backup of {donor} failed (mbstream exit {extracted.ExitCode}):\n{Tail(backupLog)}\n{Tail(extractLog)}"
            );
        }

        var prepareLog = new StringBuilder();
        var prepared = await Cli.Wrap(binaries.Backup)
            .WithArguments(["--prepare", $"--target-dir={target}"])
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(prepareLog))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(prepareLog))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(ct);
        if (!prepared.IsSuccess)
        {
            throw new InvalidOperationException(
                $"prepare of the clone of {donor} failed (exit {prepared.ExitCode}):\n{Tail(prepareLog)}"
            );
        }

        File.Delete(credentials);
        return target;
    }

    /// <summary>Boots a prepared clone as a new server; its accounts are the donor's.</summary>
    public static Task<MariaDbServer> BootAsync(
        string dataDir,
        MariaDbServer donor,
        int serverId,
        int? port = null,
        CancellationToken ct = default
    ) =>
        MariaDbServer.StartAsync(
            new MariaDbServerOptions
            {
                ServerId = serverId,
                DataDir = dataDir,
                DeleteDataDirOnDispose = true,
                RootPassword = donor.RootPassword,
                Port = port,
            },
            ct
        );

    private static string Tail(StringBuilder log)
    {
        var text = log.ToString();
        return text.Length <= 3000 ? text : text[^3000..];
    }
}
