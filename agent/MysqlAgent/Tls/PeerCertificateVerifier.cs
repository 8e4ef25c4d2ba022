using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MysqlAgent.Tls;

/// <summary>
/// Verifies a peer's certificate against the set's own CA only (a custom trust root, never the
/// system store), and, for a server, against the stable name it was asked for (<c>mysql-N.mysql</c>).
/// </summary>
public sealed class PeerCertificateVerifier
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly X509Certificate2 _ca;

    public PeerCertificateVerifier(X509Certificate2 ca) => _ca = ca;

    /// <summary>Null when <paramref name="certificate"/> is good, else why not, as a phrase for a one-line message.</summary>
    /// <param name="expectedHost">The name the peer must carry (a server), or null (a client).</param>
    public string? Check(X509Certificate2? certificate, string? expectedHost)
    {
        if (certificate is null)
        {
            return "it sent no certificate";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(
            expectedHost is null ? ClientAuthentication : ServerAuthentication
        );
        try
        {
            if (!chain.Build(certificate))
            {
                return Describe(certificate, chain.ChainStatus);
            }
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                if (!ReferenceEquals(element.Certificate, certificate))
                {
                    element.Certificate.Dispose();
                }
            }
        }

        if (expectedHost is not null && !certificate.MatchesHostname(expectedHost))
        {
            return $"its certificate ({certificate.Subject}, names {Names(certificate)}) is not for {expectedHost}";
        }

        return null;
    }

    private string Describe(X509Certificate2 certificate, X509ChainStatus[] status)
    {
        var flags = status.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        if ((flags & X509ChainStatusFlags.NotTimeValid) != 0)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"its certificate ({certificate.Subject}) is expired or not yet valid (valid from {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u})"
            );
        }

        if (
            (
                flags
                & (
                    X509ChainStatusFlags.UntrustedRoot
                    | X509ChainStatusFlags.PartialChain
                    | X509ChainStatusFlags.NotSignatureValid
                )
            ) != 0
        )
        {
            return $"its certificate ({certificate.Subject}, issued by {certificate.Issuer}) is not signed by the CA in --tls-ca-file ({_ca.Subject})";
        }

        if ((flags & X509ChainStatusFlags.NotValidForUsage) != 0)
        {
            return $"its certificate ({certificate.Subject}) is not valid for this use (extended key usage)";
        }

        return $"its certificate ({certificate.Subject}) does not verify: {string.Join("; ", status.Select(s => s.StatusInformation.Trim()))}";
    }

    private static string Names(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                var names = san.EnumerateDnsNames()
                    .Concat(san.EnumerateIPAddresses().Select(a => a.ToString()))
                    .ToList();
                return names.Count == 0 ? "none" : string.Join(", ", names);
            }
        }

        return "none";
    }
}
