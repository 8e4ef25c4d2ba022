using MysqlLocal.State;
using MysqlLocal.Waiting;

namespace MysqlLocal.Commands;

/// <summary><c>logs POD [CONTAINER] [--follow]</c>: a container's log across restarts, like <c>kubectl logs</c>.</summary>
public static class LogsCommand
{
    private static readonly string[] Containers = ["init", "clone", "mysql", "agent"];

    public static async Task<int> RunAsync(
        LocalCommandLine line,
        TimeProvider time,
        TextWriter output,
        CancellationToken cancellationToken
    )
    {
        if (line.Positional.Count is < 1 or > 2)
        {
            throw new UsageException(
                "logs needs a pod and optionally a container, for example 'logs mysql-1 clone'"
            );
        }

        var paths = line.StatePaths();
        var ordinal = DeletePodCommand.OrdinalOf(line.Positional[0]);
        var container = line.Positional.Count == 2 ? line.Positional[1] : "agent";
        if (!Containers.Contains(container))
        {
            throw new UsageException(
                $"container '{container}' is not one of {string.Join(", ", Containers)}"
            );
        }

        var file = paths.Pod(ordinal).Log(container);
        if (!File.Exists(file))
        {
            throw new LocalSetException(
                $"no log for {line.Positional[0]} {container} at {file}: the container has not run yet (see 'status')"
            );
        }

        await using var stream = new FileStream(
            file,
            FileMode.Open,
            FileAccess.Read,
            FileShare.ReadWrite | FileShare.Delete
        );
        using var reader = new StreamReader(stream);
        var follow = line.Has("follow");
        // Without --follow: once. With it: the new lines every 250 ms until Ctrl-C.
        await new Waiter(time)
            .UntilAsync(
                async token =>
                {
                    var text = await reader.ReadToEndAsync(token).ConfigureAwait(false);
                    await output.WriteAsync(text).ConfigureAwait(false);
                    await output.FlushAsync(token).ConfigureAwait(false);
                    return !follow;
                },
                finished => finished,
                TimeSpan.FromMilliseconds(250),
                timeout: null,
                cancellationToken
            )
            .ConfigureAwait(false);
        return 0;
    }
}
