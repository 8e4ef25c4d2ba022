using MysqlLocal.State;

namespace MysqlLocal.Commands;

/// <summary>
/// <c>restore --into DIR [--to-time T | --to-gtid G]</c>: a new set in DIR from the backup target
/// of the set in <c>--state-dir</c>, which keeps running untouched. It copies that set's secrets
/// (the restored data has its users and passwords), then runs <c>up --restore-from</c> on DIR with a
/// free block of ports unless <c>--base-port</c> is given, with the source's programs and agent
/// arguments.
/// </summary>
public static class RestoreCommand
{
    /// <exception cref="UsageException">No --into, or a bad option.</exception>
    /// <exception cref="LocalSetException">No source set, no backup target, or DIR not new.</exception>
    public static async Task<int> RunAsync(
        LocalCommandLine line,
        TimeProvider time,
        TextWriter output,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(output);
        var source = line.StatePaths();
        var store = new SetStore(source);
        if (!store.Exists)
        {
            throw new LocalSetException(
                $"no set in {source.StateDir} to restore from: give the source set's folder with --state-dir"
            );
        }

        var desired = store.ReadDesired();
        var from = desired.BackupTarget;
        if (from.Length == 0)
        {
            throw new LocalSetException(
                $"the set in {source.StateDir} has no backup target (it was made with --backup-target off): restore with 'up --restore-from URL --state-dir NEW'"
            );
        }

        var into =
            line.Value("into")
            ?? throw new UsageException(
                "restore needs --into DIR, a new folder for the restored set (the source set keeps running)"
            );
        var target = new SetPaths(into);
        if (
            Path.GetFullPath(target.StateDir).TrimEnd('/')
            == Path.GetFullPath(source.StateDir).TrimEnd('/')
        )
        {
            throw new UsageException(
                $"--into {into} is the source set's own folder: give a new one"
            );
        }

        if (
            Directory.Exists(target.StateDir)
            && Directory.EnumerateFileSystemEntries(target.StateDir).Any()
        )
        {
            throw new LocalSetException(
                $"{target.StateDir} is not empty: a restore makes a new set; give a new folder with --into"
            );
        }

        CopySecrets(source, target);
        await output
            .WriteLineAsync(
                $"restoring {from} into a new set in {target.StateDir} (the secrets of {source.StateDir} copied into it)"
            )
            .ConfigureAwait(false);
        List<string> up =
        [
            "up",
            "--state-dir",
            target.StateDir,
            "--restore-from",
            from,
            "--base-port",
            line.Value("base-port") ?? "auto",
            // The source's programs, and its agents' arguments (the S3 settings the target needs).
            "--init-binary",
            desired.InitBinary,
            "--agent-binary",
            desired.AgentBinary,
            "--config-map-dir",
            desired.ConfigMapDir,
            .. desired.AgentArguments.Select(a => "--agent-arg=" + a),
        ];
        foreach (var option in new[] { "to-time", "to-gtid", "timeout-seconds" })
        {
            if (line.Value(option) is { } value)
            {
                up.AddRange(["--" + option, value]);
            }
        }

        return await UpCommand
            .RunAsync(LocalCommandLine.Parse(up), time, output, cancellationToken)
            .ConfigureAwait(false);
    }

    private static void CopySecrets(SetPaths source, SetPaths target)
    {
        Directory.CreateDirectory(
            target.SecretsDir,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        );
        foreach (var file in Directory.EnumerateFiles(source.SecretsDir))
        {
            var copy = Path.Combine(target.SecretsDir, Path.GetFileName(file));
            File.Copy(file, copy);
            File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
