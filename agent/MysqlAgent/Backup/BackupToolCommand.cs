using System.Globalization;
using CliWrap;
using MysqlAgent.Configuration;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Backup;

/// <summary>
/// The backup tool's command line: a hot backup of the local server streamed as xbstream on stdout.
/// mariabackup and xtrabackup take the same options here; credentials come only from the
/// defaults-extra-file, which must be the first argument.
/// </summary>
public static class BackupToolCommand
{
    public static Command Build(
        BackupToolKind kind,
        string? toolPath,
        DefaultsExtraFile credentials,
        Endpoint server
    )
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return Cli.Wrap(ToolPath(kind, toolPath))
            .WithArguments(Arguments(credentials, server))
            .WithValidation(CommandResultValidation.None);
    }

    public static string ToolPath(BackupToolKind kind, string? toolPath) =>
        string.IsNullOrWhiteSpace(toolPath) ? BackupToolSelector.ToolName(kind) : toolPath;

    public static IReadOnlyList<string> Arguments(DefaultsExtraFile credentials, Endpoint server)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return
        [
            credentials.Argument,
            "--backup",
            "--slave-info",
            "--stream=xbstream",
            $"--target-dir={credentials.TargetDir}",
            $"--host={server.Host}",
            string.Create(CultureInfo.InvariantCulture, $"--port={server.Port}"),
        ];
    }
}
