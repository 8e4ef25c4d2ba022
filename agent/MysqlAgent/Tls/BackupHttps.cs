using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;

namespace MysqlAgent.Tls;

/// <summary>
/// TLS on the backup port: with <c>--tls-*</c> files it serves HTTPS only (a plain HTTP request
/// fails the handshake), with a certificate re-read when its files change, and accepts a client
/// certificate signed by the set's CA in place of the backup token. Without them it stays plain
/// HTTP, and says at startup that the stream is not encrypted.
/// </summary>
public static class BackupHttps
{
    public static IServiceCollection AddBackupTls(this IServiceCollection services)
    {
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<AgentOptions>();
            var logger = provider
                .GetRequiredService<ILoggerFactory>()
                .CreateLogger(typeof(BackupHttps).FullName!);
            return new ReloadingTlsMaterial(options.Tls!, logger);
        });
        services.AddHostedService<BackupTransportAnnouncement>();
        return services;
    }

    /// <summary>Makes the backup port's listener HTTPS-only when TLS is configured; leaves it plain otherwise.</summary>
    public static void UseBackupTls(this ListenOptions listen, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Tls is not { HasCertificate: true })
        {
            return;
        }

        var services = listen.ApplicationServices;
        var material = services.GetRequiredService<ReloadingTlsMaterial>();
        var logger = services
            .GetRequiredService<ILoggerFactory>()
            .CreateLogger(typeof(BackupHttps).FullName!);
        listen.UseHttps(
            new HttpsConnectionAdapterOptions
            {
                ServerCertificateSelector = (_, _) => material.ServerCertificate,
                SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                CheckCertificateRevocation = false,
                // Called only when the client sends one: a certificate the CA did not sign fails the handshake.
                ClientCertificateValidation = (certificate, _, _) =>
                {
                    var refusal = material.Verifier.Check(certificate, expectedHost: null);
                    if (refusal is not null)
                    {
                        TlsLog.ClientCertificateRejected(logger, "a TLS client", refusal);
                    }

                    return refusal is null;
                },
            }
        );
    }

    /// <summary>True when the request came with a client certificate that the handshake verified against the CA.</summary>
    public static bool HasVerifiedClientCertificate(HttpContext context) =>
        context?.Request.IsHttps == true && context.Connection.ClientCertificate is not null;
}
