using System.Globalization;
using System.Security.Cryptography;
using MysqlLocal.Monitoring;
using MysqlLocal.Ports;
using MysqlLocal.State;
using MysqlLocal.Status;

namespace MysqlLocal.Commands;

/// <summary>
/// <c>up</c>: creates the set (or starts it again over its kept folders), waits until every pod is
/// ready, prints the table and where to connect, and proves replication with a row read back from
/// every replica. Safe to run twice.
/// </summary>
public static class UpCommand
{
    public const int DefaultReplicas = 3;

    public static async Task<int> RunAsync(
        LocalCommandLine line,
        TimeProvider time,
        TextWriter output,
        CancellationToken cancellationToken
    )
    {
        var paths = line.StatePaths();
        var store = new SetStore(paths);
        var replicas = line.Number("replicas", 1, PodPorts.MaxOrdinals);
        var root = RepositoryDefaults.Root();
        var (server, installDb) = ServerPrograms.Find();
        // Starting an existing set again: the binaries and ConfigMap it was created with, unless given.
        var existing = store.Exists ? store.ReadDesired() : null;
        var initBinary = Existing(
            line.Value("init-binary")
                ?? existing?.InitBinary
                ?? RepositoryDefaults.InitBinary(root),
            "--init-binary",
            "mysql-init"
        );
        var agentBinary = Existing(
            line.Value("agent-binary")
                ?? existing?.AgentBinary
                ?? RepositoryDefaults.AgentBinary(root),
            "--agent-binary",
            "mysql-agent"
        );
        var configMap = Path.GetFullPath(
            line.Value("config-map-dir")
                ?? existing?.ConfigMapDir
                ?? RepositoryDefaults.ConfigMapDir(root)
        );
        if (
            !File.Exists(Path.Combine(configMap, "primary.cnf"))
            || !File.Exists(Path.Combine(configMap, "replica.cnf"))
        )
        {
            throw new LocalSetException(
                $"--config-map-dir {configMap} has no primary.cnf and replica.cnf: give the folder of a manifests overlay (manifests/overlays/mariadb)"
            );
        }

        var kubeletRuns = KubeletProcess.RunningPid(paths) is not null;
        var auto = line.Value("base-port") == PortBlocks.Auto;
        var basePort = auto ? null : line.Number("base-port", 1024, 65535);
        if (basePort is { } chosen && !PodPorts.IsValidBase(chosen))
        {
            throw new UsageException(
                $"--base-port {chosen} leaves no room for {PodPorts.MaxOrdinals} pods below 65535: choose 1024 to {65535 - (10 * PodPorts.MaxOrdinals) - 8}, or auto"
            );
        }

        if (
            kubeletRuns
            && existing is not null
            && basePort is { } moved
            && moved != existing.BasePort
        )
        {
            throw new LocalSetException(
                $"the set in {paths.StateDir} runs on base port {existing.BasePort}: run 'down --keep-data' before moving it to {moved}"
            );
        }

        // Failover is the default of a new set; an existing set keeps what it was made with. Only a
        // new set can change it: its agents need the Lease that mysql-0 creates on a fresh datadir,
        // which an existing set no longer has, and a fixed set's mysql-0 booted writable.
        if (line.Has("failover") && line.Has("fixed-primary"))
        {
            throw new UsageException(
                "--failover and --fixed-primary contradict each other: failover is the default, so give --fixed-primary alone or neither"
            );
        }

        if (existing is not null && line.Has("failover") && !existing.Failover)
        {
            throw new LocalSetException(
                $"the set in {paths.StateDir} was made with a fixed primary, and only a new set can have failover: run 'down' (it deletes the data) and 'up'"
            );
        }

        if (existing is not null && line.Has("fixed-primary") && existing.Failover)
        {
            throw new LocalSetException(
                $"the set in {paths.StateDir} was made with failover, and only a new set can have a fixed primary: run 'down' (it deletes the data) and 'up --fixed-primary'"
            );
        }

        var failover = existing?.Failover ?? !line.Has("fixed-primary");
        var pods = replicas ?? existing?.Replicas ?? DefaultReplicas;
        if (auto)
        {
            // A running set keeps its ports; a stopped one keeps them while they are free.
            basePort =
                existing is not null
                && (
                    kubeletRuns
                    || PortCheck
                        .PortsOf(existing.BasePort, pods)
                        .All(p => PortCheck.Refusal(paths, p.What, p.Port) is null)
                )
                    ? existing.BasePort
                    : PortBlocks.FindFree();
            await output
                .WriteLineAsync(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"--base-port auto: {basePort} (mysql-0 on {PodPorts.For(basePort.Value, 0)})"
                    )
                )
                .ConfigureAwait(false);
        }

