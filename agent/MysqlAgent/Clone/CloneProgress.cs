using Microsoft.Extensions.Logging;
using MysqlAgent.Metrics;

namespace MysqlAgent.Clone;

/// <summary>
/// Watches one clone's stream: every <see cref="Interval"/> a log line with the bytes so far, the
/// rate and the time left (from the donor's datadir size), and the clone metrics on every frame.
/// </summary>
public sealed class CloneProgress
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly AgentMetrics? _metrics;
    private readonly string _donor;
    private readonly long? _estimatedBytes;
    private readonly long _started;
    private long _lastLogged;
    private long _bytes;

    public CloneProgress(
        ILogger logger,
        TimeProvider time,
        AgentMetrics? metrics,
        string donor,
        long? estimatedBytes
    )
    {
        _logger = logger;
        _time = time;
        _metrics = metrics;
        _donor = donor;
        _estimatedBytes = estimatedBytes;
        _started = time.GetTimestamp();
        _lastLogged = _started;
        if (estimatedBytes is { } total)
        {
            metrics?.CloneEstimatedBytes.Set(total);
        }
    }

    /// <summary>Called by the stream reader with the payload bytes extracted so far.</summary>
    public void Report(long bytes)
    {
        _metrics?.CloneBytesReceived.Inc(bytes - _bytes);
        _bytes = bytes;
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(_lastLogged, now) < Interval)
        {
            return;
        }

        _lastLogged = now;
        var seconds = Math.Max(_time.GetElapsedTime(_started, now).TotalSeconds, 0.001);
        var rate = bytes / seconds;
        if (_estimatedBytes is { } total && total > 0)
        {
            // The datadir's size is an estimate of the stream's: never promise less than nothing left.
            var left = Math.Max(total - bytes, 0);
            CloneLog.Progress(
                _logger,
                _donor,
                bytes / 1e6,
                Math.Min(100.0, bytes * 100.0 / total),
                total / 1e6,
                rate / 1e6,
                rate > 0 ? Math.Round(left / rate) : double.NaN
            );
        }
        else
        {
            CloneLog.ProgressWithoutEstimate(_logger, _donor, bytes / 1e6, rate / 1e6);
        }
    }
}
