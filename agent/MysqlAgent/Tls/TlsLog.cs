using Microsoft.Extensions.Logging;

namespace MysqlAgent.Tls;

/// <summary>TLS events of the backup port and the clone (3100-3119).</summary>
public static partial class TlsLog
{
    [LoggerMessage(
        3100,
        LogLevel.Information,
        "backup port {Port} serves HTTPS only: {Files}; a client certificate signed by the CA stands in for the backup token"
    )]
    public static partial void ServingHttps(ILogger logger, int port, string files);

    [LoggerMessage(
        3101,
        LogLevel.Warning,
        "backup port {Port} serves plain HTTP: the backup stream is not encrypted (set --tls-cert-file, --tls-key-file and --tls-ca-file to encrypt it)"
    )]
    public static partial void ServingPlainHttp(ILogger logger, int port);

    [LoggerMessage(
        3102,
        LogLevel.Information,
        "TLS certificate {Action}: {Subject}, valid until {NotAfter:u}, from {CertFile}"
    )]
    public static partial void CertificateLoaded(
        ILogger logger,
        string action,
        string subject,
        DateTime notAfter,
        string certFile
    );

    [LoggerMessage(
        3103,
        LogLevel.Warning,
        "TLS files changed but cannot be loaded yet ({Reason}); still serving the previous certificate: {Files}"
    )]
    public static partial void ReloadFailed(ILogger logger, string files, string reason);

    [LoggerMessage(3104, LogLevel.Warning, "backup client {Remote} refused: {Reason}")]
    public static partial void ClientCertificateRejected(
        ILogger logger,
        string remote,
        string reason
    );
}
