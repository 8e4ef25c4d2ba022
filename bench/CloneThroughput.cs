using MysqlAgent.TestSupport;

namespace MysqlBench;

internal sealed record CloneMethodResult(
    string Method,
    string Includes,
    IReadOnlyList<double> Seconds,
    double MedianSeconds,
    double MbPerSecond,
    long ResultDataDirBytes
);

internal sealed record StreamingMemory(
    long DonorPeakRssSampledBytes,
    long? DonorPeakVmHwmBytes,
    long ClonePeakRssSampledBytes,
    int Samples,
    double DonorAgentCpuSecondsPerClone,
    double CloneAgentCpuSecondsPerClone
);

/// <summary>
/// One donor, three ways to copy it into an empty datadir, each ending with a prepared datadir:
/// the agent's clone over HTTP, the example's ncat pipeline, and a local pipe with no network.
/// Methods take turns (A B C, A B C, ...) after one warm-up of each, so a drifting machine hits all alike.
/// </summary>
internal sealed class CloneThroughput(
    BenchOptions options,
    Workspace work,
    Agents agents,
    MariaDbServer donor,
    BackgroundProcess donorAgent,
    int donorBackupPort,
    long donorDataDirBytes,
    TextWriter log,
    CloneThroughput.TlsDonor? tlsDonor = null
)
{
    /// <summary>A second agent serving the same donor with TLS on its backup port, and the clone's TLS options.</summary>
    public sealed record TlsDonor(int BackupPort, IReadOnlyList<string> CloneArguments);

    public const string AgentTlsIncludes =
        "as mysql-agent, over HTTPS: TLS 1.3 on the backup port, the clone verifying the donor's certificate against the CA and its name, bearer token";

    public const string AgentIncludes =
        "mysql-agent clone: HTTP GET /backup from the donor's agent (bearer token, framed stream, XXH128 checked), mbstream -x into staging, mariabackup --prepare, install into the datadir; process start to exit 0";

    public const string ExampleIncludes =
        "the example: ncat --listen --send-only --max-conns=1 -c 'mariabackup --backup --slave-info --stream=xbstream' (listener up before the clock), ncat --recv-only | mbstream -x -C dir, then mariabackup --prepare; no end-of-stream check";

    public const string LocalIncludes =
        "mariabackup --backup --slave-info --stream=xbstream | mbstream -x -C dir (one kernel pipe, no network), then mariabackup --prepare";

    private readonly string _rootDefaults = work.ClientDefaults(
        "root",
        donor.RootPassword,
        donor.Port
    );
    private long _donorPeakSampled;
    private long? _donorPeakHwm;
    private long _clonePeakSampled;
    private int _samples;
    private readonly List<double> _donorCpu = [];
    private readonly List<double> _cloneCpu = [];

    /// <summary>Memory of both agents while a clone streams, and the CPU each spent per clone (median).</summary>
    public StreamingMemory Memory =>
        new(
            _donorPeakSampled,
            _donorPeakHwm,
            _clonePeakSampled,
            _samples,
            Stats.Median(_donorCpu),
            Stats.Median(_cloneCpu)
        );

    public async Task<IReadOnlyList<CloneMethodResult>> RunAsync(CancellationToken ct)
    {
        var methods = new (
            string Name,
            string Includes,
            Func<string, CancellationToken, Task<double>> Run
        )[]
        {
            ("mysql-agent", AgentIncludes, AgentCloneAsync),
            ("example (ncat)", ExampleIncludes, ExampleCloneAsync),
            ("local limit", LocalIncludes, LocalCloneAsync),
        };
        if (tlsDonor is not null)
        {
            methods = [.. methods, ("mysql-agent TLS", AgentTlsIncludes, AgentTlsCloneAsync)];
        }

        var seconds = methods.Select(_ => new List<double>()).ToArray();
        var bytes = new long[methods.Length];
        for (var round = 0; round <= options.CloneRuns; round++)
        {
            for (var m = 0; m < methods.Length; m++)
            {
                var target = work.NewPath("clone");
                Directory.CreateDirectory(target);
                try
                {
                    var s = await methods[m].Run(target, ct).ConfigureAwait(false);
                    bytes[m] = Stats.DirectoryBytes(target);
                    var label = round == 0 ? "warm-up" : $"run {round}";
                    await log.WriteLineAsync(
                            $"  {methods[m].Name, -15} {label, -8} {s, 6:F2} s  {donorDataDirBytes / 1e6 / s, 6:F0} MB/s"
                        )
                        .ConfigureAwait(false);
                    if (round > 0)
                    {
                        seconds[m].Add(s);
                    }
                }
                finally
                {
                    Workspace.DeleteDirectory(target);
                }
            }
        }

        return methods
            .Select(
                (method, m) =>
                {
                    var median = Stats.Median(seconds[m]);
                    return new CloneMethodResult(
                        method.Name,
                        method.Includes,
                        seconds[m],
                        median,
                        donorDataDirBytes / 1e6 / median,
                        bytes[m]
                    );
                }
            )
            .ToList();
    }

    private async Task<double> AgentCloneAsync(string target, CancellationToken ct)
    {
        var donorPid = donorAgent.ProcessId;
        var hwmReset = ProcFs.ResetPeak(donorPid);
        var donorCpu = ProcFs.CpuSeconds(donorPid) ?? 0;
        await using var clone = new BackgroundProcess(
            options.AgentPath,
            agents.CloneArguments(target, donorBackupPort)
        );
        long cloneMax;
        await using (var donorSampler = new RssSampler(donorPid, TimeSpan.FromMilliseconds(50)))
        {
            await using var cloneSampler = new RssSampler(
                clone.ProcessId,
                TimeSpan.FromMilliseconds(50)
            );
            var result = await clone.Completion.WaitAsync(ct).ConfigureAwait(false);
            var elapsed = clone.StartedAt.Elapsed.TotalSeconds;
            if (result.ExitCode != 0)
            {
                throw new BenchException(
                    $"mysql-agent clone exited {result.ExitCode}:\n{clone.Output}"
                );
            }

            if (
                !File.Exists(Path.Combine(target, ".mysql-agent-clone-complete"))
                || !Directory.Exists(Path.Combine(target, "mysql"))
            )
            {
                throw new BenchException(
                    $"mysql-agent clone left no complete datadir in {target}:\n{clone.Output}"
                );
            }

            _donorPeakSampled = Math.Max(_donorPeakSampled, donorSampler.MaxBytes);
            cloneMax = cloneSampler.MaxBytes;
            _samples += donorSampler.Samples;
            if (hwmReset && ProcFs.StatusBytes(donorPid, "VmHWM") is { } hwm)
            {
                _donorPeakHwm = Math.Max(_donorPeakHwm ?? 0, hwm);
            }

            _clonePeakSampled = Math.Max(_clonePeakSampled, cloneMax);
            _donorCpu.Add((ProcFs.CpuSeconds(donorPid) ?? donorCpu) - donorCpu);
            _cloneCpu.Add(cloneSampler.LastCpuSeconds);
            return elapsed;
        }
    }

    /// <summary>The agent's clone from the TLS donor; its memory and CPU are not sampled (the plain run's are the figures).</summary>
    private async Task<double> AgentTlsCloneAsync(string target, CancellationToken ct)
    {
        await using var clone = new BackgroundProcess(
            options.AgentPath,
            agents.CloneArguments(target, tlsDonor!.BackupPort, tlsDonor.CloneArguments)
        );
        var result = await clone.Completion.WaitAsync(ct).ConfigureAwait(false);
        var elapsed = clone.StartedAt.Elapsed.TotalSeconds;
        if (
            result.ExitCode != 0
            || !File.Exists(Path.Combine(target, ".mysql-agent-clone-complete"))
        )
        {
            throw new BenchException(
                $"mysql-agent clone over TLS exited {result.ExitCode} without a complete datadir in {target}:\n{clone.Output}"
            );
        }

        return elapsed;
    }

    private string BackupCommand(string tmp) =>
        $"{ServerBinaries.Default.Backup} --defaults-extra-file={_rootDefaults} --backup --slave-info --stream=xbstream --target-dir={tmp}";

    private async Task<double> ExampleCloneAsync(string target, CancellationToken ct)
    {
        var port = Processes.FreePort();
        var tmp = work.NewPath("backup-tmp");
        Directory.CreateDirectory(tmp);
        await using var listener = new BackgroundProcess(
            "ncat",
            [
                "--listen",
                "--send-only",
                "--max-conns=1",
                MariaDbServer.Host,
                Processes.Number(port),
                "-c",
                BackupCommand(tmp),
            ]
        );
        while (!ProcFs.IsListening(port))
        {
            if (listener.HasExited)
            {
                throw new BenchException($"ncat --listen exited:\n{listener.Output}");
            }

            await Task.Delay(10, ct).ConfigureAwait(false);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Processes
            .BashAsync(
                $"ncat --recv-only {MariaDbServer.Host} {Processes.Number(port)} | {ServerBinaries.Default.StreamExtractor} -x -C {Processes.Quote(target)}",
                ct
            )
            .ConfigureAwait(false);
        await PrepareAsync(target, ct).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalSeconds;
        await listener.Completion.WaitAsync(TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
        Workspace.DeleteDirectory(tmp);
        return elapsed;
    }

    private async Task<double> LocalCloneAsync(string target, CancellationToken ct)
    {
        var tmp = work.NewPath("backup-tmp");
        Directory.CreateDirectory(tmp);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Processes
            .BashAsync(
                $"{BackupCommand(tmp)} 2>{Processes.Quote(Path.Combine(tmp, "backup.log"))} | {ServerBinaries.Default.StreamExtractor} -x -C {Processes.Quote(target)}",
                ct
            )
            .ConfigureAwait(false);
        await PrepareAsync(target, ct).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalSeconds;
        Workspace.DeleteDirectory(tmp);
        return elapsed;
    }

    public static Task<RunResult> PrepareAsync(string target, CancellationToken ct) =>
        Processes.RunAsync(
            ServerBinaries.Default.Backup,
            ["--prepare", $"--target-dir={target}"],
            ct
        );
}