        // Before anything is written or started: a port someone else holds stops here, at once.
        PortCheck.EnsureFree(paths, basePort ?? existing?.BasePort ?? PodPorts.DefaultBase, pods);

        SecretFiles.EnsureCreated(paths);
        var tls = line.Has("tls") || existing?.Tls == true;
        if (tls)
        {
            LocalTls.EnsureCreated(paths, time);
        }

        var agentArguments = line.Values("agent-arg");
        var backupTarget = BackupTargetOf(line.Value("backup-target"));
        var restore = RestoreArgumentsOf(line);
        if (restore.Count > 0 && existing is not null)
        {
            throw new LocalSetException(
                $"the set in {paths.StateDir} exists: --restore-from makes a new set; give a new --state-dir (with the source set's secrets/ copied into it, as the restored data has its users)"
            );
        }
        var requested = new DesiredState
        {
            Replicas = replicas ?? DefaultReplicas,
            // A set from before set ids, still running, keeps none: its agents were started without one.
            SetId = existing switch
            {
                { SetId.Length: > 0 } => existing.SetId,
                not null when kubeletRuns => "",
                _ => NewSetId(),
            },
            BasePort = basePort ?? PodPorts.DefaultBase,
            InitBinary = initBinary,
            AgentBinary = agentBinary,
            ConfigMapDir = configMap,
            MysqldBinary = server,
            InstallDbBinary = installDb,
            AgentArguments = agentArguments,
            Tls = tls,
            Failover = failover,
            BackupTarget = backupTarget ?? existing?.BackupTarget ?? "file:" + paths.BackupsDir,
            RestoreArguments = restore,
        };
        if (store.Exists)
        {
            // Starting again: what was not asked for now stays as it was.
            store.UpdateDesired(d =>
                requested with
                {
                    Replicas = replicas ?? d.Replicas,
                    SetId = d.SetId.Length > 0 ? d.SetId : requested.SetId,
                    BasePort = basePort ?? d.BasePort,
                    AgentArguments = agentArguments.Count > 0 ? agentArguments : d.AgentArguments,
                    BackupTarget = backupTarget ?? d.BackupTarget,
                    PodGenerations = d.PodGenerations,
                }
            );
        }
        else
        {
            store.WriteDesired(requested);
        }

        if (KubeletProcess.RunningPid(paths) is { } running)
        {
            await output
                .WriteLineAsync($"the set in {paths.StateDir} is running (kubelet pid {running})")
                .ConfigureAwait(false);
        }
        else
        {
            var pid = await KubeletProcess
                .StartAsync(paths, time, cancellationToken)
                .ConfigureAwait(false);
            await output
                .WriteLineAsync(
                    $"started the kubelet (pid {pid}) for {paths.StateDir}; its log: {paths.KubeletLog}"
                )
                .ConfigureAwait(false);
        }

        // Before the wait: Prometheus sees the pods come up, as it would in a cluster.
        if (line.Has("monitor"))
        {
            await MonitorCommand
                .EnsureRunningAsync(line, store, time, output, cancellationToken)
                .ConfigureAwait(false);
        }

