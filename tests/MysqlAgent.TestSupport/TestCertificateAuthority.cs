using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MysqlAgent.TestSupport;

/// <summary>
/// A CA made in the test, and certificates it signs, written in cert-manager's Secret layout
/// (<c>tls.crt</c>, <c>tls.key</c>, <c>ca.crt</c>). RSA keys: mariadbd and .NET both load them.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private TestCertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public static TestCertificateAuthority Create(string name = "mysql-agent test CA")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(
            $"CN={name}",
            key,
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1
        );
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(
            new X509KeyUsageExtension(
                X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign,
                true
            )
        );
        request.CertificateExtensions.Add(
            new X509SubjectKeyIdentifierExtension(request.PublicKey, false)
        );
        var now = TimeProvider.System.GetUtcNow();
        return new TestCertificateAuthority(
            request.CreateSelfSigned(now.AddYears(-1), now.AddYears(5))
        );
    }

    /// <summary>A leaf certificate for <paramref name="dnsNames"/> (and 127.0.0.1), valid from <paramref name="notBefore"/> to <paramref name="notAfter"/> (default: yesterday to next year).</summary>
    public X509Certificate2 Issue(
        IReadOnlyList<string> dnsNames,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        bool includeLoopback = true
    )
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        var now = TimeProvider.System.GetUtcNow();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(
            $"CN={(dnsNames.Count > 0 ? dnsNames[0] : "no-name")}",
            key,
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1
        );
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
        }

        if (includeLoopback)
        {
            names.AddIpAddress(IPAddress.Loopback);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(
            new X509KeyUsageExtension(
                X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
                true
            )
        );
        request.CertificateExtensions.Add(
            new X509EnhancedKeyUsageExtension([ServerAuthentication, ClientAuthentication], false)
        );
        request.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false)
        );
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7f;
        var from = notBefore ?? now.AddDays(-1);
        var to = notAfter ?? now.AddYears(1);
        using var issued = request.Create(Certificate, from, to, serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>Writes <paramref name="certificate"/> as tls.crt and tls.key and this CA as ca.crt into <paramref name="folder"/>.</summary>
    public TlsFileSet Write(string folder, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Directory.CreateDirectory(folder);
        var files = new TlsFileSet(
            Path.Combine(folder, "tls.crt"),
            Path.Combine(folder, "tls.key"),
            Path.Combine(folder, "ca.crt")
        );
        WriteCertificate(files.CertFile, files.KeyFile, certificate);
        File.WriteAllText(files.CaFile, Certificate.ExportCertificatePem() + "\n");
        return files;
    }

    /// <summary>Replaces a certificate and key in place, as cert-manager's renewal does.</summary>
    public static void WriteCertificate(
        string certFile,
        string keyFile,
        X509Certificate2 certificate
    )
    {
        ArgumentNullException.ThrowIfNull(certificate);
        File.WriteAllText(certFile, certificate.ExportCertificatePem() + "\n");
        using var rsa = certificate.GetRSAPrivateKey()!;
        File.WriteAllText(keyFile, rsa.ExportPkcs8PrivateKeyPem() + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public void Dispose() => Certificate.Dispose();
}

/// <summary>The three files of a TLS Secret.</summary>
public sealed record TlsFileSet(string CertFile, string KeyFile, string CaFile)
{
    /// <summary>The agent's options for these files.</summary>
    public IReadOnlyList<string> Arguments =>
        ["--tls-cert-file", CertFile, "--tls-key-file", KeyFile, "--tls-ca-file", CaFile];
}
