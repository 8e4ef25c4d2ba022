using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MysqlAgent.Clone;
using MysqlAgent.Metrics;

namespace MysqlAgent.Tests.Clone;

public sealed class CloneProgressTests
{
    [Fact]
    public void A_clone_logs_bytes_rate_and_time_left_every_few_seconds_and_counts_every_frame()
    {
        var time = new FakeTimeProvider();
        var logger = new ListLogger();
        var metrics = new AgentMetrics(Prometheus.Metrics.NewCustomRegistry());
        var progress = new CloneProgress(
            logger,
            time,
            metrics,
            "mysql-0.mysql:3307",
            1_000_000_000
        );

        progress.Report(1_000_000);
        time.Advance(TimeSpan.FromSeconds(1));
        progress.Report(100_000_000);
        Assert.Empty(logger.Lines);

        time.Advance(CloneProgress.Interval);
        progress.Report(300_000_000);

        var line = Assert.Single(logger.Lines);
        Assert.Contains(
            "300 MB (30 % of the donor's 1000 MB datadir)",
            line,
            StringComparison.Ordinal
        );
        Assert.Contains("50 MB/s", line, StringComparison.Ordinal);
        Assert.Contains("about 14 s to go", line, StringComparison.Ordinal);
        Assert.Equal(300_000_000, metrics.CloneBytesReceived.Value);
        Assert.Equal(1_000_000_000, metrics.CloneEstimatedBytes.Value);

        time.Advance(TimeSpan.FromSeconds(2));
        progress.Report(400_000_000);
        Assert.Single(logger.Lines);
    }

    [Fact]
    public void Without_the_donors_size_a_clone_logs_bytes_and_rate_and_says_there_is_no_estimate()
    {
        var time = new FakeTimeProvider();
        var logger = new ListLogger();
        var progress = new CloneProgress(logger, time, null, "mysql-0.mysql:3307", null);

        time.Advance(TimeSpan.FromSeconds(10));
        progress.Report(200_000_000);

        var line = Assert.Single(logger.Lines);
        Assert.Contains("200 MB, 20 MB/s", line, StringComparison.Ordinal);
        Assert.Contains("no estimate", line, StringComparison.Ordinal);
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter
        ) => Lines.Add(formatter(state, exception));
    }
}
