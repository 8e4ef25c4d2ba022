using System.Text.Json;
using MysqlAgent.Configuration;
using Polly;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Clone;

/// <summary>Reads peers' <c>GET /status</c>; a peer that does not answer in time is reported as unknown, not as an error.</summary>
public sealed class PeerStatusClient
{
    /// <summary>A status document is about 1 KB; a peer that sends more than this is not a mysql-agent, and is not read on.</summary>
    public const int MaxBodyBytes = 64 * 1024;

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
                            .GetAsync(
                                new Uri($"http://{address}/status"),
                                HttpCompletionOption.ResponseHeadersRead,
                                ct
                            )
                            .ConfigureAwait(false);
                        // A not-ready peer may answer 503 with the same document: read it whatever the status.
                        var body = await ReadLimitedAsync(response.Content, ct)
                            .ConfigureAwait(false);
                        return body is null
                            ? null
                            : JsonSerializer.Deserialize(
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

    /// <summary>The body, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(
        HttpContent content,
        CancellationToken cancellationToken
    )
    {
        if (content.Headers.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxBodyBytes + 1];
            var total = 0;
            while (total < buffer.Length)
            {
                var read = await stream
                    .ReadAsync(buffer.AsMemory(total), cancellationToken)
                    .ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer[..total];
                }

                total += read;
            }

            return null;
        }
    }
}
