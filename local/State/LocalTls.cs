using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MysqlAgent.Common;

namespace MysqlLocal.State;

/// <summary>
/// <c>up --tls</c>: a CA of the set's own and one certificate for all its pods, as the manifests'
/// TLS component has cert-manager make them (tls.crt, tls.key, ca.crt). The certificate names the
/// pods' stable names (<c>*.mysql</c>), which the clone verifies, and 127.0.0.1, because a replica's
/// mysqld connects to the primary's mapped address (mysqld has no <c>--connect-to</c>) and verifies
/// that name. Made once and kept until <c>down</c>.
/// </summary>
public static class LocalTls
{
    public const string CertFile = "tls.crt";
    public const string KeyFile = "tls.key";
    public const string CaFile = "ca.crt";
    public const string CaKeyFile = "ca.key";

    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Public =
        UnixFileMode.UserRead
        | UnixFileMode.UserWrite
        | UnixFileMode.GroupRead
        | UnixFileMode.OtherRead;

    public static void EnsureCreated(SetPaths paths, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(time);
        if (new[] { CertFile, KeyFile, CaFile }.All(name => File.Exists(paths.TlsFile(name))))
        {
            return;
        }

        Directory.CreateDirectory(paths.TlsDir);
        var now = time.GetUtcNow();
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest(
            "CN=mysql-local CA",
            caKey,
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1
        );
        caRequest.CertificateExtensions.Add(
            new X509BasicConstraintsExtension(true, false, 0, true)
        );
        caRequest.CertificateExtensions.Add(
            new X509KeyUsageExtension(
                X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign,
                true
            )
        );
        caRequest.CertificateExtensions.Add(
            new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false)
        );
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));

        using var key = RSA.Create(2048);
        var request = new CertificateRequest(
            "CN=" + SetPaths.ServiceName,
            key,
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1
        );
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("*." + SetPaths.ServiceName);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(
            new X509KeyUsageExtension(
                X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
                true
            )
        );
        request.CertificateExtensions.Add(
            new X509EnhancedKeyUsageExtension(
                [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")],
                false
            )
        );
        request.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false)
        );
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var certificate = request.Create(ca, now.AddDays(-1), now.AddYears(1), serial);

        // Keys first and private; the certificate last, so a half-made folder is made again.
        AtomicFile.Write(
            paths.TlsFile(CaKeyFile),
            caKey.ExportPkcs8PrivateKeyPem() + "\n",
            Private
        );
        AtomicFile.Write(paths.TlsFile(KeyFile), key.ExportPkcs8PrivateKeyPem() + "\n", Private);
        AtomicFile.Write(paths.TlsFile(CaFile), ca.ExportCertificatePem() + "\n", Public);
        AtomicFile.Write(
            paths.TlsFile(CertFile),
            certificate.ExportCertificatePem() + "\n",
            Public
        );
    }
}
