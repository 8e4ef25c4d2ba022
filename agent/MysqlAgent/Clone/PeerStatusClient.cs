using System.Text.Json;
using MysqlAgent.Configuration;
using Polly;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Clone;

/// <summary>Reads peers' <c>GET /status</c>; a peer that does not answer in time is reported as unknown, not as an error.</summary>
public sealed class PeerStatusClient
{
    private readonly HttpClient _http;
    private readonly ConnectToMap _connectTo;
    private readonly ResiliencePipeline _timeout;

    public PeerStatusClient(HttpClient http, ConnectToMap connectTo, ResiliencePipeline timeout)
    {
        _http = http;
        _connectTo = connectTo;
        _timeout = timeout;
    }

    public async Task<PeerStatus?> GetAsync(Endpoint peer, CancellationToken cancellationToken)
    {
        var address = _connectTo.Resolve(peer);
        try
        {
            return await _timeout
                .ExecuteAsync(
                    async ct =>
                    {
                        using var response = await _http
                            .GetAsync(new Uri($"http://{address}/status"), ct)
                            .ConfigureAwait(false);
                        // A not-ready peer may answer 503 with the same document: read it whatever the status.
                        var body = await response
                            .Content.ReadAsByteArrayAsync(ct)
                            .ConfigureAwait(false);
                        return JsonSerializer.Deserialize(
                            body,
                            PeerStatusJsonContext.Default.PeerStatus
                        );
                    },
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch (Exception e)
            when (e
                    is HttpRequestException
                        or JsonException
                        or Polly.Timeout.TimeoutRejectedException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            )
        {
            return null;
        }
    }
}
