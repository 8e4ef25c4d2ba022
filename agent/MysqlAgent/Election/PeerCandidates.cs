using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using Polly;
using Polly.Timeout;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Election;

/// <summary>
/// Finds the peers and reads their candidate reports from their <c>/status</c>.
/// </summary>
/// <remarks>
/// The peers are ordinals 0, 1, 2, … whose stable name <c>&lt;set&gt;-N.&lt;service&gt;</c> resolves;
/// the search stops after two consecutive ordinals whose names do not, so one missing pod (a scaled
/// down set with a gap, a pod being recreated) does not hide the ones after it. With
/// <c>--connect-to</c> entries (the local replica set, tests) a name resolves when it is mapped on
/// the HTTP port, and DNS is not asked; otherwise DNS answers (the headless Service publishes
/// not-ready addresses, so a pod in the middle of a promotion still resolves). A peer that does not
/// answer within the time limit is left out of the list, as the elector expects.
/// </remarks>
public sealed class PeerCandidates
{
    private const int MaxBodyBytes = 64 * 1024;
    private const int MissesBeforeStop = 2;

    private readonly AgentOptions _options;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _timeout;

    public PeerCandidates(
        AgentOptions options,
        HttpClient http,
        TimeProvider time,
        TimeSpan timeout
    )
    {
        _options = options;
        _http = http;
        _timeout = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(timeout)
            .Build();
    }

    /// <summary>The peers' ordinals (not this pod's) by the rule above.</summary>
    public async Task<IReadOnlyList<int>> OrdinalsAsync(CancellationToken cancellationToken)
    {
        var ordinals = new List<int>();
        var misses = 0;
        for (var ordinal = 0; misses < MissesBeforeStop; ordinal++)
        {
            if (ordinal == _options.Pod.Ordinal)
            {
                misses = 0;
                continue;
            }

            if (await ResolvesAsync(ordinal, cancellationToken).ConfigureAwait(false))
            {
                ordinals.Add(ordinal);
                misses = 0;
            }
            else
            {
                misses++;
            }
        }

        return ordinals;
    }

    /// <summary>The reports of the peers that answered, as candidates.</summary>
    public async Task<IReadOnlyList<CandidateStatus>> ReadAsync(
        IReadOnlyList<int> ordinals,
        CancellationToken cancellationToken
    )
    {
        var reads = ordinals.Select(o => ReadOneAsync(o, cancellationToken)).ToArray();
        var answers = await Task.WhenAll(reads).ConfigureAwait(false);
        return answers.OfType<CandidateStatus>().ToArray();
    }

    private async Task<bool> ResolvesAsync(int ordinal, CancellationToken cancellationToken)
    {
        var endpoint = _options.PeerHttpEndpoint(ordinal);
        if (_options.ConnectTo.Entries.Count > 0)
        {
            return _options.ConnectTo.Resolve(endpoint) != endpoint;
        }

        try
        {
            var addresses = await _timeout
                .ExecuteAsync(
                    async ct =>
                        await Dns.GetHostAddressesAsync(endpoint.Host, ct).ConfigureAwait(false),
                    cancellationToken
                )
                .ConfigureAwait(false);
            return addresses.Length > 0;
        }
        catch (Exception e)
            when (e is SocketException or TimeoutRejectedException or ArgumentException)
        {
            return false;
        }
    }

    private async Task<CandidateStatus?> ReadOneAsync(
        int ordinal,
        CancellationToken cancellationToken
    )
    {
        var address = _options.ConnectTo.Resolve(_options.PeerHttpEndpoint(ordinal));
        try
        {
            var status = await _timeout
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
                        // A not-ready peer answers 503 with the same document.
                        if (response.Content.Headers.ContentLength > MaxBodyBytes)
                        {
                            return null;
                        }

                        var body = await response
                            .Content.ReadAsByteArrayAsync(ct)
                            .ConfigureAwait(false);
                        return body.Length > MaxBodyBytes
                            ? null
                            : JsonSerializer.Deserialize(
                                body,
                                PeerElectionJsonContext.Default.PeerElectionStatus
                            );
                    },
                    cancellationToken
                )
                .ConfigureAwait(false);
            return status?.Candidate is { } candidate
                ? CandidateReports.ToStatus(_options.Pod.PeerPodName(ordinal), ordinal, candidate)
                : null;
        }
        catch (Exception e)
            when (e is HttpRequestException or JsonException or TimeoutRejectedException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            )
        {
            return null;
        }
    }
}
