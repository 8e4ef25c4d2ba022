using MysqlLocal.Failover;
using MysqlLocal.State;

namespace MysqlLocal.Commands;

/// <summary>
/// <c>pause</c> / <c>resume</c>: automatic failover off and on for the set, through the agent's own
/// <c>mysql-agent pause</c> / <c>resume</c> on the set's Lease store (<see cref="AgentLeaseCommand"/>);
/// <c>status</c> says "failover paused" meanwhile.
/// </summary>
public static class PauseCommand
{
    public static async Task<int> RunAsync(
        LocalCommandLine line,
        TextWriter output,
        CancellationToken cancellationToken
    )
    {
        var (store, desired) = AgentLeaseCommand.FailoverSet(line.StatePaths());
        var exitCode = await AgentLeaseCommand
            .RunAsync(store, desired, [line.Command], output.WriteLine, cancellationToken)
            .ConfigureAwait(false);
        return exitCode == 0
            ? 0
            : throw new LocalSetException(
                $"mysql-agent {line.Command} exited with code {exitCode}: see its message above and 'status'"
            );
    }
}
