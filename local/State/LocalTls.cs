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
        using var ca = Certificates.CreateAuthority(
            "mysql-local CA",
            now.AddDays(-1),
            now.AddYears(10)
        );
        using var certificate = Certificates.Issue(
            ca,
            SetPaths.ServiceName,
            ["*." + SetPaths.ServiceName],
            [IPAddress.Loopback],
            now.AddDays(-1),
            now.AddYears(1)
        );
        using var caKey = ca.GetRSAPrivateKey()!;
        using var key = certificate.GetRSAPrivateKey()!;

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
