namespace MysqlAgent.Tls;

/// <summary>Thrown inside the TLS handshake when a peer's certificate fails verification; carries the reason out of the handler.</summary>
public sealed class PeerCertificateRejectedException : Exception
{
    public PeerCertificateRejectedException(string host, string reason)
        : base($"{host}: {reason}") => Reason = reason;

    public PeerCertificateRejectedException() { }

    public PeerCertificateRejectedException(string message, Exception innerException)
        : base(message, innerException) { }

    public string Reason { get; } = "";
}
