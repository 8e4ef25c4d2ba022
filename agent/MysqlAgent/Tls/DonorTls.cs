using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace MysqlAgent.Tls;

/// <summary>
/// The clone's side of TLS on the backup port: the donor's certificate must chain to the set's CA
/// (a custom trust root, not the system store) and carry the donor's stable name as asked
/// (<c>mysql-0.mysql</c>, before <c>--connect-to</c> maps it to an address); the clone's own
/// certificate, when it has one, is offered in place of the token.
/// </summary>
public static class DonorTls
{
    public static void Apply(SocketsHttpHandler handler, TlsFiles tls)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(tls);
        var verifier = new PeerCertificateVerifier(TlsCertificates.LoadCa(tls.CaFile));
        var clientCertificate = tls.HasCertificate ? TlsCertificates.LoadCertificate(tls) : null;
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            LocalCertificateSelectionCallback = clientCertificate is null
                ? null
                : (_, _, _, _, _) => clientCertificate,
            RemoteCertificateValidationCallback = (sender, certificate, _, _) =>
            {
                // The handler sets the target host from the request's Host header: the stable name.
                var expected = (sender as SslStream)?.TargetHostName ?? "";
                using var presented = certificate is null
                    ? null
                    : new X509Certificate2(certificate);
                var refusal = verifier.Check(presented, expected);
                return refusal is null
                    ? true
                    : throw new PeerCertificateRejectedException(expected, refusal);
            },
        };
    }
}
