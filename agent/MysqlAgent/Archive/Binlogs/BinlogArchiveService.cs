using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.Hosting;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using Polly;

namespace MysqlAgent.Archive.Binlogs;

/// <summary>
/// <c>serve --target</c>: archives the local server's binlogs while this pod is the primary
/// (<see cref="RoleProvider.IsPrimary"/>, asked at every pass, so that a failover needs no restart
/// and a demoted primary stops at once). A pass runs every few seconds, so that a closed file goes
/// up soon after it closes; a failed pass is one log line on the transition and a metric, and the
/// next pass starts again from the archive.
/// </summary>
public sealed class BinlogArchiveService : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    // A pass stuck on the storage or the server is abandoned; the next one starts anew.
    private static readonly TimeSpan PassTimeout = TimeSpan.FromMinutes(30);

    private readonly AgentOptions _options;
    private readonly LocalServer _server;
    private readonly RoleProvider _role;
    private readonly AgentMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<BinlogArchiveService> _logger;
    private readonly ResiliencePipeline _pipeline;

    public BinlogArchiveService(
        AgentOptions options,
        LocalServer server,
        RoleProvider role,
        AgentMetrics metrics,
        TimeProvider time,
        ILogger<BinlogArchiveService> logger
    )
    {
        _options = options;
        _server = server;
        _role = role;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(PassTimeout)
            .Build();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var storage = StorageTarget.Open(_options);
        try
        {
            var interval = _options.BinlogArchiveInterval;
            var poll = interval > TimeSpan.Zero && interval < Poll ? interval : Poll;
            BinlogArchiveLog.Started(
                _logger,
                storage.Location,
                poll.TotalSeconds,
                interval.TotalSeconds
            );
            // Rotate one check early: the file closes and goes up by the time it is the interval
            // old, so the archive is at most about the interval behind the server, not interval
            // plus a check.
            var archiver = new BinlogArchiver(
                interval > poll
                    ? _options with
                    {
                        BinlogArchiveInterval = interval - poll,
                    }
                    : _options,
                storage,
                _server,
                _time,
                _logger,
                _metrics
            );
            bool? failing = null;
            // The first pass of each term rotates at once: a new primary's active file holds what
            // it replicated from its predecessor since the predecessor's last archived file, and
            // that goes up now, not an interval after the promotion.
            long? archivedInTerm = null;
            var firstPass = true;
            using var timer = new PeriodicTimer(poll, _time);
            do
            {
                if (!_role.IsPrimary)
                {
                    continue;
                }

                var term = _role.Lease?.Term;
                var rotateNow = interval > TimeSpan.Zero && (firstPass || term != archivedInTerm);
                try
                {
                    await _pipeline
                        .ExecuteAsync(
                            async token =>
                                await archiver
                                    .ArchiveAsync(term, rotateNow, token)
                                    .ConfigureAwait(false),
                            stoppingToken
                        )
                        .ConfigureAwait(false);
                    archivedInTerm = term;
                    firstPass = false;
                    if (failing == true)
                    {
                        BinlogArchiveLog.Recovered(_logger, storage.Location);
                    }

                    failing = false;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    archiver.Forget();
                    _metrics.BinlogArchiveFailures.Inc();
                    if (failing != true)
                    {
                        BinlogArchiveLog.Failed(_logger, storage.Location, e.Message);
                    }

                    failing = true;
                }
            } while (await TimerTicks.NextAsync(timer, stoppingToken).ConfigureAwait(false));
        }
        finally
        {
            (storage as IDisposable)?.Dispose();
        }
    }
}
