using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MysqlAgent.Configuration;

namespace MysqlAgent.Tls;

/// <summary>
/// The PEM files of <c>--tls-cert-file</c>, <c>--tls-key-file</c> and <c>--tls-ca-file</c>, in
/// cert-manager's Secret layout (<c>tls.crt</c>, <c>tls.key</c>, <c>ca.crt</c>). The CA alone is
/// enough for a client that verifies its peers; a server also needs the certificate and key.
/// </summary>
public sealed record TlsFiles(string? CertFile, string? KeyFile, string CaFile)
{
    public bool HasCertificate => CertFile is not null && KeyFile is not null;

    public override string ToString() =>
        HasCertificate ? $"cert {CertFile}, key {KeyFile}, CA {CaFile}" : $"CA {CaFile}";

    /// <summary>Null when no TLS option is set; otherwise the files, each loaded once so a bad one is reported at startup.</summary>
    public static TlsFiles? Read(OptionValues values, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(problems);
        var cert = values.Get("tls-cert-file");
        var key = values.Get("tls-key-file");
        var ca = values.Get("tls-ca-file");
        if (cert is null && key is null && ca is null)
        {
            return null;
        }

        var count = problems.Count;
        if (ca is null)
        {
            problems.Add(
                "--tls-ca-file is missing: TLS needs the CA that signs the pods' certificates (ca.crt of the cert-manager Secret)"
            );
        }

        if ((cert is null) != (key is null))
        {
            problems.Add(
                cert is null
                    ? "--tls-key-file is set without --tls-cert-file: give both (tls.crt and tls.key of the Secret)"
                    : "--tls-cert-file is set without --tls-key-file: give both (tls.crt and tls.key of the Secret)"
            );
        }

        if (problems.Count > count)
        {
            return null;
        }

        var files = new TlsFiles(cert, key, ca!);
        try
        {
            TlsCertificates.LoadCa(files.CaFile).Dispose();
        }
        catch (Exception e) when (IsBadFile(e))
        {
            problems.Add($"--tls-ca-file: cannot load {ca} as a PEM certificate ({e.Message})");
        }

        if (files.HasCertificate)
        {
            try
            {
                TlsCertificates.LoadCertificate(files).Dispose();
            }
            catch (Exception e) when (IsBadFile(e))
            {
                problems.Add(
                    $"--tls-cert-file/--tls-key-file: cannot load {cert} with key {key} ({e.Message}); they must be a PEM certificate and its private key"
                );
            }
        }

        return problems.Count > count ? null : files;
    }

    internal static bool IsBadFile(Exception e) =>
        e
            is IOException
                or UnauthorizedAccessException
                or CryptographicException
                or ArgumentException;
}
