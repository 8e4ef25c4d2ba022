using MysqlAgent.Configuration;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Clone;

/// <summary>The donor's TLS certificate failed verification: retrying cannot help until the certificates or the CA are fixed.</summary>
public sealed class DonorCertificateRejectedException : CloneException
{
    public DonorCertificateRejectedException(
        Endpoint donor,
        string described,
        string reason,
        Exception? innerException = null
    )
        : base(
            $"donor {described} failed TLS verification: {reason}; check that --tls-ca-file is the CA that signed the donor's certificate (ca.crt of the same Secret) and that its certificate names {donor.Host} and is in date",
            donor,
            innerException
        ) { }
}
