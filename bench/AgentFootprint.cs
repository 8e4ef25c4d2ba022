using MysqlAgent.TestSupport;

namespace MysqlBench;

internal sealed record IdleFootprint(
    double AfterSeconds,
    long RssBytes,
    double CpuSecondsAtStart,
    double IdleWindowSeconds,
    double IdleCpuPercent
);

internal sealed record StartupResult(
    IReadOnlyList<double> FirstAnswerSeconds,
    IReadOnlyList<double> HealthyOkSeconds,
    double MedianFirstAnswerSeconds,
    double MedianHealthyOkSeconds
);

/// <summary>The serving agent's memory and CPU while idle, and its start-up time to /healthz.</summary>
internal static class AgentFootprint
{
    public static readonly TimeSpan IdleAfter = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(10);

    /// <summary>VmRSS <see cref="IdleAfter"/> after the start, then the CPU it uses over the next <see cref="IdleWindow"/>.</summary>
    public static async Task<IdleFootprint> MeasureIdleAsync(
        BackgroundProcess agent,
        CancellationToken ct
    )
    {
        var pid = agent.ProcessId;
        await WaitUntilAsync(agent, IdleAfter, ct).ConfigureAwait(false);
        var rss = ProcFs.StatusBytes(pid, "VmRSS") ?? throw new BenchException("the agent is gone");
        var cpu0 = ProcFs.CpuSeconds(pid) ?? 0;
        var t0 = agent.StartedAt.Elapsed;
        await WaitUntilAsync(agent, IdleAfter + IdleWindow, ct).ConfigureAwait(false);
        var cpu1 = ProcFs.CpuSeconds(pid) ?? cpu0;
        var window = (agent.StartedAt.Elapsed - t0).TotalSeconds;
        return new IdleFootprint(
            IdleAfter.TotalSeconds,
            rss,
            cpu0,
            window,
            100 * (cpu1 - cpu0) / window
        );
    }

    /// <summary>Starts a serving agent beside <paramref name="server"/> several times, each timed to its first /healthz answer and first 200.</summary>
    public static async Task<StartupResult> MeasureStartupAsync(
        BenchOptions options,
        Agents agents,
        MariaDbServer server,
        TextWriter log,
        CancellationToken ct
    )
    {
        var first = new List<double>();
        var ok = new List<double>();
        for (var i = -1; i < options.StartupRuns; i++)
        {
            var (agent, http, _) = agents.Serve(
                0,
                server.Port,
                server.DataDir,
                server.RootPassword,
                server.Port
            );
            await using (agent.ConfigureAwait(false))
            {
                var (answer, healthy) = await Agents
                    .WaitForHealthzAsync(agent, http, TimeSpan.FromSeconds(30), ct)
                    .ConfigureAwait(false);
                await log.WriteLineAsync(
                        $"  {(i < 0 ? "warm-up" : $"run {i + 1}"), -8} first answer {answer.TotalMilliseconds, 6:F0} ms, 200 after {healthy.TotalMilliseconds, 6:F0} ms"
                    )
                    .ConfigureAwait(false);
                if (i >= 0)
                {
                    first.Add(answer.TotalSeconds);
                    ok.Add(healthy.TotalSeconds);
                }
            }
        }

        return new StartupResult(first, ok, Stats.Median(first), Stats.Median(ok));
    }

    private static async Task WaitUntilAsync(
        BackgroundProcess agent,
        TimeSpan since,
        CancellationToken ct
    )
    {
        var left = since - agent.StartedAt.Elapsed;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left, ct).ConfigureAwait(false);
        }

        if (agent.HasExited)
        {
            throw new BenchException($"the agent exited while idle:\n{agent.Output}");
        }
    }
}
