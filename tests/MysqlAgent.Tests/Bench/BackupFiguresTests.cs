extern alias Bench;

using System.Runtime.Versioning;
using Bench::MysqlBench;
using Bench::MysqlBench.Failover;

namespace MysqlAgent.Tests.Bench;

[SupportedOSPlatform("linux")]
public sealed class BackupFiguresTests
{
    [Theory]
    [InlineData("0-100-260", "0:260")]
    [InlineData("0-100-260,1-7-3", "0:260 1:3")]
    [InlineData("", "")]
    public void A_gtid_position_is_read_as_a_sequence_per_domain(string position, string expected)
    {
        var read = string.Join(
            ' ',
            BackupBench.Gtids(position).Select(g => $"{g.Domain}:{g.Sequence}")
        );

        Assert.Equal(expected, read);
    }

    [Fact]
    public void The_p99_of_a_hundred_lags_is_the_second_largest()
    {
        var lags = Enumerable.Range(1, 100).Select(i => (double)i).ToList();

        var lag = ArchiveLag.Of(lags, 3, "a test run");

        Assert.Equal(50, lag.P50);
        Assert.Equal(99, lag.P99);
        Assert.Equal(100, lag.Max);
        Assert.Equal(100, lag.Samples);
        Assert.Equal(3, lag.SamplesBeforeFirstArchive);
    }

    [Fact]
    public void No_lag_sampled_is_no_figure_and_no_verdict()
    {
        var lag = ArchiveLag.Of([], 0, "a test run");

        Assert.True(double.IsNaN(lag.P99));
    }

    [Fact]
    public void A_backup_slower_than_nine_tenths_of_the_clone_misses_its_goal()
    {
        var clone = new CloneMethodResult(
            "mysql-agent, zstd",
            "",
            [10, 10, 10],
            10,
            100,
            1_000_000_000
        );
        var figures = new BackupFigures(
            "loopback",
            clone,
            [
                new BackupTargetResult("folder", "", [11, 11, 11], 11, 1000 / 11.0, 400_000_000),
                new BackupTargetResult(
                    "s3 (moto_server)",
                    "",
                    [12, 12, 12],
                    12,
                    1000 / 12.0,
                    400_000_000
                ),
            ],
            new RestoreResult("", 20, 8, 6, 6, 2, 5000)
        );

        var checks = BackupGoals.Check(figures);

        Assert.Equal(
            true,
            checks.Single(c => c.Figure.Contains("backup to folder", StringComparison.Ordinal)).Met
        );
        Assert.Equal(
            false,
            checks.Single(c => c.Figure.Contains("moto", StringComparison.Ordinal)).Met
        );
        Assert.Contains(
            checks,
            c => c.Figure.Contains("restore", StringComparison.Ordinal) && c.Met is null
        );
    }

    [Fact]
    public void The_archived_binlog_newest_event_is_read_from_the_manifests()
    {
        var archive = Directory.CreateTempSubdirectory("archive-lag-").FullName;
        try
        {
            foreach (
                var (id, at) in new[]
                {
                    ("a", "2026-12-08T00:00:05Z"),
                    ("b", "2026-12-08T00:00:09Z"),
                }
            )
            {
                Directory.CreateDirectory(Path.Combine(archive, id));
                File.WriteAllText(
                    Path.Combine(archive, id, "manifest.json"),
                    $$"""{"lastEventAt":"{{at}}"}"""
                );
            }

            Assert.Equal(
                DateTimeOffset.Parse(
                    "2026-12-08T00:00:09Z",
                    System.Globalization.CultureInfo.InvariantCulture
                ),
                ArchiveLagSampler.NewestArchivedEvent(archive)
            );
            Assert.Null(ArchiveLagSampler.NewestArchivedEvent(Path.Combine(archive, "none")));
        }
        finally
        {
            Directory.Delete(archive, recursive: true);
        }
    }
}
