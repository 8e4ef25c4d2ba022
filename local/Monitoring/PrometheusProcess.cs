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

    public static int? RunningPid(SetPaths paths) =>
        ReadPid(paths) is { } pid && Signals.IsRunning(pid, paths.PrometheusData) ? pid : null;

    /// <summary>The last error Prometheus logged (its <c>err="…"</c>, else the whole line); null when none.</summary>
    public static string? LastError(string logPath)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(logPath);
        }
        catch (IOException)
        {
            return null;
        }

        var line = lines.LastOrDefault(l => l.Contains("level=error", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var at = line.IndexOf(" err=\"", StringComparison.Ordinal);
        return at < 0 ? line : line[(at + 6)..].TrimEnd('"');
    }

    private static int? ReadPid(SetPaths paths)
    {
        try
        {
            return int.Parse(
                File.ReadAllText(paths.PrometheusPidFile).Trim(),
                CultureInfo.InvariantCulture
            );
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

        // The pid file is written before sh returns. Until Prometheus answers, only its exit ends
        // the wait: its command line is empty while setsid and then prometheus exec, so the check
        // against the set's folder (RunningPid) would take a starting Prometheus for a dead one.
        var started = ReadPid(paths);
        var ready = await new Waiter(time)
            .UntilAsync<bool?>(
                async token =>
                    started is not { } pid || Signals.HasExited(pid)
                        ? null
                        : await IsReadyAsync(http, port, token),
                answer => answer is not false,
                TimeSpan.FromMilliseconds(200),
                StartTimeout,
                cancellationToken
            )
            .ConfigureAwait(false);
        if (ready.Last == true && Signals.IsRunning(started!.Value, paths.PrometheusData))
        {
            return started.Value;
        }

        var portText = port.ToString(CultureInfo.InvariantCulture);
        throw new LocalSetException(
            ready.Last is null
                ? $"prometheus exited at start on 127.0.0.1:{portText}: {LastError(paths.PrometheusLog) ?? "no error in its log"} (its log: {paths.PrometheusLog})"
                : $"prometheus did not answer ready on 127.0.0.1:{portText} within {StartTimeout.TotalSeconds:0} s: see {paths.PrometheusLog}"
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
