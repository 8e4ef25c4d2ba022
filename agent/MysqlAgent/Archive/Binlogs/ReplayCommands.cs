using System.Globalization;
using MysqlAgent.Replication.Sql;

namespace MysqlAgent.Archive.Binlogs;

/// <summary>
/// The command lines and statements of a binlog replay, per flavour, rendered from typed values
/// (pure, table-tested). MariaDB: <c>mariadb-binlog --start-position=&lt;GTID position&gt;</c>
/// (exclusive) and <c>--stop-position=&lt;GTID&gt;</c> (inclusive); MySQL: <c>mysqlbinlog
/// --exclude-gtids=&lt;set&gt;</c>. Both decoders read <c>--stop-datetime</c> in the local time
/// zone, so they run with <c>TZ=UTC</c>.
/// </summary>
public static class ReplayCommands
{
    /// <summary>The binlog base name of the manifests' cnf files (<c>log-bin=mysql-bin</c>): the replayed binlog continues it.</summary>
    public const string LogBin = "mysql-bin";

    /// <summary>Marks the client's output line that carries the position reached.</summary>
    public const string ReachedMarker = "mysql-agent-reached";

    public static IReadOnlyDictionary<string, string?> DecoderEnvironment { get; } =
        new Dictionary<string, string?> { ["TZ"] = "UTC" };

    /// <summary>The replay server: no network, no grant checks, binary logging on, as the backup's server.</summary>
    public static IReadOnlyList<string> ServerArguments(
        string flavour,
        string dataDir,
        string socket,
        string pidFile,
        uint serverId,
        bool runningAsRoot
    )
    {
        List<string> arguments =
        [
            "--no-defaults",
            $"--datadir={dataDir}",
            $"--socket={socket}",
            $"--pid-file={pidFile}",
            "--skip-networking",
            "--skip-grant-tables",
            $"--log-bin={LogBin}",
            string.Create(CultureInfo.InvariantCulture, $"--server-id={serverId}"),
            "--max-allowed-packet=1G",
        ];
        if (flavour == BinlogCoverage.MysqlFlavour)
        {
            arguments.Add("--gtid-mode=ON");
            arguments.Add("--enforce-gtid-consistency=ON");
        }

        if (runningAsRoot)
        {
            arguments.Add("--user=root");
        }

        return arguments;
    }

    /// <summary>Run before the replay so the replayed GTIDs continue the backup's history.</summary>
    public static IReadOnlyList<string> Prelude(BinlogCoverage backupPosition)
    {
        ArgumentNullException.ThrowIfNull(backupPosition);
        var position = SqlLiteral.Quote(backupPosition.Text);
        return backupPosition.Flavour == BinlogCoverage.MariaDbFlavour
            ? ["RESET MASTER", $"SET GLOBAL gtid_binlog_state = {position}"]
            : ["RESET BINARY LOGS AND GTIDS", $"SET GLOBAL gtid_purged = {position}"];
    }

    /// <summary>
    /// The decoder for one file, starting after <paramref name="from"/>; <paramref name="last"/>
    /// says whether a GTID target stops in this file.
    /// </summary>
    public static IReadOnlyList<string> DecoderArguments(
        string flavour,
        string file,
        BinlogCoverage from,
        RestoreTarget target,
        bool last
    )
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(target);
        var mariaDb = flavour == BinlogCoverage.MariaDbFlavour;
        List<string> arguments = ["--no-defaults"];
        if (!from.IsEmpty)
        {
            arguments.Add(
                mariaDb ? $"--start-position={from.Text}" : $"--exclude-gtids={from.Text}"
            );
        }

        switch (target)
        {
            case RestoreTarget.ToTime t:
                arguments.Add($"--stop-datetime={StopDatetime(t.Time)}");
                break;
            // --to-gtid is refused for MySQL before any replay (RestoreBackupChoice).
            case RestoreTarget.ToGtid g when last && mariaDb:
                arguments.Add($"--stop-position={g.Gtid.Text}");
                break;
        }

        arguments.Add(file);
        return arguments;
    }

    /// <summary>
    /// The decoders stop before the first event at or after the stop time, and binlog timestamps
    /// have whole seconds: the second after T (in UTC) keeps every event at or before T.
    /// </summary>
    public static string StopDatetime(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var second = new DateTime(
            utc.Year,
            utc.Month,
            utc.Day,
            utc.Hour,
            utc.Minute,
            utc.Second,
            DateTimeKind.Utc
        );
        return second.AddSeconds(1).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    }

    /// <summary>The client that applies the decoded stream in one session (it stops at the first error).</summary>
    public static IReadOnlyList<string> ClientArguments(string socket) =>
        [
            "--no-defaults",
            $"--socket={socket}",
            "--user=root",
            "--batch",
            "--skip-column-names",
            "--binary-mode",
            "--max-allowed-packet=1G",
        ];

    /// <summary>
    /// First in the client's session: grant checks on again (so CREATE USER and GRANT replay under
    /// --skip-grant-tables) while this session keeps every privilege.
    /// </summary>
    public const string SessionStart = "FLUSH PRIVILEGES;\n";

    /// <summary>Last in the client's session: the binlog file and position, then the marked GTID position reached.</summary>
    public static string SessionEnd(string flavour) =>
        flavour == BinlogCoverage.MariaDbFlavour
            ? $"\nSHOW MASTER STATUS;\nSELECT '{ReachedMarker}', @@GLOBAL.gtid_binlog_pos;\n"
            : $"\nSHOW BINARY LOG STATUS;\nSELECT '{ReachedMarker}', REPLACE(@@GLOBAL.gtid_executed, '\\n', '');\n";
}
