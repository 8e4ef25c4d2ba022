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

        var basePort = line.Number("base-port", 1024, 65535);
        if (basePort is { } chosen && !PodPorts.IsValidBase(chosen))
        {
            throw new UsageException(
                $"--base-port {chosen} leaves no room for {PodPorts.MaxOrdinals} pods below 65535: choose 1024 to {65535 - (10 * PodPorts.MaxOrdinals) - 8}"
            );
        }

        SecretFiles.EnsureCreated(paths);
        var tls = line.Has("tls") || existing?.Tls == true;
        if (tls)
        {
            LocalTls.EnsureCreated(paths, time);
        }

        var agentArguments = line.Values("agent-arg");
        var requested = new DesiredState
        {
            Replicas = replicas ?? DefaultReplicas,
            BasePort = basePort ?? PodPorts.DefaultBase,
            InitBinary = initBinary,
            AgentBinary = agentBinary,
            ConfigMapDir = configMap,
            MysqldBinary = server,
            InstallDbBinary = installDb,
            AgentArguments = agentArguments,
            Tls = tls,
        };
        if (store.Exists)
        {
            // Starting again: what was not asked for now stays as it was.
            var kubeletRuns = KubeletProcess.RunningPid(paths) is not null;
            store.UpdateDesired(d =>
                kubeletRuns && basePort is { } moved && moved != d.BasePort
                    ? throw new LocalSetException(
                        $"the set in {paths.StateDir} runs on base port {d.BasePort}: run 'down --keep-data' before moving it to {moved}"
                    )
                    : requested with
                    {
                        Replicas = replicas ?? d.Replicas,
                        BasePort = basePort ?? d.BasePort,
                        AgentArguments =
                            agentArguments.Count > 0 ? agentArguments : d.AgentArguments,
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

        if (line.Has("no-wait"))
        {
            return 0;
        }

        var rows = await SetWaiter
            .UntilReadyAsync(store, line.Timeout(), time, output, cancellationToken)
            .ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteAsync(StatusTable.Render(rows)).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        var primary = rows.Single(r => r.Ordinal == 0);
        var replicaPorts = string.Join(
            ", ",
            rows.Where(r => r.Ordinal > 0).Select(r => r.Ports.Mysql)
        );
        await output
            .WriteLineAsync(
                $"connect: mariadb -h127.0.0.1 -P{primary.Ports.Mysql} -uroot -p\"$(cat {paths.Secret(SecretFiles.RootPassword)})\""
                    + (replicaPorts.Length > 0 ? $"   (replicas: ports {replicaPorts})" : "")
            )
            .ConfigureAwait(false);
        await ReadBackCheck
            .RunAsync(paths, rows, time, output, cancellationToken)
            .ConfigureAwait(false);
        return 0;
    }

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
