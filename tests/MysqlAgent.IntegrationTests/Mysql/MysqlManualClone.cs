using System.Globalization;
using System.Text;

namespace MysqlAgent.IntegrationTests.Mysql;

/// <summary>
/// A clone made without XtraBackup (Debian has none): the replica gets the primary's table and rows
/// with sql_log_bin=0 and the info file the backup tool would write at that point, so replication
/// must start exactly there.
/// </summary>
internal static class MysqlManualClone
{
    /// <summary>What the clone's info file says: the primary's binary log position and GTID set when it was made.</summary>
    public sealed record Position(string File, string Offset, string GtidSet);

    private const string TableDefinition =
        "(id INT PRIMARY KEY, payload VARCHAR(64) NOT NULL) ENGINE=InnoDB";

    /// <summary>
    /// Makes <c>database.t</c> with rows 1 to <paramref name="rows"/> on the primary, copies it to the
    /// replica without binary logging, and writes <c>xtrabackup_binlog_info</c> into <paramref name="dataDir"/>.
    /// </summary>
    public static async Task<Position> CopyAsync(
        MysqlServer primary,
        MysqlServer replica,
        string database,
        int rows,
        string dataDir
    )
    {
        var table = Table(database);
        await primary.ExecuteAsync($"CREATE DATABASE {database}");
        await primary.ExecuteAsync($"CREATE TABLE {table} {TableDefinition}");
        await InsertAsync(primary, table, 1, rows);
        var status = (await primary.RowsAsync("SHOW BINARY LOG STATUS")).Single();
        var position = new Position(
            status["File"],
            status["Position"],
            status["Executed_Gtid_Set"]
        );
        await replica.ExecuteAsync(
            $"SET SESSION sql_log_bin = 0; CREATE DATABASE {database}; CREATE TABLE {table} {TableDefinition}; "
                + $"INSERT INTO {table} VALUES {Values(1, rows)}"
        );
        await File.WriteAllTextAsync(
            Path.Combine(dataDir, "xtrabackup_binlog_info"),
            $"{position.File}\t{position.Offset}\t{position.GtidSet}\n"
        );
        return position;
    }

    /// <summary>The clone's table in <paramref name="database"/>.</summary>
    public static string Table(string database) => $"{database}.t";

    /// <summary>Rows <paramref name="first"/> to <paramref name="last"/>, in one statement (one transaction, one GTID).</summary>
    public static Task InsertAsync(MysqlServer server, string table, int first, int last) =>
        server.ExecuteAsync($"INSERT INTO {table} VALUES {Values(first, last)}");

    private static string Values(int first, int last)
    {
        var values = new StringBuilder();
        for (var id = first; id <= last; id++)
        {
            values
                .Append(values.Length == 0 ? "" : ", ")
                .Append(CultureInfo.InvariantCulture, $"({id}, 'row {id}')");
        }

        return values.ToString();
    }
}
