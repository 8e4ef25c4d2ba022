using System.Net;
using Microsoft.Extensions.Logging;
using MysqlAgent.Archive;
using MysqlAgent.Archive.Binlogs;
using MysqlAgent.Archive.Schedule;
using MysqlAgent.Backup;
using MysqlAgent.Configuration;
using MysqlAgent.Election;
using MysqlAgent.Faults;
using MysqlAgent.Health;
using MysqlAgent.Hosting;
using MysqlAgent.Logging;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using MysqlAgent.PrimaryProxy;
using MysqlAgent.Replication.Setup;
using MysqlAgent.Tls;
using Prometheus;

namespace MysqlAgent.Commands;

/// <summary><c>mysql-agent serve</c>: the long-running sidecar.</summary>
public sealed class ServeCommand : IAgentCommand
{
    public string Name => "serve";

    public string Summary =>
        "Serve backups to peers, set up replication once, export /metrics, /healthz, /readyz, /status.";

    public IEnumerable<string> Validate(AgentOptions options)
    {
        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            yield return $"--bind-address '{options.BindAddress}' is not an IP address (0.0.0.0, ::, 127.0.0.1)";
        }

        if (options.BackupToken is null)
        {
            yield return "no backup token: set --backup-token-file (a file from the Secret) or MYSQL_AGENT_BACKUP_TOKEN";
        }

        if (options.AdminPassword is null)
        {
            yield return "no admin password: set --admin-password-file or MYSQL_AGENT_ADMIN_PASSWORD";
        }

        if (options.ReplicationPassword is null)
        {
            yield return "no replication password: set --replication-password-file or MYSQL_AGENT_REPLICATION_PASSWORD";
        }

        if (options.Tls is { HasCertificate: false })
        {
            yield return "--tls-ca-file is set without --tls-cert-file and --tls-key-file: serve needs all three to serve the backup port over HTTPS (tls.crt, tls.key and ca.crt of the Secret)";
        }

        if (options.BackupPassword is null)
        {
            yield return "no backup password: set --backup-password-file or MYSQL_AGENT_BACKUP_PASSWORD";
        }

        if (options.StorageTarget is { } target && StorageTarget.Check(target) is { } storage)
        {
            yield return storage
                + " (serve archives binlogs there; leave --target unset to archive none)";
        }

        if (options.BackupSchedule is not null && options.StorageTarget is null)
        {
            yield return "--backup-schedule needs --target: the storage the scheduled backups go to, file:/path or s3://bucket[/prefix], the same on every pod";
        }

        foreach (var problem in PrimaryProxyService.Validate(options))
        {
            yield return problem;
        }

        foreach (
            var problem in ElectionRegistration.Validate(
                options,
                Environment.GetEnvironmentVariable
            )
        )
        {
            yield return problem;
        }
    }

    public async Task<int> RunAsync(
        AgentOptions options,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken
    )
    {
        await using var app = Build(options, Prometheus.Metrics.NewCustomRegistry());
        // A crash point's SIGKILL must not swallow the log lines queued before it.
        CrashPoint.BeforeKill = () =>
        {
            foreach (var provider in app.Services.GetServices<ILoggerProvider>())
            {
                provider.Dispose();
            }
        };
        await app.RunAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>The agent's web application, unstarted; tests host it in-process on free ports.</summary>
    public static WebApplication Build(
        AgentOptions options,
        CollectorRegistry registry,
        TimeProvider? timeProvider = null
    )
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        AgentLogging.Configure(builder.Logging, options.LogFormat, options.LogLevel);
        var address = IPAddress.Parse(options.BindAddress);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, options.HttpPort);
            kestrel.Listen(address, options.BackupPort, listen => listen.UseBackupTls(options));
        });

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(timeProvider ?? TimeProvider.System);
        services.AddSingleton(new AgentMetrics(registry));
        services.AddSingleton<LocalServer>();
        services.AddHealth();
        services.AddBackupServing();
        services.AddBackupTls();
        services.AddReplicationSetup();
        services.AddElection(options);
        if (options.PrimaryProxyPort != 0)
        {
            services.AddHostedService<PrimaryProxyService>();
        }

        // Every pod takes a tick when the primary asks (POST /backups/scheduled); only
        // --backup-schedule makes a pod ask.
        services.AddSingleton<StorageBackupRunner>();
        if (options.StorageTarget is not null)
        {
            services.AddHostedService<BinlogArchiveService>();
            if (options.BackupSchedule is not null)
            {
                services.AddHostedService<ScheduledBackupService>();
            }
        }

        var app = builder.Build();
        app.UseSetIdHeader(options.SetId);
        app.UseLocalPortRouting();
        app.MapHealthEndpoints().RequireLocalPort(options.HttpPort);
        app.MapMetrics("/metrics", registry).RequireLocalPort(options.HttpPort);
        app.MapPreStop().RequireLocalPort(options.HttpPort);
        app.MapBackupEndpoints().RequireLocalPort(options.BackupPort);
        app.MapScheduledBackupEndpoints().RequireLocalPort(options.BackupPort);
        return app;
    }
}
