using System.Text.Json;
using MysqlAgent.TestSupport;
using MysqlBench;
using MysqlBench.Failover;

if (BenchOptions.AsksForHelp(args))
{
    BenchOptions.WriteHelp(Console.Out);
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
    if (options.MissingProgram() is { } missing)
    {
        throw new ArgumentException(missing);
    }
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"mysql-bench: {e.Message}\n");
    BenchOptions.WriteHelp(Console.Error);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var ct = cancel.Token;
var log = Console.Out;
var errors = new List<string>();

var startedAt = TimeProvider.System.GetUtcNow();
var commit = await ResultsFile.CommitAsync(ct);
var machine = new MachineInfo(
    Environment.ProcessorCount,
    LoadAverage(),
    "",
    Environment.OSVersion.VersionString
);
log.WriteLine(
    $"mysql-bench: agent {options.AgentPath} ({options.AgentBuild}), init {options.InitPath}, commit {commit}"
);
log.WriteLine(
    $"  {machine.Processors} processors, load average {machine.LoadAverageBefore}{(options.Quick ? "; --quick: a smoke run, not figures to quote" : "")}"
);

TouchMemory(options.TouchMemoryBytes, log);

using var work = new Workspace();
var agents = new Agents(options, work);
IReadOnlyList<CloneMethodResult> clone = [];
StreamingMemory? streaming = null;
IReadOnlyList<ReplicationMethodResult> replication = [];
InitResult? init = null;
IdleFootprint? idle = null;
StartupResult? startup = null;
FailoverResult? failover = null;
BackupFigures? backups = null;
ProxyCostResult? proxy = null;
long donorBytes = 0;

async Task Section(string title, Func<Task> body)
{
    log.WriteLine($"\n== {title}");
    try
    {
        await body();
    }
    catch (Exception e)
        when (e
                is BenchException
                    or MariaDbServerStartException
                    or MySqlConnector.MySqlException
                    or IOException
                    or TimeoutException
                    or InvalidOperationException
                    or HttpRequestException
        )
    {
        errors.Add($"{title}: {e.Message}");
        log.WriteLine($"  FAILED: {e.Message}");
    }
}

