using System.Globalization;
using System.Text.Json;

namespace MysqlAgent.EndToEndTests.Harness;

/// <summary>What a local set's binlog archive folder (<c>&lt;state&gt;/backups/binlogs</c>) holds, read from its manifests.</summary>
public static class ArchivedBinlogs
{
    public static string Folder(LocalSet set) => Path.Combine(set.StateDir, "backups", "binlogs");

    /// <summary>Whether an archived binlog reaches <paramref name="position"/>: the set writes in domain 0 only, so the sequence decides.</summary>
    public static bool Reach(LocalSet set, string position) =>
        Ends(set).Any(end => Sequence(end) >= Sequence(position));

    /// <summary>The end position of every archived binlog.</summary>
    public static List<string> Ends(LocalSet set) =>
        Directory.Exists(Folder(set))
            ? Directory
                .EnumerateFiles(Folder(set), "manifest.json", SearchOption.AllDirectories)
                .Select(f =>
                    JsonDocument
                        .Parse(File.ReadAllText(f))
                        .RootElement.GetProperty("endGtid")
                        .GetString()
                    ?? ""
                )
                .ToList()
            : [];

    private static long Sequence(string position) =>
        position.Length == 0
            ? 0
            : long.Parse(position.Split('-')[^1], CultureInfo.InvariantCulture);
}
