using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MysqlAgent.Configuration;
using MysqlAgent.Mysql;
using MysqlAgent.Replication.Dialects;
using MysqlAgent.Replication.Positions;
using MysqlAgent.Replication.Setup;
using MySqlConnector;

namespace MysqlAgent.Election;

/// <summary>
/// Makes the local mysqld the primary of a term this pod holds, idempotently (a restarted agent or
/// a restarted mysqld runs it again): stop fetching, wait until the relay log is applied up to what
/// was received, read the fork point and have it recorded in the Lease, wait (up to a retry
/// period) for a replica that acknowledges, then forget the source, take the source's semi-sync
/// role (when a replica acknowledges; else asynchronous until one does), ensure the users and
/// become writable. Nothing is writable before the fork point is recorded, so no transaction of
/// the new term can hide an old primary's errant ones behind a higher sequence number.
/// </summary>
public sealed class Promotion(
    LocalServer server,
    AgentOptions options,
    TimeProvider time,
    ILogger logger
)
{
    /// <summary>
    /// Promotes; returns the fork point when done, or null with <paramref name="pending"/> saying
    /// why not yet (the relay log takes longer than <paramref name="applyTimeout"/>, or the fork
    /// point could not be recorded). <paramref name="forkPointRecorded"/> tells whether the term's
    /// fork point is already in the Lease (a second run must not move it).
    /// </summary>
    public async Task<(string? ForkPoint, string Pending)> RunAsync(
        long term,
        bool forkPointRecorded,
        TimeSpan applyTimeout,
        Func<string, CancellationToken, Task<bool>> recordForkPoint,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(recordForkPoint);
        var started = Stopwatch.GetTimestamp();
        var connection = await server.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var local = await LocalServerState
                .ReadAsync(connection, cancellationToken)
                .ConfigureAwait(false);
            var server = local.Server!;
            if (local.Source is not null)
            {
                await SqlExecution
                    .ExecuteAsync(
                        connection,
                        FailoverStatementRenderer.RenderAckFence(server).Sql,
                        cancellationToken
                    )
                    .ConfigureAwait(false);
                local = await LocalServerState
                    .ReadAsync(connection, cancellationToken)
                    .ConfigureAwait(false);
            }

            var target = Received(local);
            if (local.Source is not null && target.Length > 0)
            {
                ElectionLog.Promoting(logger, term, target);
                var applied = FailoverStatementRenderer.RenderWaitFor(server, target, applyTimeout);
                await using var wait = new MySqlCommand(applied.Sql, connection)
                {
                    CommandTimeout = (int)Math.Ceiling(applyTimeout.TotalSeconds) + 5,
                };
                var done = applied.IsDone(
                    await wait.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
                );
                // The received position can name a transaction that never arrived whole: the old
                // primary died after the replica got its GTID event but before its commit. The
                // applier can never apply it, and no client was told it had committed: waiting for
                // it would keep the new primary from promoting for ever.
                if (
                    !done
                    && !(
                        await LocalServerState
                            .ReadAsync(connection, cancellationToken)
                            .ConfigureAwait(false)
                    ).RelayLogExhausted
                )
                {
                    return (
                        null,
                        $"the relay log was not applied up to {target} within {applyTimeout.TotalSeconds:0.#} s"
                    );
                }
            }

            var forkPoint = (
                await SqlExecution
                    .ScalarAsync(
                        connection,
                        server.Flavor == ServerFlavor.MySql
                            ? "SELECT @@GLOBAL.gtid_executed"
                            : "SELECT @@GLOBAL.gtid_current_pos",
                        cancellationToken
                    )
                    .ConfigureAwait(false)
                ?? ""
            ).Replace("\n", "", StringComparison.Ordinal);
            if (
                !forkPointRecorded
                && !await recordForkPoint(forkPoint, cancellationToken).ConfigureAwait(false)
            )
            {
                return (null, "the fork point could not be recorded in the Lease");
            }

            // Semi-sync from the first write of the term: the followers rejoin as soon as they see
            // the fork point; a primary that took writes before one was connected would acknowledge
            // them with no replica holding them, and lose them if it died in its first seconds.
            var acknowledged =
                options.SemiSync
                && await SemiSyncSource
                    .WaitForReplicaAsync(
                        connection,
                        server,
                        options.ElectionTimings.RetryPeriod,
                        time,
                        cancellationToken
                    )
                    .ConfigureAwait(false);
            if (options.SemiSync && !acknowledged)
            {
                ElectionLog.PromotedWithoutReplica(
                    logger,
                    term,
                    options.ElectionTimings.RetryPeriod.TotalSeconds
                );
            }

            var plan = FailoverStatementRenderer.RenderPromotion(
                server,
                target,
                new PromotionOptions(1, SemiSync: acknowledged, applyTimeout)
            );
            await LocalServerStatement
                .RunAllAsync(connection, plan.Finish, cancellationToken)
                .ConfigureAwait(false);

            // The replication and backup users as the Secret says; makes the server writable.
            await PrimaryBootstrap
                .RunAsync(connection, server, options, logger, cancellationToken)
                .ConfigureAwait(false);
            ElectionLog.Promoted(
                logger,
                term,
                forkPoint,
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds
            );
            return (forkPoint, "");
        }
    }

    /// <summary>Everything the server holds: executed plus received (MySQL), or the IO position when ahead (MariaDB).</summary>
    private static string Received(LocalServerState local)
    {
        var executed = local.Executed ?? "";
        var received = local.Received ?? "";
        if (local.Server!.Flavor == ServerFlavor.MySql)
        {
            return GtidSets.Union(MysqlGtidSet.Parse(executed), MysqlGtidSet.Parse(received)).Text;
        }

        // Per domain, the highest of what is applied and what was fetched.
        var io = MariaDbGtidPosition.Parse(received);
        var current = MariaDbGtidPosition.Parse(executed);
        var highest = current
            .Gtids.Concat(io.Gtids)
            .GroupBy(g => g.Domain)
            .Select(g => g.MaxBy(x => x.Sequence))
            .OrderBy(g => g.Domain);
        return string.Join(",", highest.Select(g => g.ToString()));
    }
}
