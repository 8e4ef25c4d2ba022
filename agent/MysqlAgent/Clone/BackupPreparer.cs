using CliWrap;
using MysqlAgent.Common;
using MysqlAgent.Configuration;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Clone;

/// <summary>Runs <c>mariabackup --prepare --target-dir=staging</c> (xtrabackup for MySQL) so the files are consistent before they are moved.</summary>
public static class BackupPreparer
{
    public static async Task PrepareAsync(
        string preparer,
        string staging,
        Endpoint donor,
        CancellationToken cancellationToken
    )
    {
        var tail = new OutputTail(8);
        CommandResult result;
        try
        {
            result = await Cli.Wrap(preparer)
                .WithArguments(["--prepare", $"--target-dir={staging}"])
                .WithStandardOutputPipe(tail.Target)
                .WithStandardErrorPipe(tail.Target)
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(cancellationToken)
                .ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CloneStepFailedException(
                $"cannot run the prepare tool '{preparer}': {e.Message}; set --backup-tool-path",
                donor
            );
        }

        if (result.ExitCode != 0)
        {
            throw new CloneStepFailedException(
                $"{preparer} --prepare exited with code {result.ExitCode} on the backup from {donor}: {tail}",
                donor
            );
        }
    }
}
