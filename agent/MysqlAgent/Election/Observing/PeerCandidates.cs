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
/// <para>
/// A peer whose last read ran out of time (a frozen or cut-off pod) is silent: the next reads ask
/// it again in the background, once at a time, and count its answer if it comes while the other
/// peers are read, but do not wait for it. It stops being silent when such a read answers. Without
/// this a frozen primary would cost every step the whole time limit: a failover would wait for it
/// in the candidate's read before the race and again in the other replica's read before it
/// rejoins, and a primary would renew behind a frozen replica. A peer is only ever left out after
/// a read of the whole time limit, as before; it is left out a little longer, until a read
/// answers.
/// </para>
/// </remarks>
public sealed class PeerCandidates
{
    private const int MaxBodyBytes = 64 * 1024;
    private const int MissesBeforeStop = 2;

    private readonly AgentOptions _options;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _timeout;
    private readonly Lock _lock = new();

    // The silent peers by ordinal, each with its latest read (running, or done and timed out).
    private readonly Dictionary<int, Task<PeerRead>> _silent = [];

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

    /// <summary>The reports of the peers that answered, as candidates, in the order of <paramref name="ordinals"/>.</summary>
    public async Task<IReadOnlyList<CandidateStatus>> ReadAsync(
        IReadOnlyList<int> ordinals,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(ordinals);
        var reads = new (int Ordinal, Task<PeerRead> Read, bool Silent)[ordinals.Count];
        lock (_lock)
        {
            for (var i = 0; i < ordinals.Count; i++)
            {
                var ordinal = ordinals[i];
                if (_silent.TryGetValue(ordinal, out var last) && !Answered(last))
                {
                    if (last.IsCompleted)
                    {
                        last = ReadOneAsync(ordinal, cancellationToken);
                        _silent[ordinal] = last;
                    }

                    reads[i] = (ordinal, last, true);
                }
                else
                {
                    _silent.Remove(ordinal);
                    reads[i] = (ordinal, ReadOneAsync(ordinal, cancellationToken), false);
                }
            }
        }

        await Task.WhenAll(reads.Where(r => !r.Silent).Select(r => r.Read)).ConfigureAwait(false);
        var answers = new List<CandidateStatus>();
        lock (_lock)
        {
            foreach (var (ordinal, read, silent) in reads)
            {
                if (!read.IsCompletedSuccessfully)
                {
                    continue;
                }

                if (read.Result.TimedOut)
                {
                    _silent[ordinal] = read;
                }
                else if (silent && _silent.GetValueOrDefault(ordinal) == read)
                {
                    _silent.Remove(ordinal);
                }

                if (read.Result.Status is { } status)
                {
                    answers.Add(status);
                }
            }
        }

        return answers;
    }

    private static bool Answered(Task<PeerRead> read) =>
        read.IsCompletedSuccessfully && !read.Result.TimedOut;

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

    /// <summary>
    /// Reads one peer; never throws but for <paramref name="cancellationToken"/>. TimedOut: no
    /// answer within the time limit (the peer becomes silent).
    /// </summary>
    private async Task<PeerRead> ReadOneAsync(int ordinal, CancellationToken cancellationToken)
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
            return new PeerRead(
                status?.Candidate is { } candidate
                    ? CandidateReports.ToStatus(
                        _options.Pod.PeerPodName(ordinal),
                        ordinal,
                        candidate
                    )
                    : null,
                false
            );
        }
        catch (TimeoutRejectedException)
        {
            return new PeerRead(null, true);
        }
        catch (Exception e)
            when (e is HttpRequestException or JsonException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            )
        {
            return new PeerRead(null, false);
        }
    }

    /// <summary>One read of a peer: its report when it answered with one, and whether it ran out of time.</summary>
    private readonly record struct PeerRead(CandidateStatus? Status, bool TimedOut);
}
