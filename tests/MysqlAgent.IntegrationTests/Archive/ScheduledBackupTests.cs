using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.Versioning;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MysqlAgent.Archive;
using MysqlAgent.Archive.Schedule;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.IntegrationTests.Replication;
using MysqlAgent.Storage;
using MysqlAgent.TestSupport;

namespace MysqlAgent.IntegrationTests.Archive;

/// <summary>
/// <c>serve --backup-schedule "* * * * *"</c> with real mariadbd and mariabackup: a tick is at most
/// a minute away, so each test waits for the next one.
/// </summary>
[Trait("Category", "Slow")]
[SupportedOSPlatform("linux")]
public sealed class ScheduledBackupTests : IClassFixture<BackupServerFixture>
{
    private static readonly TimeSpan TickWait = TimeSpan.FromSeconds(150);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly BackupServerFixture _fixture;

    public ScheduledBackupTests(BackupServerFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact(Timeout = 300_000)]
    public async Task A_primary_with_a_schedule_takes_exactly_one_backup_for_a_tick_and_reports_it()
    {
        var root = Directory.CreateTempSubdirectory("scheduled-").FullName;
        var storage = new FolderBackupStorage(root);
        await using var agent = await InProcessAgent.StartAsync(
            _fixture.Arguments(
                "file:" + root,
                "--http-port",
                Number(FreePorts.Next()),
                "--backup-port",
                Number(FreePorts.Next()),
                "--bind-address",
                "127.0.0.1",
                "--backup-schedule",
                "* * * * *"
            ),
            _fixture.Secrets
        );

        var first = await Eventually.ValueAsync(
            async () => (await ListAsync(storage)).FirstOrDefault(m => m.Tick is not null),
            manifest => manifest is not null,
            "a backup for a tick of the schedule is in the storage",
            TickWait
        );
        Assert.True(BackupSchedule.TryParseTick(first!.Tick, out var tick));
        Assert.Equal(0, tick.Second);
        Assert.True(first.StartedAt >= tick, $"{first.StartedAt:o} is before its tick {tick:o}");
        Assert.Equal("mysql-0", first.Pod);
        Assert.Equal("zstd", first.Compression);

        // /status and the metrics tell the same backup, once it is done.
        var status = await Eventually.ValueAsync(
            async () => JsonDocument.Parse((await agent.GetTextAsync("/status")).Body),
            s =>
                s.RootElement.GetProperty("backup").GetProperty("lastSuccess")
                    is { ValueKind: JsonValueKind.Object } last
                && last.GetProperty("tick").GetString() is not null,
            "/status shows the last scheduled backup"
        );
        var lastSuccess = status.RootElement.GetProperty("backup").GetProperty("lastSuccess");
        var lastId = lastSuccess.GetProperty("id").GetString()!;
        var manifests = await ListAsync(storage);
        var last = Assert.Single(manifests, m => m.Id == lastId);
        Assert.Equal(last.DataBytes, lastSuccess.GetProperty("bytes").GetInt64());
        var metrics = await agent.MetricsAsync();
        Assert.True(
            metrics.Value("mysql_agent_backup_to_storage_total", ("result", "success")) >= 1
        );
        Assert.Equal(0, metrics.Value("mysql_agent_backup_to_storage_total", ("result", "failed")));
        Assert.True(
            metrics.Value("mysql_agent_backup_last_success_timestamp_seconds")
                >= tick.ToUnixTimeSeconds()
        );
        Assert.True(metrics.Value("mysql_agent_backup_last_bytes") > 0);
        Assert.True(metrics.Value("mysql_agent_backup_last_duration_seconds") > 0);

        // The next tick gets its own backup, and the turns in between (every 2 s) took none again.
        var later = await Eventually.ValueAsync(
            async () =>
                (await ListAsync(storage)).FirstOrDefault(m =>
                    m.Tick is not null && string.CompareOrdinal(m.Tick, first.Tick) > 0
                ),
            manifest => manifest is not null,
            "a backup for the tick after " + first.Tick + " is in the storage",
            TickWait
        );
        Assert.True(BackupSchedule.TryParseTick(later!.Tick, out var next));
        // Usually the very next minute; one that came while the first backup still ran is missed.
        Assert.True(next > tick);
        Assert.Equal(
            (next - tick).TotalMinutes - 1,
            await agent.MetricAsync("mysql_agent_scheduled_backups_missed_total")
        );
        Assert.All(
            (await ListAsync(storage)).Where(m => m.Tick is not null).GroupBy(m => m.Tick),
            g => Assert.Single(g)
        );
    }

