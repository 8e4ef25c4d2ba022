using System.Globalization;
using MysqlLocal.Monitoring;
using MysqlLocal.Ports;
using MysqlLocal.State;

namespace MysqlLocal.Commands;

/// <summary>
/// <c>monitor [--scrape-interval-seconds S] [--evaluation-interval-seconds S] [--rule-file PATH] [--stop]</c>
/// (and <c>up --monitor</c>): a real Prometheus for the set, on 127.0.0.1 at base+4, scraping every
/// pod's agent and loading the repository's shipped rule file, its data in the set's
/// prometheus/ folder; <c>down</c> stops it. Run again, it points the scrape targets at the set's
/// pods as they are now; a running Prometheus keeps its settings unless options change them.
/// </summary>
public static class MonitorCommand
{
    public const int DefaultScrapeSeconds = 15;

    public static async Task<int> RunAsync(
        LocalCommandLine line,
        TimeProvider time,
        TextWriter output,
        CancellationToken cancellationToken
    )
    {
        var paths = line.StatePaths();
        var store = new SetStore(paths);
        if (!store.Exists)
        {
            throw new LocalSetException(
                $"there is no set in {paths.StateDir}: run 'up' first (or 'up --monitor')"
            );
        }

        if (line.Has("stop"))
        {
            var stopped = await PrometheusProcess
                .StopAsync(paths, time, cancellationToken)
                .ConfigureAwait(false);
            await output
                .WriteLineAsync(stopped ? "stopped prometheus" : "prometheus was not running")
                .ConfigureAwait(false);
            return 0;
        }

        await EnsureRunningAsync(line, store, time, output, cancellationToken)
            .ConfigureAwait(false);
        return 0;
    }

    /// <summary>Writes the targets (and, when asked or not running, the configuration), starts Prometheus if needed, prints its address.</summary>
    public static async Task EnsureRunningAsync(
        LocalCommandLine line,
        SetStore store,
        TimeProvider time,
        TextWriter output,
        CancellationToken cancellationToken
    )
    {
        var paths = store.Paths;
        if (!PrometheusProcess.IsInstalled())
        {
            throw new LocalSetException(PrometheusProcess.InstallHint);
        }

        var desired = store.ReadDesired();
        var port = PodPorts.MonitorPort(desired.BasePort);
        Directory.CreateDirectory(paths.PrometheusDir);
        RefreshTargets(paths, desired);

        var scrape = line.Number("scrape-interval-seconds", 1, 3600);
        var evaluation = line.Number("evaluation-interval-seconds", 1, 3600);
        var ruleOption = line.Value("rule-file");
        var running = PrometheusProcess.RunningPid(paths);
        var reconfigure =
            running is null
            || scrape is not null
            || evaluation is not null
            || ruleOption is not null;
        if (reconfigure)
        {
            var ruleFile = Path.GetFullPath(ruleOption ?? DefaultRuleFile());
            if (!File.Exists(ruleFile))
            {
                throw new LocalSetException(
                    $"no rule file at {ruleFile}: give --rule-file, or run from the repository (manifests/components/alerts/mysql-agent.rules.yaml)"
                );
            }

            var every = TimeSpan.FromSeconds(scrape ?? DefaultScrapeSeconds);
            var config = PrometheusConfig.Render(
                ruleFile,
                paths.PrometheusTargets,
                every,
                TimeSpan.FromSeconds(evaluation ?? scrape ?? DefaultScrapeSeconds)
            );
            var changed =
                !File.Exists(paths.PrometheusConfig)
                || File.ReadAllText(paths.PrometheusConfig) != config;
            if (running is not null && changed)
            {
                await PrometheusProcess
                    .StopAsync(paths, time, cancellationToken)
                    .ConfigureAwait(false);
                running = null;
            }

            File.WriteAllText(paths.PrometheusConfig, config);
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        if (running is null)
        {
            if (PortCheck.Refusal(paths, "prometheus", port) is { } refusal)
            {
                throw new LocalSetException(refusal);
            }

            running = await PrometheusProcess
                .StartAsync(paths, port, http, time, cancellationToken)
                .ConfigureAwait(false);
        }

        await output
            .WriteLineAsync(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"prometheus (pid {running}): http://127.0.0.1:{port} (alerts: http://127.0.0.1:{port}/classic/alerts), scraping {desired.Replicas} pods; config, log and data in {paths.PrometheusDir}; 'down' stops it"
                )
            )
            .ConfigureAwait(false);
    }

    /// <summary>The targets file for the set's pods now; a running Prometheus reads it on change.</summary>
    public static void RefreshTargets(SetPaths paths, DesiredState desired)
    {
        var targets = PrometheusConfig.RenderTargets(desired.BasePort, desired.Replicas);
        // Written aside and renamed: Prometheus never reads half a file.
        var next = paths.PrometheusTargets + ".next";
        File.WriteAllText(next, targets);
        File.Move(next, paths.PrometheusTargets, overwrite: true);
    }

    private static string DefaultRuleFile() =>
        Path.Combine(
            RepositoryDefaults.Root() ?? ".",
            "manifests",
            "components",
            "alerts",
            "mysql-agent.rules.yaml"
        );
}
