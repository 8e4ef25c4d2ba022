using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Clone;

/// <summary>
/// Which peer to clone from: the configured donor first; when it has failed
/// <see cref="CloneRetryPolicy.AttemptsBeforeFallback"/> times in a row, the best other peer by
/// <see cref="ChooseFallback"/>, asked through their <c>/status</c>.
/// </summary>
public sealed class DonorSelector
{
    private readonly AgentOptions _options;
    private readonly PeerStatusClient _status;
    private readonly CloneRetryPolicy _policy;
    private readonly ILogger _logger;
    private readonly bool _fallbackAllowed;
    private int _consecutiveFailures;

    public DonorSelector(
        AgentOptions options,
        PeerStatusClient status,
        CloneRetryPolicy policy,
        ILogger logger
    )
    {
        _options = options;
        _status = status;
        _policy = policy;
        _logger = logger;
        Current =
            options.Donor ?? throw new ArgumentException("no donor on ordinal 0", nameof(options));
        // An explicit --donor is the operator's choice: only the default previous-ordinal donor falls back.
        _fallbackAllowed =
            options.Pod.Ordinal > 0
            && Current == options.PeerBackupEndpoint(options.Pod.Ordinal - 1);
    }

    public Endpoint Current { get; private set; }

    public void RecordFailure() => _consecutiveFailures++;

    /// <summary>The donor for the next attempt, switching to another peer when the current one keeps failing.</summary>
    public async Task<Endpoint> NextAsync(CancellationToken cancellationToken)
    {
        if (
            !_fallbackAllowed
            || _consecutiveFailures < _policy.AttemptsBeforeFallback
            || _options.Pod.Ordinal < 2
        )
        {
            return Current;
        }

        _consecutiveFailures = 0;
        var ordinals = Enumerable.Range(0, _options.Pod.Ordinal).ToList();
        var statuses = await Task.WhenAll(
                ordinals.Select(o =>
                    _status.GetAsync(_options.PeerHttpEndpoint(o), cancellationToken)
                )
            )
            .ConfigureAwait(false);
        var reports = ordinals.Select((o, i) => new PeerReport(o, statuses[i])).ToList();
        var failing = OrdinalOf(Current);
        var chosen = ChooseFallback(reports, failing);
        if (chosen is { } ordinal)
        {
            var next = _options.PeerBackupEndpoint(ordinal);
            CloneLog.DonorFallback(_logger, Current.ToString(), next.ToString(), Describe(reports));
            Current = next;
        }
        else
        {
            CloneLog.NoFallbackDonor(_logger, Current.ToString(), Describe(reports));
        }

        return Current;
    }

    /// <summary>
    /// The best other donor, or null to stay: ready replicas first (least lag first, unknown lag
    /// after known), then the ready primary, then ready peers of unknown role; ties go to the lower
    /// ordinal. Peers that did not answer, are not ready, or are the failing donor are never chosen.
    /// </summary>
    public static int? ChooseFallback(IEnumerable<PeerReport> reports, int? failingOrdinal) =>
        reports
            .Where(r => r.Ordinal != failingOrdinal && r.Status is { Ready: true })
            .OrderBy(r => Rank(r.Status!))
            .ThenBy(r => r.Status!.LagSeconds ?? double.MaxValue)
            .ThenBy(r => r.Ordinal)
            .Select(r => (int?)r.Ordinal)
            .FirstOrDefault();

    private static int Rank(PeerStatus status) =>
        status.Role?.ToLowerInvariant() switch
        {
            PeerStatus.ReplicaRole => 0,
            PeerStatus.PrimaryRole => 1,
            _ => 2,
        };

    private int? OrdinalOf(Endpoint donor)
    {
        for (var o = 0; o < _options.Pod.Ordinal; o++)
        {
            if (_options.PeerBackupEndpoint(o) == donor)
            {
                return o;
            }
        }

        return null;
    }

    private static string Describe(IEnumerable<PeerReport> reports) =>
        string.Join(
            ", ",
            reports.Select(r =>
                r.Status is null
                    ? $"{r.Ordinal}: no answer"
                    : $"{r.Ordinal}: {(r.Status.Ready ? "ready" : "not ready")} {r.Status.Role ?? "unknown role"}{(r.Status.LagSeconds is { } lag ? $" lag {lag:0.#}s" : "")}"
            )
        );
}
