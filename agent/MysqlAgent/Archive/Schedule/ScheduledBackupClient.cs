using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MysqlAgent.Clone;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace MysqlAgent.Archive.Schedule;

/// <summary>A peer's answer to <c>POST /backups/scheduled</c>.</summary>
/// <param name="Run">202: the backup it started; 409: the one it runs (or took) already.</param>
/// <param name="Problem">Why it did not take the tick; null when it did.</param>
public sealed record TriggerAnswer(BackupRunningDocument? Run, string? Problem);

/// <summary>
/// Asks a peer's backup port to take a tick (<see cref="ScheduledBackupEndpoints"/>), with the
/// backup token or, with TLS, the pod's client certificate. A connection failure, a timeout or a
/// 5xx is tried again a few times (Polly, short backoff); a refusal (401, 429, 503) is not. A retry
/// after a lost 202 is harmless: the peer answers 409 with the same tick, which counts as taken.
/// </summary>
public sealed class ScheduledBackupClient
{
    public const int Attempts = 3;

    private readonly AgentOptions _options;
    private readonly ResiliencePipeline _pipeline;

    public ScheduledBackupClient(AgentOptions options, TimeProvider time)
    {
        _options = options;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(
                new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder()
                        .Handle<HttpRequestException>()
                        .Handle<TimeoutRejectedException>()
                        .Handle<RetryableAnswerException>(),
                    MaxRetryAttempts = Attempts - 1,
                    BackoffType = DelayBackoffType.Exponential,
                    Delay = TimeSpan.FromSeconds(1),
                    UseJitter = true,
                }
            )
            .AddTimeout(TimeSpan.FromSeconds(10))
            .Build();
    }

    public async Task<TriggerAnswer> TriggerAsync(
        int ordinal,
        string tick,
        CancellationToken cancellationToken
    )
    {
        var peer = _options.PeerBackupEndpoint(ordinal);
        var address = _options.ConnectTo.Resolve(peer);
        using var http = DonorClient.CreateHttpClient(_options.Tls);
        try
        {
            return await _pipeline
                .ExecuteAsync(
                    async token =>
                    {
                        using var request = new HttpRequestMessage(
                            HttpMethod.Post,
                            new Uri(
                                $"{(_options.Tls is null ? "http" : "https")}://{address}{ScheduledBackupEndpoints.Path}?tick={Uri.EscapeDataString(tick)}"
                            )
                        );
                        if (_options.BackupToken is { } secret)
                        {
                            request.Headers.Authorization = new AuthenticationHeaderValue(
                                "Bearer",
                                secret.Value
                            );
                        }

                        if (_options.Tls is not null)
                        {
                            // The certificate is checked against the stable name, not the mapped address.
                            request.Headers.Host = peer.ToString();
                        }

                        using var response = await http.SendAsync(request, token)
                            .ConfigureAwait(false);
                        var body = await response
                            .Content.ReadAsStringAsync(token)
                            .ConfigureAwait(false);
                        return response.StatusCode switch
                        {
                            HttpStatusCode.Accepted or HttpStatusCode.Conflict => new TriggerAnswer(
                                Parse(body),
                                response.StatusCode == HttpStatusCode.Conflict
                                    ? $"409: {FirstLine(body)}"
                                    : null
                            ),
                            HttpStatusCode.ServiceUnavailable
                            or HttpStatusCode.TooManyRequests
                            or HttpStatusCode.Unauthorized
                            or HttpStatusCode.BadRequest
                            or HttpStatusCode.NotFound => new TriggerAnswer(
                                null,
                                $"{(int)response.StatusCode}: {FirstLine(body)}"
                            ),
                            _ => throw new RetryableAnswerException(
                                $"{(int)response.StatusCode}: {FirstLine(body)}"
                            ),
                        };
                    },
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch (Exception e)
            when (e is HttpRequestException or TimeoutRejectedException or RetryableAnswerException)
        {
            return new TriggerAnswer(
                null,
                $"no answer after {Attempts} attempts: {e.InnerException?.Message ?? e.Message}"
            );
        }
    }

    private static BackupRunningDocument? Parse(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(
                body,
                StatusJsonContext.Default.BackupRunningDocument
            );
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string FirstLine(string body)
    {
        var line = body.Split('\n', 2)[0].Trim();
        return line.Length <= 200 ? line : line[..200];
    }

    private sealed class RetryableAnswerException(string message) : Exception(message);
}
