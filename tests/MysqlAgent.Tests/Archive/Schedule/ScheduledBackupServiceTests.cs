using System.Globalization;
using System.Runtime.Versioning;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MysqlAgent.Archive;
using MysqlAgent.Archive.Schedule;
using MysqlAgent.Backup;
using MysqlAgent.Configuration;
using MysqlAgent.Health;
using MysqlAgent.Metrics;
using MysqlAgent.Mysql;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Archive.Schedule;

/// <summary>
/// The serve loop on a fake clock: a primary without peers takes each tick itself, once. Its
/// mysqld is a closed port, so each backup fails at once; the failures are what the test counts.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ScheduledBackupServiceTests
{
    private static readonly DateTimeOffset Before = new(2026, 12, 7, 2, 59, 0, TimeSpan.Zero);

    [Fact(Timeout = 60_000)]
    public async Task A_primary_without_replicas_takes_each_tick_itself_once()
    {
        await using var loop = await Loop.StartAsync(Before);
        await loop.AdvanceAsync(TimeSpan.FromSeconds(58));
        Assert.Equal(0, loop.Failed);

        await loop.AdvanceAsync(TimeSpan.FromSeconds(2));
        await loop.WaitForFailureAsync("20261207T030000Z");
        for (var i = 0; i < 5; i++)
        {
            await loop.AdvanceAsync(ScheduledBackupService.Poll);
        }

        Assert.Equal(1, loop.Failed);
        await loop.AdvanceAsync(TimeSpan.FromDays(1));
        await loop.WaitForFailureAsync("20261208T030000Z");
        Assert.Equal(2, loop.Failed);
        Assert.Equal(0, loop.Metrics.ScheduledBackupsMissed.Value);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_new_primary_takes_a_tick_within_its_grace()
    {
        await using var loop = await Loop.StartAsync(Before, election: true);
        await loop.AdvanceAsync(TimeSpan.FromMinutes(30));
        Assert.Equal(0, loop.Failed);

        loop.Promote();
        await loop.AdvanceAsync(ScheduledBackupService.Poll);
        await loop.WaitForFailureAsync("20261207T030000Z");
        Assert.Equal(0, loop.Metrics.ScheduledBackupsMissed.Value);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_new_primary_counts_a_tick_past_its_grace_as_missed_and_takes_none()
    {
        await using var loop = await Loop.StartAsync(Before, election: true);
        await loop.AdvanceAsync(TimeSpan.FromMinutes(61));

        loop.Promote();
        await loop.AdvanceAsync(ScheduledBackupService.Poll);
        await Eventually.UntilAsync(
            () => loop.Metrics.ScheduledBackupsMissed.Value == 1,
            "the tick is counted as missed"
        );
        Assert.Equal(0, loop.Failed);
        Assert.Null(loop.Runner.Status.LastFailure);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_new_primary_skips_a_tick_that_its_predecessor_took()
    {
        await using var loop = await Loop.StartAsync(Before, election: true);
        await loop.AdvanceAsync(TimeSpan.FromMinutes(5));
        // The old primary's source wrote this manifest at 03:00:04, before the failover.
        await loop.WriteManifestAsync("20261207T030004Z-mysql-1-abcdef", "20261207T030000Z");

        loop.Promote();
        await loop.AdvanceAsync(ScheduledBackupService.Poll);
        for (var i = 0; i < 3; i++)
        {
            await loop.AdvanceAsync(ScheduledBackupService.Poll);
        }

        Assert.Equal(0, loop.Failed);
        Assert.Null(loop.Runner.Status.LastFailure);
        Assert.Equal(0, loop.Metrics.ScheduledBackupsMissed.Value);
    }

    private sealed class Loop : IAsyncDisposable
    {
        private readonly FakeTimeProvider _time;
        private readonly ScheduledBackupService _service;
        private readonly RoleProvider _role;

        private Loop(
            FakeTimeProvider time,
            ScheduledBackupService service,
            RoleProvider role,
            StorageBackupRunner runner,
            AgentMetrics metrics
        )
        {
            _time = time;
            _service = service;
            _role = role;
            Runner = runner;
            Metrics = metrics;
        }

        public StorageBackupRunner Runner { get; }
        public AgentMetrics Metrics { get; }

        public double Failed => Metrics.BackupsToStorage.WithLabels("failed").Value;

        public static async Task<Loop> StartAsync(DateTimeOffset now, bool election = false)
        {
            var root = Directory.CreateTempSubdirectory("schedule-loop-").FullName;
            List<string> arguments =
            [
                "--hostname",
                "mysql-0",
                "--target",
                "file:" + root,
                "--backup-schedule",
                "0 3 * * *",
                "--mysql-port",
                FreePorts.Next().ToString(CultureInfo.InvariantCulture),
                "--backup-tool",
                "mariabackup",
                // A map without the peers: no peer resolves, and DNS is not asked.
                "--connect-to",
                "mysql-9.mysql:1:127.0.0.1:1",
            ];
            if (election)
            {
                arguments.AddRange(["--lease-store", "file:" + Path.Combine(root, "lease")]);
            }

            var options = AgentOptionsReader.Read(
                OptionValues.Parse(arguments, new AgentSecrets().Environment)
            );
            var time = new FakeTimeProvider(now);
            var metrics = new AgentMetrics(Prometheus.Metrics.NewCustomRegistry());
            var server = new LocalServer(options);
            var streamer = new BackupStreamer(
                options,
                new BackupToolSelector(options, server, NullLogger<BackupToolSelector>.Instance),
                metrics,
                time,
                NullLogger<BackupStreamer>.Instance
            );
            var runner = new StorageBackupRunner(
                options,
                streamer,
                server,
                new BackupConcurrencyLimiter(options),
                metrics,
                time,
                NullLoggerFactory.Instance
            );
            var role = new RoleProvider(options, time);
            var service = new ScheduledBackupService(
                options,
                role,
                runner,
                metrics,
                time,
                NullLogger<ScheduledBackupService>.Instance
            );
            await service.StartAsync(default);
            await Eventually.UntilAsync(() => service.Turns >= 1, "the first turn is done");
            return new Loop(time, service, role, runner, metrics) { Root = root };
        }

        public required string Root { get; init; }

        public async Task WriteManifestAsync(string id, string tick)
        {
            var manifest = new BackupManifest
            {
                Id = id,
                DataKey = BackupKeys.Data(id),
                Pod = "mysql-1",
                ServerId = 101,
                ServerVersion = "11.4.2-MariaDB",
                Flavour = "mariadb",
                BackupTool = "mariabackup",
                Compression = "zstd",
                StartedAt = _time.GetUtcNow(),
                FinishedAt = _time.GetUtcNow(),
                DataBytes = 1,
                DataXxh128 = "00",
                PayloadBytes = 1,
                Tick = tick,
            };
            var path = Path.Combine(Root, BackupKeys.Manifest(id));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(
                path,
                JsonSerializer.SerializeToUtf8Bytes(
                    manifest,
                    ArchiveJsonContext.Default.BackupManifest
                )
            );
        }

        public void Promote()
        {
            _role.SetPromoted(true);
            _role.Observe(new LeaseHolder("mysql-0", 2), TimeSpan.FromDays(3));
        }

        /// <summary>Moves the clock on and waits until the loop has turned at it.</summary>
        public async Task AdvanceAsync(TimeSpan by)
        {
            var turns = _service.Turns;
            _time.Advance(by);
            await Eventually.UntilAsync(() => _service.Turns > turns, "the loop turns");
        }

        public Task WaitForFailureAsync(string tick) =>
            Eventually.UntilAsync(
                () => Runner.Status.LastFailure?.Tick == tick && Runner.Status.Running is null,
                $"the backup of tick {tick} has failed (no mysqld)"
            );

        public async ValueTask DisposeAsync()
        {
            await _service.StopAsync(default);
            _service.Dispose();
            await Runner.DisposeAsync();
        }
    }
}
