using System.ComponentModel;
using System.Globalization;
using CliWrap;
using MysqlLocal.Kubelet;
using MysqlLocal.State;
using MysqlLocal.Waiting;

namespace MysqlLocal.Monitoring;

/// <summary>
/// The set's Prometheus (Debian's <c>prometheus</c> binary) as a daemon of its own session, like
/// the kubelet: found again by the pid file, and only while that process's command line still
/// names the set's folder, so a reused id is never signalled.
/// </summary>
public static class PrometheusProcess
{
    public const string Program = "prometheus";

    public const string InstallHint =
        "prometheus is not installed: apt-get install prometheus (./dev prerequisites installs it)";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    public static int? RunningPid(SetPaths paths)
    {
        try
        {
            var pid = int.Parse(
                File.ReadAllText(paths.PrometheusPidFile).Trim(),
                CultureInfo.InvariantCulture
            );
            return Signals.IsRunning(pid, paths.PrometheusData) ? pid : null;
        }
        catch (Exception e) when (e is IOException or FormatException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>Starts Prometheus on 127.0.0.1:<paramref name="port"/> and waits until it answers ready.</summary>
    /// <exception cref="LocalSetException">Not installed, or it exited or did not get ready (its log says why).</exception>
    public static async Task<int> StartAsync(
        SetPaths paths,
        int port,
        HttpClient http,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        Directory.CreateDirectory(paths.PrometheusData);
        // setsid and '&' as for the kubelet; 'echo $!' is the pid of the exec'd prometheus itself.
        var script =
            "setsid \"$@\" </dev/null >>\"$PROMETHEUS_OUT\" 2>&1 & echo $! >\"$PROMETHEUS_PID\"";
        try
        {
            await Cli.Wrap("sh")
                .WithArguments([
                    "-c",
                    script,
                    "sh",
                    Program,
                    "--config.file=" + paths.PrometheusConfig,
                    "--storage.tsdb.path=" + paths.PrometheusData,
                    "--storage.tsdb.retention.time=2d",
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"--web.listen-address=127.0.0.1:{port}"
                    ),
                ])
                .WithEnvironmentVariables(env =>
                    env.Set("PROMETHEUS_OUT", paths.PrometheusLog)
                        .Set("PROMETHEUS_PID", paths.PrometheusPidFile)
                )
                .ExecuteAsync(cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Win32Exception e)
        {
            throw new LocalSetException("cannot run sh to start prometheus: " + e.Message);
        }

        var ready = await new Waiter(time)
            .UntilAsync<bool?>(
                async token =>
                    RunningPid(paths) is null ? null : await IsReadyAsync(http, port, token),
                answer => answer is not false,
                TimeSpan.FromMilliseconds(200),
                StartTimeout,
                cancellationToken
            )
            .ConfigureAwait(false);
        return ready.Last == true && RunningPid(paths) is { } pid
            ? pid
            : throw new LocalSetException(
                $"prometheus did not start on 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}: see {paths.PrometheusLog}"
            );
    }

    /// <summary>SIGTERM, then SIGKILL after <see cref="StopTimeout"/>.</summary>
    /// <returns>Whether a running Prometheus was stopped.</returns>
    public static async Task<bool> StopAsync(
        SetPaths paths,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        if (RunningPid(paths) is not { } pid)
        {
            return false;
        }

        Signals.Terminate(pid);
        await new Waiter(time)
            .UntilAsync(
                _ => ValueTask.FromResult(!Signals.IsRunning(pid, paths.PrometheusData)),
                stopped => stopped,
                TimeSpan.FromMilliseconds(100),
                StopTimeout,
                cancellationToken
            )
            .ConfigureAwait(false);
        Signals.KillIfRunning(pid, paths.PrometheusData);
        return true;
    }

    /// <summary>Whether Debian's prometheus binary is on PATH.</summary>
    public static bool IsInstalled() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, Program)));

    private static async Task<bool> IsReadyAsync(HttpClient http, int port, CancellationToken token)
    {
        try
        {
            using var response = await http.GetAsync(
                    new Uri(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"http://127.0.0.1:{port}/-/ready"
                        )
                    ),
                    token
                )
                .ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
