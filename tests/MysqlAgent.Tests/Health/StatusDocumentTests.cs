using System.Text.Json;
using MysqlAgent.Health;
using MysqlAgent.Replication.Setup;

namespace MysqlAgent.Tests.Health;

public sealed class StatusDocumentTests
{
    private static readonly DateTimeOffset At = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static JsonElement Serialize(StatusDocument document) =>
        JsonDocument
            .Parse(JsonSerializer.Serialize(document, StatusJsonContext.Default.StatusDocument))
            .RootElement;

    [Fact]
    public void Status_json_has_exactly_the_documented_camel_case_fields()
    {
        var node = new NodeSnapshot
        {
            CheckedAt = At,
            MysqldUp = true,
            Flavor = "mariadb",
            Version = "10.11.19",
            ServerId = 101,
            ReadOnly = true,
            GtidCurrentPos = "0-100-42",
            BinlogFile = "mysql-bin.000003",
            BinlogPosition = 1234,
            Replica = new ReplicaSnapshot("mysql-0.mysql", 3306, "Yes", "Yes", 2, 0, "", 0, ""),
            HeartbeatAt = At.AddSeconds(-2.25),
        };
        var setup = new ReplicationSetupSnapshot(ReplicationSetupState.Done, "", At);
        var json = Serialize(
            StatusDocument.From(
                node,
                setup,
                ReadinessVerdict.Yes("replica, IO and SQL threads running, lag 2 s"),
                "mysql-1",
                HealthRoles.Replica,
                backupsInProgress: 1
            )
        );

        Assert.Equal(
            [
                "backupsInProgress",
                "binlogFile",
                "binlogPosition",
                "checkedAt",
                "flavor",
                "gtid",
                "ioThreadRunning",
                "lagSeconds",
                "lastError",
                "lastErrorNumber",
                "mysqldUp",
                "podName",
                "readOnly",
                "ready",
                "readyReason",
                "replicationSetup",
                "role",
                "serverId",
                "sourceUnreachableSeconds",
                "sqlThreadRunning",
                "stalenessSeconds",
                "version",
            ],
            json.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)
        );
        Assert.Equal("mysql-1", json.GetProperty("podName").GetString());
        Assert.Equal("replica", json.GetProperty("role").GetString());
        Assert.True(json.GetProperty("ready").GetBoolean());
        Assert.Equal(2, json.GetProperty("lagSeconds").GetInt64());
        Assert.Equal(101u, json.GetProperty("serverId").GetUInt32());
        Assert.Equal("0-100-42", json.GetProperty("gtid").GetString());
        Assert.Equal(1234, json.GetProperty("binlogPosition").GetInt64());
        Assert.True(json.GetProperty("readOnly").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("lastError").ValueKind);
        Assert.Equal(1, json.GetProperty("backupsInProgress").GetInt32());
        Assert.Equal(At, json.GetProperty("checkedAt").GetDateTimeOffset());
        Assert.Equal(2.25, json.GetProperty("stalenessSeconds").GetDouble());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("sourceUnreachableSeconds").ValueKind);
        var replication = json.GetProperty("replicationSetup");
        Assert.Equal(
            ["reason", "since", "state"],
            replication.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)
        );
        Assert.Equal("done", replication.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, replication.GetProperty("reason").ValueKind);
    }

    [Fact]
    public void A_down_mysqld_gives_nulls_for_what_is_unknown_not_zeros()
    {
        var json = Serialize(
            StatusDocument.From(
                NodeSnapshot.Down(At, "Connection refused"),
                new ReplicationSetupSnapshot(
                    ReplicationSetupState.FailedPermanently,
                    "no info file",
                    At
                ),
                ReadinessVerdict.No("mysqld does not answer at 127.0.0.1:3306"),
                "mysql-2",
                HealthRoles.Replica,
                backupsInProgress: 0
            )
        );

        Assert.False(json.GetProperty("ready").GetBoolean());
        Assert.False(json.GetProperty("mysqldUp").GetBoolean());
        foreach (
            var name in new[]
            {
                "lagSeconds",
                "gtid",
                "serverId",
                "version",
                "readOnly",
                "stalenessSeconds",
                "sourceUnreachableSeconds",
            }
        )
        {
            Assert.Equal(JsonValueKind.Null, json.GetProperty(name).ValueKind);
        }

        Assert.Equal(
            "failed",
            json.GetProperty("replicationSetup").GetProperty("state").GetString()
        );
        Assert.Equal(
            "no info file",
            json.GetProperty("replicationSetup").GetProperty("reason").GetString()
        );
    }
}
