using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Mysql;
using MySqlConnector;

namespace MysqlAgent.Backup;

/// <summary>
/// Which backup tool fits the local server: <c>--backup-tool</c> when given, else the server's
/// flavour (<c>SELECT VERSION()</c> names MariaDB: mariabackup; otherwise MySQL: xtrabackup).
/// The answer is remembered once the server has told it.
/// </summary>
public sealed class BackupToolSelector
{
    private readonly AgentOptions _options;
    private readonly LocalServer _server;
    private readonly ILogger<BackupToolSelector> _logger;
    private BackupToolKind? _detected;

    public BackupToolSelector(
        AgentOptions options,
        LocalServer server,
        ILogger<BackupToolSelector> logger
    )
    {
        _options = options;
        _server = server;
        _logger = logger;
    }

    /// <exception cref="MySqlException">The local server does not answer (only with <c>--backup-tool auto</c>).</exception>
    public async Task<BackupToolKind> SelectAsync(CancellationToken cancellationToken)
    {
        if (_options.BackupTool != BackupToolKind.Auto)
        {
            return _options.BackupTool;
        }

        if (_detected is { } known)
        {
            return known;
        }

        var connection = await _server.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = new MySqlCommand("SELECT VERSION()", connection);
            await using (command.ConfigureAwait(false))
            {
                var version =
                    await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
                        as string
                    ?? "";
                var kind = FromVersion(version);
                BackupLog.ToolChosen(_logger, ToolName(kind), $"the server reports '{version}'");
                _detected = kind;
                return kind;
            }
        }
    }

    public static BackupToolKind FromVersion(string version) =>
        version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase)
            ? BackupToolKind.MariaBackup
            : BackupToolKind.XtraBackup;

    public static string ToolName(BackupToolKind kind) =>
        kind switch
        {
            BackupToolKind.MariaBackup => "mariabackup",
            BackupToolKind.XtraBackup => "xtrabackup",
            _ => throw new ArgumentOutOfRangeException(
                nameof(kind),
                kind,
                "choose the tool before naming it"
            ),
        };
}
