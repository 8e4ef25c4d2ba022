using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace MysqlAgent.Tls;

/// <summary>
/// The server's certificate and the CA, re-read when their files change on disk: cert-manager
/// rotates them and the kubelet swaps the mounted Secret's files in place. Each handshake compares
/// the files' bytes with the ones loaded (three small reads; a stat would miss the kubelet's
/// symlink swap), so a rotated certificate is served from the next connection on, without a restart.
/// A file caught half-written keeps the previous certificate until it is whole.
/// </summary>
public sealed class ReloadingTlsMaterial : IDisposable
{
    private readonly TlsFiles _files;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private byte[] _loadedBytes = [];
    private X509Certificate2? _certificate;
    private X509Certificate2? _ca;
    private PeerCertificateVerifier? _verifier;

    public ReloadingTlsMaterial(TlsFiles files, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (!files.HasCertificate)
        {
            throw new ArgumentException(
                "a server needs --tls-cert-file and --tls-key-file",
                nameof(files)
            );
        }

        _files = files;
        _logger = logger;
        Refresh();
    }

    /// <summary>The certificate to present now.</summary>
    public X509Certificate2 ServerCertificate
    {
        get
        {
            lock (_lock)
            {
                Refresh();
                return _certificate!;
            }
        }
    }

    /// <summary>Verifies client certificates against the current CA.</summary>
    public PeerCertificateVerifier Verifier
    {
        get
        {
            lock (_lock)
            {
                Refresh();
                return _verifier!;
            }
        }
    }

    private void Refresh()
    {
        byte[] bytes;
        try
        {
            bytes =
            [
                .. File.ReadAllBytes(_files.CertFile!),
                0,
                .. File.ReadAllBytes(_files.KeyFile!),
                0,
                .. File.ReadAllBytes(_files.CaFile),
            ];
        }
        catch (Exception e) when (TlsFiles.IsBadFile(e) && _certificate is not null)
        {
            TlsLog.ReloadFailed(_logger, _files.ToString(), e.Message);
            return;
        }

        if (bytes.AsSpan().SequenceEqual(_loadedBytes))
        {
            return;
        }

        X509Certificate2 certificate;
        X509Certificate2 ca;
        try
        {
            certificate = TlsCertificates.LoadCertificate(_files);
            ca = TlsCertificates.LoadCa(_files.CaFile);
        }
        catch (Exception e) when (TlsFiles.IsBadFile(e) && _certificate is not null)
        {
            TlsLog.ReloadFailed(_logger, _files.ToString(), e.Message);
            return;
        }

        var first = _certificate is null;
        // The old objects may be in use by a handshake on another thread: leave them to the GC.
        _certificate = certificate;
        _ca = ca;
        _verifier = new PeerCertificateVerifier(ca);
        _loadedBytes = bytes;
        TlsLog.CertificateLoaded(
            _logger,
            first ? "loaded" : "reloaded",
            certificate.Subject,
            certificate.NotAfter.ToUniversalTime(),
            _files.CertFile!
        );
    }

    public void Dispose()
    {
        _certificate?.Dispose();
        _ca?.Dispose();
    }
}