    [Fact(Timeout = 300_000)]
    public async Task The_trigger_endpoint_refuses_a_wrong_token_a_bad_tick_and_a_second_backup_at_once()
    {
        var root = Directory.CreateTempSubdirectory("scheduled-trigger-").FullName;
        var storage = new FolderBackupStorage(root);
        await using var agent = await InProcessAgent.StartAsync(
            _fixture.Arguments(
                "file:" + root,
                "--http-port",
                Number(FreePorts.Next()),
                "--backup-port",
                Number(FreePorts.Next()),
                "--bind-address",
                "127.0.0.1"
            ),
            _fixture.Secrets
        );
        const string Tick = "20261207T030000Z";

        using (var none = await TriggerAsync(agent, Tick, null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        }

        using (var wrong = await TriggerAsync(agent, Tick, "not-the-token"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains(
                "wrong backup token",
                await wrong.Content.ReadAsStringAsync(),
                StringComparison.Ordinal
            );
        }

        using (var bad = await TriggerAsync(agent, "tomorrow", _fixture.Secrets.BackupToken))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        using var accepted = await TriggerAsync(agent, Tick, _fixture.Secrets.BackupToken);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var run = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(Tick, run.GetProperty("tick").GetString());
        var id = run.GetProperty("id").GetString()!;

        // The backup takes seconds: a second trigger meanwhile is refused and names the running one.
        using (
            var second = await TriggerAsync(agent, "20261207T040000Z", _fixture.Secrets.BackupToken)
        )
        {
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            var running = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(id, running.GetProperty("id").GetString());
            Assert.Equal(Tick, running.GetProperty("tick").GetString());
        }

        var manifest = await Eventually.ValueAsync(
            async () => (await ListAsync(storage)).FirstOrDefault(m => m.Id == id),
            m => m is not null,
            $"backup {id} is stored",
            TickWait
        );
        Assert.Equal(Tick, manifest!.Tick);

        // The same tick again, once taken: 409 naming the backup that took it, and no second one.
        using (var again = await TriggerAsync(agent, Tick, _fixture.Secrets.BackupToken))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Equal(
                id,
                JsonDocument
                    .Parse(await again.Content.ReadAsStringAsync())
                    .RootElement.GetProperty("id")
                    .GetString()
            );
        }

        Assert.Single(await ListAsync(storage));
        Assert.Equal(
            2,
            await agent.MetricAsync(
                "mysql_agent_backup_rejections_total",
                ("reason", "unauthorized")
            )
        );
    }

    [Fact(Timeout = 300_000)]
    public async Task The_primary_has_a_ready_replica_take_the_tick()
    {
        await using var primary = await Primaries.StartAsync();
        await using var replica = await ManualClone.BootAsync(
            await ManualClone.TakeAsync(primary),
            primary,
            101
        );
        var root = Directory.CreateTempSubdirectory("scheduled-replica-").FullName;
        var storage = new FolderBackupStorage(root);
        string[] target = ["--target", "file:" + root, "--backup-tool", "mariabackup"];
        var replicaArguments = AgentArguments.For(1, replica, primary) with
        {
            Extra = [.. target, "--log-level", "Information"],
        };
        var primaryArguments = AgentArguments.For(0, primary, primary);
        primaryArguments = primaryArguments with
        {
            Extra =
            [
                .. target,
                "--log-level",
                "Information",
                "--backup-schedule",
                "* * * * *",
                "--connect-to",
                $"mysql-1.mysql:{Number(primaryArguments.HttpPort)}:127.0.0.1:{Number(replicaArguments.HttpPort)}",
                "--connect-to",
                $"mysql-1.mysql:{Number(primaryArguments.BackupPort)}:127.0.0.1:{Number(replicaArguments.BackupPort)}",
            ],
        };
        await using var replicaAgent = await InProcessAgent.StartAsync(replicaArguments);
        await using var primaryAgent = await InProcessAgent.StartAsync(primaryArguments);
        await replicaAgent.WaitForReadyzAsync((code, _) => code == HttpStatusCode.OK);

        // A tick before the replica was ready may have been the primary's own; the next is the replica's.
        var fromReplica = await Eventually.ValueAsync(
            async () =>
                (await ListAsync(storage)).FirstOrDefault(m =>
                    m.Tick is not null && m.Pod == "mysql-1"
                ),
            m => m is not null,
            "a scheduled backup taken on the ready replica mysql-1 is in the storage",
            TimeSpan.FromSeconds(200),
            async () => (await primaryAgent.GetTextAsync("/status")).Body
        );
        Assert.Equal(101u, fromReplica!.ServerId);
        Assert.All(
            (await ListAsync(storage)).Where(m => m.Tick is not null).GroupBy(m => m.Tick),
            g => Assert.Single(g)
        );
        Assert.True(
            await replicaAgent.MetricAsync(
                "mysql_agent_backup_to_storage_total",
                ("result", "success")
            ) >= 1
        );
    }

    private static async Task<HttpResponseMessage> TriggerAsync(
        InProcessAgent agent,
        string tick,
        string? token
    )
    {
        using var request = new HttpRequestMessage(
            HttpMethod.Post,
            new Uri(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"http://127.0.0.1:{agent.Options.BackupPort}/backups/scheduled?tick={tick}"
                )
            )
        );
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Http.SendAsync(request);
    }

    private static Task<IReadOnlyList<BackupManifest>> ListAsync(IBackupStorage storage) =>
        BackupCatalog.ListAsync(storage, NullLogger.Instance, default);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
