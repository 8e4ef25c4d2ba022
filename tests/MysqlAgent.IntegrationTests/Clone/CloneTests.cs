using System.Globalization;
using System.Security.Cryptography;
using MysqlAgent.Clone;
using MysqlAgent.Configuration;
using MysqlAgent.IntegrationTests.Hosting;
using MysqlAgent.TestSupport;
using Xunit.Abstractions;

namespace MysqlAgent.IntegrationTests.Clone;

/// <summary><c>mysql-agent clone</c> against a real donor agent, mariabackup, mbstream and mariadbd.</summary>
[Trait("Category", "Slow")]
public sealed class CloneTests : IClassFixture<DonorFixture>, IDisposable
{
    // Deadlines far above a quiet run's (a cut-and-retried clone takes about 20 s there): on a
    // machine loaded to 40, the 10 attempts of the cut test took over 90 s, and these tests are
    // about what is installed, not how fast.
    private const int Generous = 900_000;

    private static readonly CloneRetryPolicy Quick = new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(50),
        MaxDelay = TimeSpan.FromMilliseconds(400),
        StatusTimeout = TimeSpan.FromSeconds(1),
    };

    private readonly DonorFixture _donor;
    private readonly ITestOutputHelper _output;
    private readonly string _root = Path.Combine(
        Path.GetTempPath(),
        "clone-it-" + Guid.NewGuid().ToString("N")[..8]
    );

    public CloneTests(DonorFixture donor, ITestOutputHelper output)
    {
        _donor = donor;
        _output = output;
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string NewDataDir(string name) => Path.Combine(_root, name);

    private static AgentOptions Options(
        string dataDir,
        int donorPort,
        int ordinal = 1,
        string token = DonorFixture.Token,
        int deadlineSeconds = 600,
        string? compression = null
    ) =>
        InProcessAgent.ReadCommandLine(
            [
                .. (compression is null ? [] : new[] { "--stream-compression", compression }),
                "--hostname",
                $"mysql-{ordinal}",
                "--data-dir",
                dataDir,
                "--clone-deadline-seconds",
                deadlineSeconds.ToString(CultureInfo.InvariantCulture),
                "--connect-to",
                $"mysql-0.mysql:3307:127.0.0.1:{donorPort}",
            ],
            new AgentSecrets(BackupToken: token)
        );

    private async Task<CloneOutcome> CloneAsync(
        AgentOptions options,
        RecordingLogger? logger = null,
        Metrics.AgentMetrics? metrics = null,
        CancellationToken ct = default
    )
    {
        using var http = DonorClient.CreateHttpClient();
        var job = new CloneJob(
            options,
            logger ?? new RecordingLogger(_output),
            TimeProvider.System,
            http,
            Quick,
            metrics: metrics
        );
        return await job.RunAsync(ct);
    }

    /// <summary>What mysqld would boot: a system schema only with the completion marker beside it.</summary>
    private static void AssertNeverBootable(string dataDir)
    {
        if (Directory.Exists(Path.Combine(dataDir, "mysql")))
        {
            Assert.True(
                File.Exists(CloneMarker.CompletePath(dataDir)),
                $"{dataDir} has mysql/ without the completion marker"
            );
        }
    }

    /// <summary>
    /// Nothing bootable at any event; and after a failed attempt, the next one waits until the donor
    /// has torn down the stream just cut. Otherwise, on a loaded machine, a retry meets a 429 and the
    /// proxy spends a queued cut on that short answer instead of on a stream.
    /// </summary>
    private void AfterEachEvent(Microsoft.Extensions.Logging.EventId id, string dataDir)
    {
        AssertNeverBootable(dataDir);
        if (id.Id == 1003)
        {
            _donor.WaitUntilIdleAsync().GetAwaiter().GetResult();
        }
    }

    private Task AssertBootsLikeTheDonorAsync(string dataDir, int serverId) =>
        DonorFixture.AssertBootsWithChecksumsAsync(
            dataDir,
            serverId,
            _donor.Server,
            _donor.Checksums
        );

    private static string Fingerprint(string dir)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (
            var file in Directory
                .EnumerateFiles(dir, "*", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal)
        )
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(dir, file)));
            sha.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    [Fact(Timeout = Generous)]
    public async Task A_clone_from_the_primary_boots_with_the_same_table_checksums()
    {
        var dataDir = NewDataDir("clone");
        var logger = new RecordingLogger(_output);

        var outcome = await CloneAsync(Options(dataDir, _donor.BackupPort), logger);

        Assert.Equal(CloneOutcome.Cloned, outcome);
        Assert.Equal(DataDirKind.CompleteClone, DataDirState.Inspect(dataDir).Kind);
        Assert.True(
            File.Exists(Path.Combine(dataDir, "xtrabackup_binlog_info")),
            "replication setup needs the binlog info"
        );
        Assert.False(Directory.Exists(CloneMarker.StagingPath(dataDir)));
        Assert.False(File.Exists(CloneMarker.InProgressPath(dataDir)));
        var completion = CloneMarker.ReadComplete(dataDir);
        Assert.NotNull(completion);
        Assert.Equal("mysql-0.mysql:3307", completion.Donor);
        Assert.True(completion.Bytes > 4_000_000, $"{completion.Bytes} bytes");
        Assert.Contains(
            logger.Lines,
            l => l.Id.Id == 1005 && l.Message.Contains("MB/s", StringComparison.Ordinal)
        );

        await AssertBootsLikeTheDonorAsync(dataDir, 101);
    }

    [Fact(Timeout = Generous)]
    public async Task A_stream_cut_anywhere_even_in_its_last_bytes_is_retried_and_never_installed()
    {
        await using var proxy = FaultInjectingProxy.Start(_donor.BackupPort);
        // From the head to the very last byte: --prepare succeeds on a stream missing only its last
        // ~600 bytes, and a missing end frame or chunk terminator must fail as surely.
        long[] offsets = [300, 5_000, 20_000_000];
        int[] tails = [2_000, 600, 100, 20, 5, 1];
        proxy.CutNextConnectionsAfter(offsets);
        proxy.CutNextConnectionsBeforeTheEnd(tails);
        await _donor.WaitUntilIdleAsync();

        var dataDir = NewDataDir("cut");
        var logger = new RecordingLogger(_output, id => AssertNeverBootable(dataDir));
        // Uncompressed, so the offsets fall where they always did (the compressed case is below).
        var outcome = await CloneAsync(Options(dataDir, proxy.Port, compression: "none"), logger);

        Assert.Equal(CloneOutcome.Cloned, outcome);
        // Every cut is one failed attempt. A retry can also meet a 429 while the donor still tears
        // down the stream that was just cut (its limit is one backup): that is not a cut.
        var cutFailures = logger.Lines.Count(l =>
            l.Id.Id == 1003 && !l.Message.Contains("is busy", StringComparison.Ordinal)
        );
        Assert.Equal(offsets.Length + tails.Length, cutFailures);
        Assert.Equal(offsets.Length + tails.Length, proxy.CutCount);
        Assert.Equal(DataDirKind.CompleteClone, DataDirState.Inspect(dataDir).Kind);
        await AssertBootsLikeTheDonorAsync(dataDir, 102);
    }

    [Theory(Timeout = Generous)]
    [InlineData("none")]
    [InlineData("lz4")]
    [InlineData("zstd:3")]
    public async Task A_clone_asking_for_a_compression_gets_it_and_boots_with_the_same_table_checksums(
        string compression
    )
    {
        var dataDir = NewDataDir("compressed-" + compression.Replace(':', '-'));
        var logger = new RecordingLogger(_output);
        var metrics = new Metrics.AgentMetrics(Prometheus.Metrics.NewCustomRegistry());

        var outcome = await CloneAsync(
            Options(dataDir, _donor.BackupPort, compression: compression),
            logger,
            metrics: metrics
        );

        Assert.Equal(CloneOutcome.Cloned, outcome);
        // The donor announces what it sends, and the datadir size for the estimate.
        Assert.Contains(
            logger.Lines,
            l =>
                l.Id.Id == 1052
                && l.Message.Contains($"compression {compression}", StringComparison.Ordinal)
                && !l.Message.Contains("size unknown", StringComparison.Ordinal)
        );
        var completion = CloneMarker.ReadComplete(dataDir);
        Assert.NotNull(completion);
        // Count and checksum cover the uncompressed xbstream: the same figures as without compression.
        Assert.Equal(completion.Bytes, metrics.CloneBytesReceived.Value);
        Assert.True(metrics.CloneEstimatedBytes.Value > 4_000_000);
        await AssertBootsLikeTheDonorAsync(dataDir, 103);
    }

    [Fact(Timeout = Generous)]
    public async Task A_compressed_stream_cut_anywhere_is_retried_and_never_installed()
    {
        await using var proxy = FaultInjectingProxy.Start(_donor.BackupPort);
        // Compressed, the stream is a fraction of the datadir: cut inside its first frame and in
        // later ones. Cuts at every byte of a compressed stream, its last ones included, are the
        // protocol's unit tests.
        long[] offsets = [300, 50_000, 100_000];
        proxy.CutNextConnectionsAfter(offsets);
        await _donor.WaitUntilIdleAsync();

        var dataDir = NewDataDir("cut-zstd");
        var logger = new RecordingLogger(_output, id => AfterEachEvent(id, dataDir));
        var outcome = await CloneAsync(Options(dataDir, proxy.Port, compression: "zstd"), logger);

        Assert.Equal(CloneOutcome.Cloned, outcome);
        var cutFailures = logger.Lines.Count(l =>
            l.Id.Id == 1003 && !l.Message.Contains("is busy", StringComparison.Ordinal)
        );
        Assert.Equal(offsets.Length, cutFailures);
        Assert.Equal(DataDirKind.CompleteClone, DataDirState.Inspect(dataDir).Kind);
        await AssertBootsLikeTheDonorAsync(dataDir, 104);
    }

    [Fact(Timeout = Generous)]
    public async Task A_donor_that_is_always_cut_fails_at_the_deadline_and_leaves_nothing_bootable()
    {
        await using var proxy = FaultInjectingProxy.Start(_donor.BackupPort);
        proxy.CutNextConnectionsAfter(Enumerable.Repeat(2_000_000L, 100).ToArray());
        var dataDir = NewDataDir("always-cut");

        // Uncompressed, so that every attempt is longer than the cut (compressed, this small
        // donor's whole stream fits in 2 MB).
        var e = await Assert.ThrowsAsync<CloneDeadlineExceededException>(() =>
            CloneAsync(Options(dataDir, proxy.Port, deadlineSeconds: 6, compression: "none"))
        );

        _output.WriteLine(e.Message);
        Assert.Equal(DataDirKind.Empty, DataDirState.Inspect(dataDir).Kind);
    }

    [Fact(Timeout = Generous)]
    public async Task Two_clones_at_once_against_a_limit_of_one_both_complete()
    {
        var first = NewDataDir("first");
        var second = NewDataDir("second");
        var loggers = new[] { new RecordingLogger(_output), new RecordingLogger(_output) };

        var outcomes = await Task.WhenAll(
            CloneAsync(Options(first, _donor.BackupPort), loggers[0]),
            CloneAsync(Options(second, _donor.BackupPort), loggers[1])
        );

        Assert.All(outcomes, o => Assert.Equal(CloneOutcome.Cloned, o));
        Assert.Contains(
            loggers.SelectMany(l => l.Lines),
            l => l.Id.Id == 1003 && l.Message.Contains("429", StringComparison.Ordinal)
        );
        Assert.Equal(DataDirKind.CompleteClone, DataDirState.Inspect(first).Kind);
        Assert.Equal(DataDirKind.CompleteClone, DataDirState.Inspect(second).Kind);
    }

    [Fact(Timeout = Generous)]
    public async Task A_wrong_token_fails_fast_with_a_message_naming_the_Secret()
    {
        var dataDir = NewDataDir("wrong-token");
        var logger = new RecordingLogger(_output);

        var e = await Assert.ThrowsAsync<BackupTokenRejectedException>(() =>
            CloneAsync(Options(dataDir, _donor.BackupPort, token: "not-the-token"), logger)
        );

        // Fast: the one attempt is not retried (a wrong token does not fix itself).
        Assert.Equal(1, logger.Count(1002));
        Assert.Contains(
            "the backup token does not match the donor's: check the Secret",
            e.Message,
            StringComparison.Ordinal
        );
        Assert.Equal(DataDirKind.Empty, DataDirState.Inspect(dataDir).Kind);
    }

    [Fact(Timeout = Generous)]
    public async Task A_donor_down_at_the_start_and_up_seconds_later_is_cloned_from()
    {
        var port = FreePorts.Next();
        await using var late = DonorFixture.BuildAgent(_donor.Server, port);
        var dataDir = NewDataDir("late");
        var logger = new RecordingLogger(_output);

        var clone = CloneAsync(Options(dataDir, port), logger);
        await Eventually.UntilAsync(
            () =>
                logger.Lines.Count(l =>
                    l.Id.Id == 1003 && l.Message.Contains("refused", StringComparison.Ordinal)
                ) >= 2,
            "the clone has been refused twice by the donor that is not up yet"
        );
        Assert.False(clone.IsCompleted);
        await late.StartAsync();

        Assert.Equal(CloneOutcome.Cloned, await clone);
    }

    [Fact(Timeout = Generous)]
    public async Task An_interrupted_clone_is_cleaned_and_cloned_again()
    {
        var dataDir = NewDataDir("partial");
        Directory.CreateDirectory(Path.Combine(dataDir, "mysql"));
        File.WriteAllText(Path.Combine(dataDir, "mysql", "half.frm"), "half");
        File.WriteAllText(Path.Combine(dataDir, "ibdata1"), "torn");
        File.WriteAllText(CloneMarker.InProgressPath(dataDir), "interrupted");
        Directory.CreateDirectory(Path.Combine(CloneMarker.StagingPath(dataDir), "shop"));
        var logger = new RecordingLogger(_output);

        Assert.Equal(
            CloneOutcome.Cloned,
            await CloneAsync(Options(dataDir, _donor.BackupPort), logger)
        );

        Assert.Equal(1, logger.Count(1001));
        Assert.False(File.Exists(Path.Combine(dataDir, "mysql", "half.frm")));
        Assert.NotEqual("torn", File.ReadAllText(Path.Combine(dataDir, "ibdata1")));
        Assert.Equal(DataDirKind.CompleteClone, DataDirState.Inspect(dataDir).Kind);
    }

    [Fact(Timeout = Generous)]
    public async Task A_stop_signal_mid_clone_kills_the_extractor_and_removes_staging()
    {
        var dataDir = NewDataDir("stopped");
        using var stop = new CancellationTokenSource();
        var logger = new RecordingLogger(
            _output,
            id =>
            {
                if (id.Id == 1008)
                {
                    stop.Cancel();
                }
            }
        );

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            CloneAsync(Options(dataDir, _donor.BackupPort), logger, ct: stop.Token)
        );

        Assert.Equal(DataDirKind.Empty, DataDirState.Inspect(dataDir).Kind);
        Assert.Equal(1, logger.Count(1009));
    }

    [Fact(Timeout = Generous)]
    public async Task Ordinal_zero_and_a_completed_or_initialised_datadir_are_left_alone()
    {
        var zero = NewDataDir("zero");
        Directory.CreateDirectory(zero);
        File.WriteAllText(Path.Combine(zero, "ibdata1"), "mine");
        var complete = NewDataDir("complete");
        Directory.CreateDirectory(Path.Combine(complete, "mysql"));
        File.WriteAllText(Path.Combine(complete, "ibdata1"), "data");
        File.WriteAllText(CloneMarker.CompletePath(complete), "{}");
        var initialised = NewDataDir("initialised");
        Directory.CreateDirectory(Path.Combine(initialised, "mysql"));
        File.WriteAllText(Path.Combine(initialised, "mysql", "user.frm"), "users");
        var before = new[] { zero, complete, initialised }.Select(Fingerprint).ToList();
        var logger = new RecordingLogger(_output);

        Assert.Equal(
            CloneOutcome.Skipped,
            await CloneAsync(Options(zero, _donor.BackupPort, ordinal: 0), logger)
        );
        Assert.Equal(
            CloneOutcome.Skipped,
            await CloneAsync(Options(complete, _donor.BackupPort), logger)
        );
        Assert.Equal(
            CloneOutcome.Skipped,
            await CloneAsync(Options(initialised, _donor.BackupPort), logger)
        );

        Assert.Equal(before, new[] { zero, complete, initialised }.Select(Fingerprint));
        Assert.Equal(3, logger.Count(1000));
    }

    [Fact(Timeout = Generous)]
    public async Task A_reclone_request_moves_the_whole_datadir_aside_untouched_and_clones_from_its_donor_even_on_ordinal_0()
    {
        // An old primary's datadir: a completed clone of its own, and the errant transaction's table.
        var dataDir = NewDataDir("errant");
        Directory.CreateDirectory(Path.Combine(dataDir, "mysql"));
        Directory.CreateDirectory(Path.Combine(dataDir, "errant_only"));
        File.WriteAllText(Path.Combine(dataDir, "errant_only", "orders.ibd"), "the errant order");
        File.WriteAllText(CloneMarker.CompletePath(dataDir), "{}");
        new RecloneRequest("mysql-0.mysql", 3, "0-100-41", DateTimeOffset.UtcNow).WriteTo(dataDir);
        var before = Fingerprint(dataDir);
        var logger = new RecordingLogger(_output);

        var outcome = await CloneAsync(Options(dataDir, _donor.BackupPort, ordinal: 0), logger);

        Assert.Equal(CloneOutcome.Cloned, outcome);
        var aside = Assert.Single(
            Directory.GetDirectories(_root, "errant" + RecloneRequest.AsideInfix + "*")
        );
        Assert.Equal(before, Fingerprint(aside));
        Assert.Equal(DataDirKind.CompleteClone, DataDirState.Inspect(dataDir).Kind);
        Assert.False(File.Exists(RecloneRequest.PathIn(dataDir)));
        Assert.False(Directory.Exists(Path.Combine(dataDir, "errant_only")));
        var moved = Assert.Single(logger.Lines, l => l.Id.Id == 1010);
        Assert.Contains(aside, moved.Message, StringComparison.Ordinal);
        Assert.Contains("0-100-41", moved.Message, StringComparison.Ordinal);

        await AssertBootsLikeTheDonorAsync(dataDir, 100);
    }

    [Fact(Timeout = Generous)]
    public async Task A_damaged_reclone_request_is_refused_with_the_file_named_and_the_datadir_kept()
    {
        var dataDir = NewDataDir("damaged");
        Directory.CreateDirectory(Path.Combine(dataDir, "mysql"));
        File.WriteAllText(RecloneRequest.PathIn(dataDir), "{ not json");
        var before = Fingerprint(dataDir);

        var error = await Assert.ThrowsAsync<RecloneException>(() =>
            CloneAsync(Options(dataDir, _donor.BackupPort))
        );

        Assert.Contains(RecloneRequest.PathIn(dataDir), error.Message, StringComparison.Ordinal);
        Assert.Contains("delete it to keep this datadir", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Fingerprint(dataDir));
        Assert.Single(Directory.GetDirectories(_root));
    }
}
