using MysqlAgent.Archive;
using MysqlAgent.Archive.Binlogs;

namespace MysqlAgent.Tests.Archive;

/// <summary>Manifests for the plan tests: only the id, the times and the GTID positions vary; the rest is a plausible MariaDB archive's.</summary>
internal static class TestManifests
{
    public static BackupManifest Backup(string id, DateTimeOffset finished, string? gtid) =>
        new()
        {
            Id = id,
            DataKey = $"backups/{id}/data.stream",
            Pod = "mysql-1",
            ServerId = 101,
            ServerVersion = "10.11.19-MariaDB",
            Flavour = "mariadb",
            BackupTool = "mariabackup",
            Compression = "zstd",
            StartedAt = finished.AddMinutes(-5),
            FinishedAt = finished,
            DataBytes = 1,
            DataXxh128 = "00",
            PayloadBytes = 1,
            GtidBefore = gtid,
            GtidAfter = gtid,
        };

    public static BinlogManifest Binlog(
        string id,
        string pod,
        string file,
        string start,
        string end,
        DateTimeOffset first,
        DateTimeOffset last
    ) =>
        new()
        {
            Id = id,
            DataKey = $"binlogs/{id}/{file}",
            File = file,
            Pod = pod,
            ServerId = 100,
            ServerVersion = "10.11.19-MariaDB",
            Flavour = "mariadb",
            StartGtid = start,
            EndGtid = end,
            FirstEventAt = first,
            LastEventAt = last,
            Bytes = 1000,
            Xxh128 = "00",
            ArchivedAt = last,
        };
}