if (!options.Failover && !options.ProxyOnly)
{
    await Section(
        $"donor: {options.SizeMb} MB of sysbench-like InnoDB rows, its agent idle",
        async () =>
        {
            await using var donor = await MariaDbServer.StartAsync(
                new MariaDbServerOptions
                {
                    ServerId = 100,
                    InnodbBufferPoolSize = "256M",
                    InnodbLogFileSize = "64M",
                },
                ct
            );
            donorBytes = await DataGenerator.FillAsync(donor, options.SizeMb * 1_000_000L, log, ct);
            var all = new List<CloneMethodResult>();
            foreach (var linkKind in options.Links)
            {
                await using var link = await Link.CreateAsync(linkKind, options.DelayMs, log, ct);
                log.WriteLine($"\n== link {link.Name}: {link.Description}");
                // On an emulated link the donor's agent and backup tool run in the donor's namespace and
                // reach the server through its unix socket, at the same 127.0.0.1 port.
                await link.RelayMysqlAsync(donor.Port, donor.SocketPath, ct);
                var (agent, http, backupPort) = agents.Serve(
                    0,
                    donor.Port,
                    donor.DataDir,
                    donor.RootPassword,
                    donor.Port,
                    link.IsEmulated ? link : null
                );
                // The same donor behind a second agent whose backup port serves HTTPS only: the TLS clone
                // runs in the same turns as the plain ones.
                using var ca = TestCertificateAuthority.Create("mysql-agent bench CA");
                using var donorCertificate = ca.Issue(["mysql-0.mysql"]);
                var donorTls = ca.Write(work.NewPath("tls-donor"), donorCertificate);
                var (tlsAgent, _, tlsBackupPort) = agents.Serve(
                    0,
                    donor.Port,
                    donor.DataDir,
                    donor.RootPassword,
                    donor.Port,
                    link.IsEmulated ? link : null,
                    donorTls.Arguments
                );
                await using var tlsAgentScope = tlsAgent;
                await using (agent)
                {
                    if (link.IsEmulated)
                    {
                        await Link.WaitListeningAsync(agent, backupPort, ct);
                    }
                    else
                    {
                        await Agents.WaitForHealthzAsync(agent, http, TimeSpan.FromSeconds(60), ct);
                    }

                    await Link.WaitListeningAsync(tlsAgent, tlsBackupPort, ct);

                    await Agents.WaitForPrimaryUsersAsync(donor, agent, ct);
                    if (idle is null && !options.BackupsOnly)
                    {
                        idle = await AgentFootprint.MeasureIdleAsync(agent, ct);
                        log.WriteLine(
                            $"  idle after {idle.AfterSeconds:F0} s: RSS {Goals.Mb(idle.RssBytes)}, CPU {idle.IdleCpuPercent:F2} % over {idle.IdleWindowSeconds:F0} s"
                        );
                    }

                    // The datadir as the clones see it (binlogs and all), after the agent's own users were created.
                    donorBytes = Stats.DirectoryBytes(donor.DataDir);
                    var throughput = new CloneThroughput(
                        options,
                        work,
                        agents,
                        donor,
                        agent,
                        backupPort,
                        donorBytes,
                        log,
                        link,
                        new CloneThroughput.TlsDonor(
                            tlsBackupPort,
                            ["--tls-ca-file", donorTls.CaFile]
                        )
                    );
                    if (link.IsEmulated)
                    {
                        // The link's real rate before anything else: the figure every clone is held against.
                        var rawSeconds = await throughput.RawLinkAsync(work.NewPath("raw"), ct);
                        log.WriteLine(
                            $"  raw link check: {donorBytes / 1e6 / rawSeconds:F0} MB/s ({donorBytes / 1e6 / rawSeconds * 8 / 1000:F2} Gbit/s) over {link.Name}"
                        );
                    }

                    if (!options.BackupsOnly)
                    {
                        log.WriteLine(
                            $"\n== clone throughput over {link.Name} ({donorBytes / 1e6:F0} MB datadir; one warm-up, {options.CloneRuns} runs each, in turns)"
                        );
                        try
                        {
                            all.AddRange(await throughput.RunAsync(ct));
                        }
                        finally
                        {
                            var memory = throughput.Memory;
                            streaming = streaming is null
                                ? memory
                                : memory with
                                {
                                    DonorPeakRssSampledBytes = Math.Max(
                                        memory.DonorPeakRssSampledBytes,
                                        streaming.DonorPeakRssSampledBytes
                                    ),
                                    ClonePeakRssSampledBytes = Math.Max(
                                        memory.ClonePeakRssSampledBytes,
                                        streaming.ClonePeakRssSampledBytes
                                    ),
                                    DonorPeakVmHwmBytes = Math.Max(
                                        memory.DonorPeakVmHwmBytes ?? 0,
                                        streaming.DonorPeakVmHwmBytes ?? 0
                                    ),
                                };
                            clone = all;
                        }
                    }

                    // After the clone section, and in turns with a clone of their own, so that the
                    // machine's drift hits backups and clone alike.
                    if (!link.IsEmulated && !options.CloneOnly)
                    {
                        await Section(
                            $"backup and restore on {link.Name} ({donorBytes / 1e6:F0} MB datadir; one warm-up, {options.CloneRuns} runs each of clone, backup to a folder, backup to moto_server, in turns; then one restore --latest)",
                            async () =>
                                backups = await new BackupBench(
                                    options,
                                    work,
                                    agents,
                                    donor,
                                    throughput,
                                    donorBytes,
                                    log
                                ).RunAsync(ct)
                        );
                    }
                }
            }
        }
    );
}

if (!options.CloneOnly && !options.Failover && !options.BackupsOnly && !options.ProxyOnly)
{
    await Section(
        "time to replication running, from mysqld's first answer",
        async () =>
        {
            await using var primary = await MariaDbServer.StartAsync(
                new MariaDbServerOptions { ServerId = 1 },
                ct
            );
            var (agent, http, _) = agents.Serve(
                0,
                primary.Port,
                primary.DataDir,
                primary.RootPassword,
                primary.Port
            );
            await using (agent)
            {
                await Agents.WaitForHealthzAsync(agent, http, TimeSpan.FromSeconds(60), ct);
                await Agents.WaitForPrimaryUsersAsync(primary, agent, ct);
                await primary.ExecuteAsync(
                    "CREATE DATABASE app; CREATE TABLE app.t (id INT PRIMARY KEY, v VARCHAR(64)) ENGINE=InnoDB; INSERT INTO app.t SELECT seq, MD5(seq) FROM app.seq_1_to_1000",
                    ct
                );
                replication = await new ReplicationStart(
                    options,
                    work,
                    agents,
                    primary,
                    log
                ).RunAsync(ct);
            }

            log.WriteLine("\n== agent start-up to /healthz");
            startup = await AgentFootprint.MeasureStartupAsync(options, agents, primary, log, ct);
        }
    );

    await Section(
        "mysql-init",
        async () =>
        {
            init = await InitTiming.RunAsync(options, work, ct);
            log.WriteLine(
                $"  {Goals.Mb(init.BinaryBytes)}, median {init.MedianMilliseconds:F1} ms over {init.Runs} runs (spawn baseline {init.SpawnBaselineMedianMilliseconds:F1} ms)"
            );
        }
    );
}

