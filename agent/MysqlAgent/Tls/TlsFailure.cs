namespace MysqlAgent.Tls;

/// <summary>Finds the certificate verdict that a handshake failure carries in its inner exceptions.</summary>
public static class TlsFailure
{
    public static PeerCertificateRejectedException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PeerCertificateRejectedException rejected)
            {
                return rejected;
            }
        }

        return null;
    }
}
