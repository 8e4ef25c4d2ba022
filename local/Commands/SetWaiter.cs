using MysqlLocal.State;
using MysqlLocal.Status;
using MysqlLocal.Waiting;

namespace MysqlLocal.Commands;

/// <summary>Waits until the set matches set.json, printing each pod's progress as it changes.</summary>
public sealed class SetWaiter(
    SetStore store,
    StatusReader reader,
    TimeProvider time,
    TextWriter output
)
{
    /// <summary>Waits with a status reader of its own; see <see cref="WaitAsync"/>.</summary>
    public static async Task<IReadOnlyList<PodStatusRow>> UntilReadyAsync(
        SetStore store,
        TimeSpan timeout,
        TimeProvider time,
        TextWriter output,
        CancellationToken cancellationToken,
        (string Pod, int Generation)? recreated = null
    )
    {
        using var http = new HttpClient();
        return await new SetWaiter(store, new StatusReader(store, http), time, output)
            .WaitAsync(timeout, cancellationToken, recreated)
            .ConfigureAwait(false);
    }

    /// <summary>Until pods 0..replicas-1 are ready and no other pod runs; at least <paramref name="generation"/> of <paramref name="pod"/> when given.</summary>
    /// <exception cref="LocalSetException">The time ran out or the kubelet died; the message says which pod and where its logs are.</exception>
    public async Task<IReadOnlyList<PodStatusRow>> WaitAsync(
        TimeSpan timeout,
        CancellationToken cancellationToken,
        (string Pod, int Generation)? recreated = null
    )
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var result = await new Waiter(time)
            .UntilAsync(
                async token =>
                {
                    var desired = store.ReadDesired();
                    var rows = await reader.ReadAsync(token).ConfigureAwait(false);
                    foreach (var row in rows)
                    {
                        var line = row.Ready ? $"{row.Phase}, ready" : row.Phase;
                        if (!seen.TryGetValue(row.Name, out var last) || last != line)
                        {
                            seen[row.Name] = line;
                            await output
                                .WriteLineAsync($"{time.GetLocalNow():HH:mm:ss} {row.Name}: {line}")
                                .ConfigureAwait(false);
                        }
                    }

                    var wanted = Enumerable
                        .Range(0, desired.Replicas)
                        .Select(SetPaths.PodName)
                        .ToHashSet(StringComparer.Ordinal);
                    var done =
                        wanted.All(name => rows.Any(r => r.Name == name && r.Ready))
                        && rows.All(r => wanted.Contains(r.Name))
                        && (
                            recreated is not { } pod
                            || rows.Any(r =>
                                r.Name == pod.Pod && r.Generation >= pod.Generation && r.Ready
                            )
                        );
                    if (!done && KubeletProcess.RunningPid(store.Paths) is null)
                    {
                        throw new LocalSetException(
                            $"the kubelet is not running (see {store.Paths.KubeletLog}): run 'up' to start it again"
                        );
                    }

                    return (Rows: rows, Wanted: wanted, Done: done);
                },
                answer => answer.Done,
                TimeSpan.FromMilliseconds(500),
                timeout,
                cancellationToken
            )
            .ConfigureAwait(false);
        if (result.Done)
        {
            return result.Last.Rows;
        }

        var stuck = result.Last.Rows?.FirstOrDefault(r =>
            !r.Ready && result.Last.Wanted.Contains(r.Name)
        );
        var where = stuck is null
            ? ""
            : $": {stuck.Name} is {stuck.Phase}{(stuck.ReadyReason is { } reason ? $" ({reason})" : "")}; see its logs with 'logs {stuck.Name} {LikelyContainer(stuck)}'";
        throw new LocalSetException(
            $"the set was not ready after {timeout.TotalSeconds:0} s{where}"
        );
    }

    private static string LikelyContainer(PodStatusRow row) =>
        row.Phase switch
        {
            "Init:init" => "init",
            "Init:clone" => "clone",
            _ => "agent",
        };
}
