using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MysqlAgent.Common;

namespace MysqlAgent.TestSupport;

/// <summary>
/// A CA made in the test, and certificates it signs, written in cert-manager's Secret layout
/// (<c>tls.crt</c>, <c>tls.key</c>, <c>ca.crt</c>). RSA keys: mariadbd and .NET both load them.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private TestCertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public static TestCertificateAuthority Create(string name = "mysql-agent test CA")
    {
        var now = TimeProvider.System.GetUtcNow();
        return new TestCertificateAuthority(
            Certificates.CreateAuthority(name, now.AddYears(-1), now.AddYears(5))
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
        return Certificates.Issue(
            Certificate,
            dnsNames.Count > 0 ? dnsNames[0] : "no-name",
            dnsNames,
            includeLoopback ? [IPAddress.Loopback] : [],
            notBefore ?? now.AddDays(-1),
            notAfter ?? now.AddYears(1)
        );
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
