using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MysqlAgent.TestSupport;

namespace MysqlBench;

/// <summary>
/// The donor's backups to a folder and to S3 (moto_server), timed in turns with the agent's own
/// clone of the same datadir, then one <c>restore --latest</c> from the folder that must replay a
/// known write load archived after the newest backup: the restored datadir is booted and its rows
/// counted, so a restore that yields nothing usable fails the section.
/// </summary>
internal sealed partial class BackupBench(
    BenchOptions options,
    Workspace work,
    Agents agents,
    MariaDbServer donor,
    CloneThroughput clone,
    long donorDataDirBytes,
    TextWriter log
)
{
    public const string FolderIncludes =
        "mysql-agent backup --target file:DIR: mariabackup --backup --stream, framed, zstd, XXH128, written into the folder, manifest last; process start to exit 0";

    public const string S3Includes =
        "mysql-agent backup --target s3://bucket/prefix on moto_server (127.0.0.1, path style, multipart upload): the same stream as the folder's; process start to exit 0";

    public const string RestoreIncludes =
        "mysql-agent restore --latest --from file:DIR into an empty datadir: download+extract+verify (manifests listed, object read, mbstream -x, end frame, size and XXH128 checked) until mariabackup --prepare starts; prepare (that process); binlog replay (install, a socket-only mariadbd replaying every binlog archived after the backup, its shutdown) until exit 0";

    /// <summary>Rows committed after the newest backup, for the restore to replay.</summary>
    public const int LoadTransactions = 200;
    public const int LoadRowsPerTransaction = 25;

    private readonly string _adminPasswordFile = work.PasswordFile(donor.RootPassword);

    public async Task<BackupFigures> RunAsync(CancellationToken ct)
    {
        await using var moto = await MotoServer.StartAsync(ct).ConfigureAwait(false);
        var bucket = "bench-backups";
        using (var http = new HttpClient())
        {
            // moto_server takes unsigned requests: a plain PUT makes the bucket.
            using var response = await http.PutAsync(new Uri($"{moto.Endpoint}/{bucket}"), null, ct)
                .ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        }

        var keyId = Processes.WritePrivateFile(work.NewPath("s3-key-id"), MotoServer.AccessKeyId);
        var secret = Processes.WritePrivateFile(
            work.NewPath("s3-secret"),
            MotoServer.SecretAccessKey
        );
        string[] s3Options =
        [
            "--s3-endpoint",
            moto.Endpoint,
            "--s3-region",
            MotoServer.Region,
            "--s3-path-style",
            "--s3-access-key-id-file",
            keyId,
            "--s3-secret-access-key-file",
            secret,
        ];
        var s3Target = $"s3://{bucket}/bench";

        var cloneSeconds = new List<double>();
        var folderSeconds = new List<double>();
        var s3Seconds = new List<double>();
        long cloneBytes = 0,
            folderBytes = 0,
            s3Bytes = 0;
        string? folder = null;
        for (var round = 0; round <= options.CloneRuns; round++)
        {
            var label = round == 0 ? "warm-up" : $"run {round}";

            var target = work.NewPath("clone");
            Directory.CreateDirectory(target);
            try
            {
                var s = await clone.AgentDefaultCloneAsync(target, ct).ConfigureAwait(false);
                cloneBytes = Stats.DirectoryBytes(target);
                Report($"clone, {Goals.DefaultCompression}", label, s, null);
                if (round > 0)
                {
                    cloneSeconds.Add(s);
                }
            }
            finally
            {
                Workspace.DeleteDirectory(target);
            }

            // Each folder backup into a fresh folder; the last one stays for the restore.
            if (folder is not null)
            {
                Workspace.DeleteDirectory(folder);
            }

            folder = work.NewPath("backups");
            Directory.CreateDirectory(folder);
            var (fs, fb) = await BackupAsync($"file:{folder}", [], ct).ConfigureAwait(false);
            folderBytes = fb;
            Report("backup, folder", label, fs, fb);

            // moto keeps objects in memory: keep one backup there at a time.
            await PruneAsync(s3Target, s3Options, ct).ConfigureAwait(false);
            var (ss, sb) = await BackupAsync(s3Target, s3Options, ct).ConfigureAwait(false);
            s3Bytes = sb;
            Report("backup, S3 (moto)", label, ss, sb);
            if (round > 0)
            {
                folderSeconds.Add(fs);
                s3Seconds.Add(ss);
            }
        }

        var cloneMedian = Stats.Median(cloneSeconds);
        var cloneResult = new CloneMethodResult(
            $"mysql-agent, {Goals.DefaultCompression}",
            CloneThroughput.AgentIncludes
                + $"; --stream-compression {Goals.DefaultCompression}; in turns with the backups",
            cloneSeconds,
            cloneMedian,
            donorDataDirBytes / 1e6 / cloneMedian,
            cloneBytes
        );
        var backups = new List<BackupTargetResult>
        {
            Result("folder", FolderIncludes, folderSeconds, folderBytes),
            Result("s3 (moto_server)", S3Includes, s3Seconds, s3Bytes),
        };

        var restore = await RestoreAsync(folder!, ct).ConfigureAwait(false);
        return new BackupFigures("loopback", cloneResult, backups, restore);
    }

    /// <summary>The agent's arguments every storage command shares: the local server and its credentials.</summary>
    private List<string> LocalServerArguments() =>
        [
            "--hostname",
            "mysql-0",
            "--data-dir",
            donor.DataDir,
            "--mysql-host",
            MariaDbServer.Host,
            "--mysql-port",
            Processes.Number(donor.Port),
            "--admin-password-file",
            _adminPasswordFile,
            "--backup-user",
            "root",
            "--backup-password-file",
            _adminPasswordFile,
            "--backup-tool",
            "mariabackup",
        ];

    private async Task<(double Seconds, long StoredBytes)> BackupAsync(
        string target,
        IReadOnlyList<string> extra,
        CancellationToken ct
    )
    {
        var run = await Processes
            .RunAsync(
                options.AgentPath,
                [
                    "backup",
                    .. LocalServerArguments(),
                    "--target",
                    target,
                    "--log-level",
                    "Information",
                    .. extra,
                ],
                ct
            )
            .ConfigureAwait(false);
        var stored = StoredLine().Match(run.Output);
        if (!stored.Success)
        {
            throw new BenchException(
                $"mysql-agent backup to {target} exited 0 without its 'stored' line (event 6001):\n{run.Output}"
            );
        }

        return (
            run.Elapsed.TotalSeconds,
            long.Parse(stored.Groups[1].Value, CultureInfo.InvariantCulture)
        );
    }

    private async Task PruneAsync(string target, IReadOnlyList<string> extra, CancellationToken ct)
    {
        var run = await Processes
            .RunAsync(
                options.AgentPath,
                [
                    "prune",
                    "--hostname",
                    "mysql-0",
                    "--target",
                    target,
                    "--keep-backups",
                    "1",
                    "--keep-days",
                    "0",
                    "--log-level",
                    "Warning",
                    .. extra,
                ],
                ct,
                check: false
            )
            .ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            await log.WriteLineAsync(
                    $"  (prune of {target} exited {run.ExitCode}; older backups stay in moto's memory: {run.Output.Split('\n')[^1]})"
                )
                .ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A known write load after the newest backup, archived by a short-lived <c>serve --target</c>
    /// until the archive covers the donor's binlog position; then <c>restore --latest</c>, timed in
    /// its parts, and the restored datadir booted and its rows counted.
    /// </summary>
    private async Task<RestoreResult> RestoreAsync(string folder, CancellationToken ct)
    {
        await donor
            .ExecuteAsync(
                "DROP TABLE IF EXISTS bench.restore_load; CREATE TABLE bench.restore_load (id INT PRIMARY KEY AUTO_INCREMENT, pad CHAR(100) NOT NULL) ENGINE=InnoDB",
                ct
            )
            .ConfigureAwait(false);
        var loadClock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < LoadTransactions; i++)
        {
            await donor
                .ExecuteAsync(
                    $"INSERT INTO bench.restore_load (pad) SELECT MD5(seq) FROM bench.seq_1_to_{Processes.Number(LoadRowsPerTransaction)}",
                    ct
                )
                .ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct).ConfigureAwait(false);
        }

        const long Rows = (long)LoadTransactions * LoadRowsPerTransaction;
        var position =
            await donor.ScalarAsync<string>("SELECT @@gtid_binlog_pos", ct).ConfigureAwait(false)
            ?? "";
        await log.WriteLineAsync(
                $"  after the backup: {Rows} rows in {LoadTransactions} transactions over {loadClock.Elapsed.TotalSeconds:F1} s; donor at {position}"
            )
            .ConfigureAwait(false);

        var (archiver, _, _) = agents.Serve(
            0,
            donor.Port,
            donor.DataDir,
            donor.RootPassword,
            donor.Port,
            extraArguments: ["--target", $"file:{folder}", "--binlog-archive-interval", "1"]
        );
        await using (archiver)
        {
            var archiveClock = System.Diagnostics.Stopwatch.StartNew();
            while (!ArchiveCovers(folder, position))
            {
                if (archiver.HasExited)
                {
                    throw new BenchException(
                        $"the archiving agent exited before the archive reached {position}:\n{archiver.Output}"
                    );
                }

                if (archiveClock.Elapsed > TimeSpan.FromSeconds(120))
                {
                    throw new BenchException(
                        $"the archive in {folder} did not reach {position} in 120 s:\n{archiver.Output}"
                    );
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), ct).ConfigureAwait(false);
            }

            await log.WriteLineAsync(
                    $"  archived up to {position} by serve --target --binlog-archive-interval 1 in {archiveClock.Elapsed.TotalSeconds:F1} s"
                )
                .ConfigureAwait(false);
        }

        // The preparer behind a wrapper that writes down when it starts and ends: the agent logs no
        // event between extraction and prepare.
        var marks = work.NewPath("prepare-marks");
        var wrapper = work.NewPath("mariabackup-timed");
        await File.WriteAllTextAsync(
                wrapper,
                $"#!/bin/sh\necho start $(date +%s.%N) >> {Processes.Quote(marks)}\n{Processes.Quote(ServerBinaries.Default.Backup)} \"$@\"\nrc=$?\necho end $(date +%s.%N) >> {Processes.Quote(marks)}\nexit $rc\n",
                ct
            )
            .ConfigureAwait(false);
        File.SetUnixFileMode(
            wrapper,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        );

        var restored = work.NewPath("restored");
        Directory.CreateDirectory(restored);
        var startedAt = UnixSeconds();
        var run = await Processes
            .RunAsync(
                options.AgentPath,
                [
                    "restore",
                    "--hostname",
                    "mysql-0",
                    "--from",
                    $"file:{folder}",
                    "--latest",
                    "--data-dir",
                    restored,
                    "--backup-tool-path",
                    wrapper,
                    "--mysqld-path",
                    ServerBinaries.Default.Server,
                    "--log-level",
                    "Information",
                ],
                ct
            )
            .ConfigureAwait(false);
        var endedAt = UnixSeconds();
        var (prepareStart, prepareEnd) = PrepareMarks(marks);
        var replayed = ReplayedLine().Match(run.Output);
        if (!replayed.Success)
        {
            throw new BenchException(
                $"restore --latest exited 0 without its 'done' line (event 6012): no binlog was replayed:\n{run.Output}"
            );
        }

        var binlogs = int.Parse(replayed.Groups[1].Value, CultureInfo.InvariantCulture);
        var rows = await CountRestoredRowsAsync(restored, ct).ConfigureAwait(false);
        if (binlogs == 0 || rows != Rows)
        {
            throw new BenchException(
                $"restore --latest replayed {binlogs} binlogs and the restored server holds {rows} of the {Rows} rows committed after the backup"
            );
        }

        var result = new RestoreResult(
            RestoreIncludes,
            endedAt - startedAt,
            prepareStart - startedAt,
            prepareEnd - prepareStart,
            endedAt - prepareEnd,
            binlogs,
            rows
        );
        await log.WriteLineAsync(
                $"  restore --latest: {result.TotalSeconds:F2} s = download+extract+verify {result.DownloadExtractVerifySeconds:F2} s + prepare {result.PrepareSeconds:F2} s + binlog replay {result.BinlogReplaySeconds:F2} s ({binlogs} binlogs); the restored server boots and holds all {rows} rows"
            )
            .ConfigureAwait(false);
        Workspace.DeleteDirectory(restored);
        return result;
    }

    private async Task<long> CountRestoredRowsAsync(string dataDir, CancellationToken ct)
    {
        await using var server = await MariaDbServer
            .StartAsync(
                new MariaDbServerOptions
                {
                    ServerId = 300,
                    DataDir = dataDir,
                    RootPassword = donor.RootPassword,
                },
                ct
            )
            .ConfigureAwait(false);
        return await server
            .ScalarAsync<long>("SELECT COUNT(*) FROM bench.restore_load", ct)
            .ConfigureAwait(false);
    }

    /// <summary>Whether some archived binlog's manifest ends at or beyond <paramref name="position"/> in every domain.</summary>
    private static bool ArchiveCovers(string folder, string position)
    {
        var binlogs = Path.Combine(folder, "binlogs");
        if (!Directory.Exists(binlogs))
        {
            return false;
        }

        var reached = new Dictionary<long, long>();
        foreach (
            var manifest in Directory.EnumerateFiles(
                binlogs,
                "manifest.json",
                SearchOption.AllDirectories
            )
        )
        {
            try
            {
                using var json = JsonDocument.Parse(File.ReadAllText(manifest));
                if (json.RootElement.TryGetProperty("endGtid", out var end))
                {
                    foreach (var (domain, sequence) in Gtids(end.GetString() ?? ""))
                    {
                        reached[domain] = Math.Max(reached.GetValueOrDefault(domain, -1), sequence);
                    }
                }
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                // Being written: the next look reads it.
            }
        }

        return Gtids(position).All(g => reached.GetValueOrDefault(g.Domain, -1) >= g.Sequence);
    }

    /// <summary>MariaDB's domain-server-sequence list as (domain, sequence) pairs.</summary>
    public static IEnumerable<(long Domain, long Sequence)> Gtids(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(g => g.Split('-'))
            .Where(p => p.Length == 3)
            .Select(p =>
                (
                    long.Parse(p[0], CultureInfo.InvariantCulture),
                    long.Parse(p[2], CultureInfo.InvariantCulture)
                )
            );

    /// <summary>The longest run of the wrapped backup tool (the prepare; any short call besides it is not).</summary>
    private static (double Start, double End) PrepareMarks(string marks)
    {
        var lines = File.Exists(marks) ? File.ReadAllLines(marks) : [];
        double[] Marks(string kind) =>
            lines
                .Where(l => l.StartsWith(kind + " ", StringComparison.Ordinal))
                .Select(l => double.Parse(l[(kind.Length + 1)..], CultureInfo.InvariantCulture))
                .ToArray();

        var (starts, ends) = (Marks("start"), Marks("end"));
        return starts.Length == 0 || starts.Length != ends.Length
            ? throw new BenchException(
                $"the restore ran mariabackup through the timing wrapper {starts.Length} times with {ends.Length} ends (in {marks}): no prepare to time"
            )
            : starts.Zip(ends).MaxBy(p => p.Second - p.First);
    }

    private static double UnixSeconds() =>
        TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    private BackupTargetResult Result(
        string target,
        string includes,
        List<double> seconds,
        long stored
    )
    {
        var median = Stats.Median(seconds);
        return new BackupTargetResult(
            target,
            includes,
            seconds,
            median,
            donorDataDirBytes / 1e6 / median,
            stored
        );
    }

    private void Report(string method, string label, double seconds, long? stored) =>
        log.WriteLine(
            $"  {method, -20} {label, -8} {seconds, 6:F2} s  {donorDataDirBytes / 1e6 / seconds, 6:F0} MB/s{(stored is { } b ? $"  stored {b / 1e6:F0} MB" : "")}"
        );

    [GeneratedRegex(@"stored in .*?: (\d+) bytes")]
    private static partial Regex StoredLine();

    [GeneratedRegex(@"done: (\d+) binlogs replayed")]
    private static partial Regex ReplayedLine();
}