if (options.ProxyOnly || (!options.CloneOnly && !options.Failover && !options.BackupsOnly))
{
    await Section(
        "the primary proxy (serve --primary-proxy-port) against a direct connection",
        async () => proxy = await ProxyCost.RunAsync(agents, log, ct)
    );
}

if (options.Failover)
{
    await Section(
        $"failover on the local set: {options.FailoverRuns} runs of each of 'frozen 30 s' (a switchover, then the primary frozen) and 'mysqld down for good', each a fresh 'mysql-local up', then the heal",
        async () => failover = await new FailoverBench(options, work, log).RunAsync(ct)
    );
}

var goals = Goals.Check(clone, streaming, replication, init, idle, startup);
if (backups is not null)
{
    goals.AddRange(BackupGoals.Check(backups));
}
if (failover is not null)
{
    goals.AddRange(FailoverGoals.Check(failover));
}

var results = new BenchResults(
    "3",
    startedAt,
    commit,
    options.Quick,
    options.AgentBuild,
    new FileInfo(options.AgentPath).Length,
    machine with
    {
        LoadAverageAfter = LoadAverage(),
    },
    donorBytes,
    "MB = 10^6 bytes of the donor's datadir (all files, after data generation), the same figure for every method",
    clone,
    streaming,
    replication,
    init,
    idle,
    startup,
    failover,
    backups,
    proxy,
    goals,
    errors
);

log.WriteLine(
    $"\n== results: agent published as {options.AgentBuild} ({Goals.Mb(results.AgentBinaryBytes)}); load average {machine.LoadAverageBefore} before, {results.Machine.LoadAverageAfter} after{(options.Quick ? "; --quick" : "")}"
);
if (goals.Count > 0)
{
    Goals.PrintTable(log, goals);
}

CloneTable.Print(log, clone, results.Machine);
if (backups is not null)
{
    BackupGoals.PrintTable(log, backups, results.Machine);
}
if (failover is not null)
{
    FailoverGoals.PrintTable(log, failover);
}

if (proxy is not null)
{
    log.WriteLine($"\n  primary proxy: {proxy.Method}");
}

if (!options.Failover && !options.ProxyOnly)
{
    log.WriteLine("\nWhat each clone figure includes:");
    foreach (var c in clone)
    {
        log.WriteLine($"  {c.Method}: {c.Includes}");
    }

    foreach (var r in replication)
    {
        log.WriteLine($"  replication, {r.Method}: {r.Includes}");
    }

    if (backups is not null)
    {
        foreach (var b in backups.Backups)
        {
            log.WriteLine($"  backup, {b.Target}: {b.Includes}");
        }

        log.WriteLine($"  restore: {BackupBench.RestoreIncludes}");
    }

    if (init is not null)
    {
        log.WriteLine($"  mysql-init: {InitTiming.Includes}");
    }
    log.WriteLine($"  {results.MbDefinition}");
}

// The figures as data: the dated file under bench/results/ is the one the docs quote (commit it
// with the change it measures); --output keeps the latest run where scripts look for it.
var json = JsonSerializer.Serialize(results, BenchJsonContext.Default.BenchResults);
var dated = ResultsFile.PathFor(startedAt, options);
foreach (var output in new[] { Path.GetFullPath(options.Output), dated })
{
    Directory.CreateDirectory(Path.GetDirectoryName(output)!);
    await File.WriteAllTextAsync(output, json + "\n", ct);
    log.WriteLine($"\nwrote {output}");
}
foreach (var e in errors)
{
    Console.Error.WriteLine($"mysql-bench: error: {e}");
}

return errors.Count == 0 ? 0 : 1;

static string LoadAverage()
{
    try
    {
        return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "?";
    }
}

// The first write into fresh memory on these VMs is several times slower: touch it once, then let it go.
static void TouchMemory(long bytes, TextWriter log)
{
    if (bytes <= 0)
    {
        return;
    }

    var clock = System.Diagnostics.Stopwatch.StartNew();
    const int Chunk = 64 * 1024 * 1024;
    var chunks = new List<byte[]>();
    for (long done = 0; done < bytes; done += Chunk)
    {
        var chunk = GC.AllocateUninitializedArray<byte>(Chunk);
        for (var i = 0; i < chunk.Length; i += 4096)
        {
            chunk[i] = 1;
        }

        chunks.Add(chunk);
    }

    chunks.Clear();
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    log.WriteLine($"  touched {bytes / 1e9:F1} GB of memory in {clock.Elapsed.TotalSeconds:F1} s");
}
