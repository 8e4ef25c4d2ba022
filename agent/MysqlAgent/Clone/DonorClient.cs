using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using MysqlAgent.Backup.Protocol;
using MysqlAgent.Configuration;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Clone;

/// <summary>
/// Asks a donor for a backup and turns its answer into either an open body or a typed error:
/// 401 is permanent, 429 carries Retry-After, 5xx and connection failures are transient.
/// </summary>
public sealed class DonorClient
{
    private readonly HttpClient _http;
    private readonly ConnectToMap _connectTo;
    private readonly Secret _token;
    private readonly TimeProvider _timeProvider;
    private readonly string _setId;

    /// <param name="setId">This pod's set (<c>--set-id</c>): a 401 from a donor naming another set says so. Empty: no check.</param>
    private readonly bool _useTls;

    /// <param name="tls">When set, the donor is asked over HTTPS (the client made by <see cref="CreateHttpClient"/> with the same files verifies it).</param>
    public DonorClient(
        HttpClient http,
        ConnectToMap connectTo,
        Secret token,
        TimeProvider timeProvider,
        string setId = "",
        Tls.TlsFiles? tls = null
    )
    {
        _http = http;
        _connectTo = connectTo;
        _token = token;
        _timeProvider = timeProvider;
        _setId = setId;
        _useTls = tls is not null;
    }

    /// <summary>A client whose connections time out but whose bodies may take as long as the clone deadline.</summary>
    /// <param name="tls">The TLS files: the donor's certificate is verified against their CA, and their certificate, if any, is offered.</param>
    public static HttpClient CreateHttpClient(Tls.TlsFiles? tls = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        };
        if (tls is not null)
        {
            Tls.DonorTls.Apply(handler, tls);
        }

        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public Task<DonorResponse> OpenBackupAsync(
        Endpoint donor,
        CancellationToken cancellationToken
    ) => OpenBackupAsync(donor, null, cancellationToken);

    /// <summary>Asks for a stream compressed as <paramref name="compression"/> (null: the donor's default).</summary>
    public async Task<DonorResponse> OpenBackupAsync(
        Endpoint donor,
        StreamCompression? compression,
        CancellationToken cancellationToken
    )
    {
        var address = _connectTo.Resolve(donor);
        var query = compression is null
            ? ""
            : $"?{StreamCompression.QueryParameter}={Uri.EscapeDataString(compression.ToString())}";
        using var request = new HttpRequestMessage(
            HttpMethod.Get,
            new Uri($"{(_useTls ? "https" : "http")}://{address}{BackupStreamFormat.Path}{query}")
        );
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token.Value);
        if (_useTls)
        {
            // The TLS target host, so the certificate is checked against the stable name, not the mapped address.
            request.Headers.Host = donor.ToString();
        }

        HttpResponseMessage response;
        try
        {
            response = await _http
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (Tls.TlsFailure.Find(e) is { } rejected)
        {
            throw new DonorCertificateRejectedException(
                donor,
                Describe(donor, address),
                rejected.Reason,
                e
            );
        }
        catch (HttpRequestException e)
        {
            throw new DonorUnavailableException(
                $"donor {Describe(donor, address)} not reachable: {Reason(e)}",
                donor,
                e
            );
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DonorUnavailableException(
                $"donor {Describe(donor, address)} not reachable: connection timed out",
                donor,
                e
            );
        }

        try
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    var body = await response
                        .Content.ReadAsStreamAsync(cancellationToken)
                        .ConfigureAwait(false);
                    var tool = response.Headers.TryGetValues(
                        BackupStreamFormat.BackupToolHeader,
                        out var values
                    )
                        ? values.FirstOrDefault()
                        : null;
                    return new DonorResponse(response, body, donor, tool)
                    {
                        Compression = Header(response, StreamCompression.ResponseHeader) ?? "none",
                        DataDirBytes = long.TryParse(
                            Header(response, BackupStreamFormat.DataDirBytesHeader),
                            System.Globalization.NumberStyles.None,
                            System.Globalization.CultureInfo.InvariantCulture,
                            out var size
                        )
                            ? size
                            : null,
                    };
                case HttpStatusCode.Unauthorized:
                    throw OtherSet(response) is { } other
                        ? BackupTokenRejectedException.OtherSet(donor, address, other, _setId)
                        : new BackupTokenRejectedException(donor);
                case HttpStatusCode.TooManyRequests:
                    throw new DonorBusyException(donor, RetryAfter(response.Headers.RetryAfter));
                case >= HttpStatusCode.InternalServerError:
                    throw new DonorUnavailableException(
                        $"donor {Describe(donor, address)} failed: {(int)response.StatusCode} {response.ReasonPhrase}",
                        donor
                    );
                default:
                    throw new DonorProtocolException(
                        $"donor {Describe(donor, address)} answered {(int)response.StatusCode} {response.ReasonPhrase} to GET {BackupStreamFormat.Path}: is --donor (or --backup-port) the backup port of a mysql-agent?",
                        donor
                    );
            }
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The donor's set id when it names one and it is not ours; null when ours, unnamed, or we have none.</summary>
    private string? OtherSet(HttpResponseMessage response) =>
        _setId.Length > 0
        && Header(response, SetIdHeader.Name) is { Length: > 0 } donorSet
        && !string.Equals(donorSet, _setId, StringComparison.Ordinal)
            ? donorSet
            : null;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _timeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    internal static string Describe(Endpoint donor, Endpoint address) =>
        donor == address ? donor.ToString() : $"{donor} (at {address})";

    private static string Reason(HttpRequestException e) =>
        e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError =>
                "name not resolvable (pod not scheduled or not in DNS yet?)",
            _ when e.InnerException
                    is SocketException { SocketErrorCode: SocketError.ConnectionRefused } =>
                "connection refused (agent not listening yet?)",
            _ => e.InnerException?.Message ?? e.Message,
        };
}
