using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MysqlAgent.Common;

/// <summary>
/// A CA and the leaf certificates it signs, as the local set's <c>up --tls</c> and the tests make
/// them: RSA 2048 (mariadbd and .NET both load it), SHA-256, a leaf usable by a server and a client.
/// </summary>
internal static class Certificates
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>A self-signed CA certificate with its private key.</summary>
    public static X509Certificate2 CreateAuthority(
        string commonName,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter
    )
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(
            "CN=" + commonName,
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
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    /// <summary>A leaf for <paramref name="dnsNames"/> and <paramref name="addresses"/>, signed by <paramref name="authority"/>, with its private key.</summary>
    public static X509Certificate2 Issue(
        X509Certificate2 authority,
        string commonName,
        IEnumerable<string> dnsNames,
        IEnumerable<IPAddress> addresses,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter
    )
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(
            "CN=" + commonName,
            key,
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1
        );
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
        }

        foreach (var address in addresses)
        {
            names.AddIpAddress(address);
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
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false)
        );
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(authority, notBefore, notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }
}