        if (line.Has("no-wait"))
        {
            return 0;
        }

        var rows = await SetWaiter
            .UntilReadyAsync(store, line.Timeout(), time, output, cancellationToken)
            .ConfigureAwait(false);
        if (store.ReadDesired().RestoreArguments.Count > 0)
        {
            // Restored and ready: from now on an empty mysql-0 clones from its peers, as any pod.
            store.UpdateDesired(d => d with { RestoreArguments = [] });
        }
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteAsync(StatusTable.Render(rows)).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        var final = store.ReadDesired();
        var primaryPort = PodPorts.PrimaryPort(final.BasePort);
        var readPort = PodPorts.ReadPort(final.BasePort);
        var password = paths.Secret(SecretFiles.RootPassword);
        await output
            .WriteLineAsync(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"""
                    writes: mariadb -h127.0.0.1 -P{primaryPort} -uroot -p"$(cat {password})"   (mysql-primary: {(
                        final.Failover ? "the Lease holder" : "mysql-0, the fixed primary"
                    )})
                    reads:  mariadb -h127.0.0.1 -P{readPort} -uroot -p"$(cat {password})"   (mysql-read: the ready pods in turn; each pod: ports {string.Join(
                        ", ",
                        rows.Select(r => r.Ports.Mysql)
                    )})
                    """
                )
            )
            .ConfigureAwait(false);
        await ReadBackCheck
            .RunAsync(
                paths,
                final.SetId,
                rows,
                time,
                output,
                primaryPort,
                readPort,
                cancellationToken
            )
            .ConfigureAwait(false);
        if (PrometheusProcess.RunningPid(paths) is not null)
        {
            var monitor = PodPorts.MonitorPort(final.BasePort);
            await output
                .WriteLineAsync(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"prometheus: http://127.0.0.1:{monitor} (alerts: http://127.0.0.1:{monitor}/classic/alerts)"
                    )
                )
                .ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>mysql-0's clone arguments for <c>--restore-from</c>; empty without it.</summary>
    private static IReadOnlyList<string> RestoreArgumentsOf(LocalCommandLine line)
    {
        var from = line.Value("restore-from");
        var toTime = line.Value("to-time");
        var toGtid = line.Value("to-gtid");
        if (from is null)
        {
            return toTime is null && toGtid is null
                ? []
                : throw new UsageException("--to-time and --to-gtid go with --restore-from URL");
        }

        if (BackupTargetOf(from) is not { Length: > 0 })
        {
            throw new UsageException(
                $"--restore-from '{from}' is not file:/absolute/path or s3://bucket[/prefix]"
            );
        }

        return (toTime, toGtid) switch
        {
            (null, null) => ["--from=" + from, "--latest"],
            ({ } time, null) => ["--from=" + from, "--to-time=" + time],
            (null, { } gtid) => ["--from=" + from, "--to-gtid=" + gtid],
            _ => throw new UsageException("give --to-time or --to-gtid, not both"),
        };
    }

    /// <summary>The <c>--backup-target</c> asked for: null when not given, empty for <c>off</c>.</summary>
    private static string? BackupTargetOf(string? value) =>
        value switch
        {
            null => null,
            "off" => "",
            _ when value.StartsWith("s3://", StringComparison.Ordinal) && value.Length > 5 => value,
            _ when value.StartsWith("file:/", StringComparison.Ordinal) => value,
            _ => throw new UsageException(
                $"--backup-target '{value}' is not file:/absolute/path, s3://bucket[/prefix] or off"
            ),
        };

    /// <summary>A new set's identity: 12 random hex digits, for its agents' --set-id.</summary>
    private static string NewSetId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    private static string Existing(string path, string option, string program)
    {
        var full = Path.GetFullPath(path);
        return File.Exists(full)
            ? full
            : throw new LocalSetException(
                $"{program} not found at {full}: build it with './dev up' (it publishes to artifacts/) or give {option}"
            );
    }
}
