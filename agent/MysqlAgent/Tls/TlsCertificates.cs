using System.Security.Cryptography.X509Certificates;

namespace MysqlAgent.Tls;

/// <summary>Loads the PEM files of <see cref="TlsFiles"/>.</summary>
public static class TlsCertificates
{
    /// <summary>The first certificate of the CA file (cert-manager's <c>ca.crt</c>).</summary>
    public static X509Certificate2 LoadCa(string caFile)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(caFile);
        if (collection.Count == 0)
        {
            throw new ArgumentException($"{caFile} holds no PEM certificate");
        }

        for (var i = 1; i < collection.Count; i++)
        {
            collection[i].Dispose();
        }

        return collection[0];
    }

    /// <summary>The certificate with its private key.</summary>
    public static X509Certificate2 LoadCertificate(TlsFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (!files.HasCertificate)
        {
            throw new InvalidOperationException("no --tls-cert-file and --tls-key-file");
        }

        return X509Certificate2.CreateFromPemFile(files.CertFile!, files.KeyFile);
    }
}
