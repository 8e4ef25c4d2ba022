using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Amazon.Runtime;

namespace MysqlAgent.Storage;

/// <summary>The S3 client's HTTP client, trusting only the given CA (--s3-ca-file) for the endpoint's certificate.</summary>
internal sealed class PrivateCaHttpClientFactory(X509Certificate2 ca) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { ca },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        };
        return new HttpClient(handler, disposeHandler: true);
    }

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;
}
