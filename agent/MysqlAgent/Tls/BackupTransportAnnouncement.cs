using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;

namespace MysqlAgent.Tls;

/// <summary>The startup line that says whether the backup stream is encrypted.</summary>
internal sealed class BackupTransportAnnouncement(AgentOptions options, ILoggerFactory loggers)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(BackupHttps).FullName!);
        if (options.Tls is { HasCertificate: true } tls)
        {
            TlsLog.ServingHttps(logger, options.BackupPort, tls.ToString());
        }
        else
        {
            TlsLog.ServingPlainHttp(logger, options.BackupPort);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
