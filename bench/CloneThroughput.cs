using MysqlAgent.TestSupport;

namespace MysqlBench;

internal sealed record CloneMethodResult(
    string Method,
    string Includes,
    IReadOnlyList<double> Seconds,
    double MedianSeconds,
    double MbPerSecond,
    long ResultDataDirBytes,
    string Link = "loopback"
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
/// One donor, several ways to copy it into an empty datadir over one link, each ending with a
/// prepared datadir: the agent's clone over HTTP with each stream compression, the example's ncat
/// pipeline, and the limit: on loopback a local pipe with no network, on an emulated link a raw TCP
/// transfer of as many bytes as the datadir. Methods take turns (A B C, A B C, ...) after one
/// warm-up of each, so a drifting machine hits all alike.
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
    Link link,
    CloneThroughput.TlsDonor? tlsDonor = null
)
{
    /// <summary>A second agent serving the same donor with HTTPS only on its backup port, and the clone's TLS options.</summary>
    public sealed record TlsDonor(int BackupPort, IReadOnlyList<string> CloneArguments);

    public const string AgentTlsIncludes =
        "as mysql-agent with the default compression, over HTTPS: TLS 1.3 on the backup port, the clone verifying the donor's certificate against the CA and its name, bearer token";

    public const string RawIncludes =
        "raw link limit: socat -u -b 1048576 sends as many zero bytes as the donor's datadir from the donor's namespace to the receiver's, which discards them; no disk, no backup tool";

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
        var methods = new List<(
            string Name,
            string Includes,
            Func<string, CancellationToken, Task<double>> Run
        )>
        {
            ("example (ncat)", ExampleIncludes, ExampleCloneAsync),
        };
        foreach (var compression in options.Compressions)
        {
            methods.Add(
                (
                    $"mysql-agent, {compression}",
                    AgentIncludes + $"; --stream-compression {compression}",
                    (target, ct) => AgentCloneAsync(target, compression, ct)
                )
            );
        }

        if (tlsDonor is not null)
        {
            methods.Add(
                (
                    $"mysql-agent TLS, {Goals.DefaultCompression}",
                    AgentTlsIncludes + $"; --stream-compression {Goals.DefaultCompression}",
                    AgentTlsCloneAsync
                )
            );
        }

        methods.Add(
            link.IsEmulated
                ? ("raw link limit", RawIncludes, RawLinkAsync)
                : ("local limit", LocalIncludes, LocalCloneAsync)
        );
        var seconds = methods.Select(_ => new List<double>()).ToArray();
        var bytes = new long[methods.Count];
        for (var round = 0; round <= options.CloneRuns; round++)
        {
            for (var m = 0; m < methods.Count; m++)
            {
                var target = work.NewPath("clone");
                Directory.CreateDirectory(target);
                try
                {
                    var s = await methods[m].Run(target, ct).ConfigureAwait(false);
                    bytes[m] = Stats.DirectoryBytes(target);
                    var label = round == 0 ? "warm-up" : $"run {round}";
                    await log.WriteLineAsync(
                            $"  {methods[m].Name, -20} {label, -8} {s, 6:F2} s  {donorDataDirBytes / 1e6 / s, 6:F0} MB/s"
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
                        bytes[m],
                        link.Name
                    );
                }
            )
            .ToList();
    }

    /// <summary>The raw link's rate: as many bytes as the datadir, zeros, through socat with 1 MiB buffers.</summary>
    public async Task<double> RawLinkAsync(string target, CancellationToken ct)
    {
        var port = Processes.FreePort();
        var (program, arguments) = link.OnDonor(
            "bash",
            [
                "-c",
                $"head -c {Processes.Number(donorDataDirBytes)} /dev/zero | socat -u -b 1048576 STDIN TCP-LISTEN:{Processes.Number(port)},bind={link.DonorHost},reuseaddr",
            ]
        );
        await using var sender = new BackgroundProcess(program, arguments);
        await Link.WaitListeningAsync(sender, port, ct).ConfigureAwait(false);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var received = await Processes
            .BashAsync(
                link.Shell(
                    donor: false,
                    $"socat -u -b 1048576 TCP:{link.DonorHost}:{Processes.Number(port)} STDOUT | wc -c"
                ),
                ct
            )
            .ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalSeconds;
        if (
            !received
                .Output.Trim()
                .EndsWith(Processes.Number(donorDataDirBytes), StringComparison.Ordinal)
        )
        {
            throw new BenchException(
                $"raw transfer received {received.Output.Trim()} bytes, not {donorDataDirBytes}"
            );
        }

        await sender.Completion.WaitAsync(TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
        return elapsed;
    }

    /// <summary>One agent clone with the default compression, sampled as the clone section's are (the backup section's yardstick).</summary>
    public Task<double> AgentDefaultCloneAsync(string target, CancellationToken ct) =>
        AgentCloneAsync(target, Goals.DefaultCompression, ct);

    private async Task<double> AgentCloneAsync(
        string target,
        string compression,
        CancellationToken ct
    )
    {
        var donorPid = donorAgent.ProcessId;
        var hwmReset = ProcFs.ResetPeak(donorPid);
        var donorCpu = ProcFs.CpuSeconds(donorPid) ?? 0;
        var (program, arguments) = link.OnReceiver(
            options.AgentPath,
            [
                .. agents.CloneArguments(target, donorBackupPort, link.DonorHost),
                "--stream-compression",
                compression,
            ]
        );
        await using var clone = new BackgroundProcess(program, arguments);
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

    /// <summary>The agent's clone from the TLS donor; memory and CPU are not sampled (the plain runs' are the figures).</summary>
    private async Task<double> AgentTlsCloneAsync(string target, CancellationToken ct)
    {
        var (program, arguments) = link.OnReceiver(
            options.AgentPath,
            [
                .. agents.CloneArguments(target, tlsDonor!.BackupPort, link.DonorHost),
                "--stream-compression",
                Goals.DefaultCompression,
                .. tlsDonor.CloneArguments,
            ]
        );
        await using var clone = new BackgroundProcess(program, arguments);
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
        var (program, arguments) = link.OnDonor(
            "ncat",
            [
                "--listen",
                "--send-only",
                "--max-conns=1",
                link.DonorHost,
                Processes.Number(port),
                "-c",
                BackupCommand(tmp),
            ]
        );
        await using var listener = new BackgroundProcess(program, arguments);
        await Link.WaitListeningAsync(listener, port, ct).ConfigureAwait(false);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Processes
            .BashAsync(
                link.Shell(
                    donor: false,
                    $"ncat --recv-only {link.DonorHost} {Processes.Number(port)} | {ServerBinaries.Default.StreamExtractor} -x -C {Processes.Quote(target)}"
                ),
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
