using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MysqlAgent.Commands;
using MysqlAgent.Configuration;
using MysqlAgent.Metrics;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Tls;

/// <summary>A donor agent (<c>serve</c>, in-process) whose backup port serves HTTPS with the given files; secrets come from the environment.</summary>
internal sealed class TlsDonor : IAsyncDisposable
{
    public const string Token = "tls-test-token";

    private readonly WebApplication _app;

    private TlsDonor(WebApplication app, int backupPort)
    {
        _app = app;
        BackupPort = backupPort;
    }

    public int BackupPort { get; }

    /// <summary>Backup streams this donor served or started, whatever their result.</summary>
    public double StreamsStarted
    {
        get
        {
            var metrics = _app.Services.GetRequiredService<AgentMetrics>();
            return metrics.BackupStreams.WithLabels("success").Value
                + metrics.BackupStreams.WithLabels("failed").Value
                + metrics.BackupStreams.WithLabels("cancelled").Value
                + metrics.BackupsInProgress.Value;
        }
    }

    public static async Task<TlsDonor> StartAsync(MariaDbServer server, TlsFileSet? tls)
    {
        var backupPort = FreePorts.Next();
        List<string> args =
        [
            "--hostname",
            "mysql-0",
            "--backup-port",
            backupPort.ToString(CultureInfo.InvariantCulture),
            "--http-port",
            FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            "--bind-address",
            "127.0.0.1",
            "--mysql-port",
            server.Port.ToString(CultureInfo.InvariantCulture),
            "--backup-user",
            "root",
            "--backup-tool",
            "mariabackup",
            "--log-level",
            "Warning",
        ];
        if (tls is not null)
        {
            args.AddRange(tls.Arguments);
        }

        var options = AgentOptionsReader.Read(
            OptionValues.Parse(args, Environment(server.RootPassword, Token))
        );
        var app = ServeCommand.Build(options, Prometheus.Metrics.NewCustomRegistry());
        await app.StartAsync();
        return new TlsDonor(app, backupPort);
    }

    /// <summary>Secrets as the environment gives them (no plain secret options on a command line).</summary>
    public static Func<string, string?> Environment(string password, string token) =>
        name =>
            name switch
            {
                "MYSQL_AGENT_ADMIN_PASSWORD" => password,
                "MYSQL_AGENT_REPLICATION_PASSWORD" => "unused",
                "MYSQL_AGENT_BACKUP_PASSWORD" => password,
                "MYSQL_AGENT_BACKUP_TOKEN" => token,
                _ => null,
            };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
