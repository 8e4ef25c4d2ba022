using MysqlAgent.Archive.Schedule;
using MysqlAgent.Configuration;
using MysqlAgent.Heartbeat;
using MysqlAgent.Metrics;
using MysqlAgent.Replication.Setup;

namespace MysqlAgent.Health;

/// <summary>/healthz, /readyz and /status on the HTTP port, and the services behind them.</summary>
public static class HealthEndpoints
{
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddSingleton<RoleProvider>();
        services.AddSingleton<NodeInspector>();
        services.AddSingleton<NodeMetricsPublisher>();
        services.AddSingleton<NodeWatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<NodeWatcher>());
        services.AddHostedService<HeartbeatWriter>();
        return services;
    }

    public static RouteGroupBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("");

        // Liveness of the agent itself: never fails because mysqld is down, so Kubernetes
        // restarts the agent only when the agent is stuck.
        group.MapGet("/healthz", () => Results.Text("ok\n"));

        group.MapGet(
            "/readyz",
            async (
                NodeWatcher watcher,
                ReplicationSetupStatus setup,
                AgentOptions options,
                RoleProvider role,
                CancellationToken cancellationToken
            ) =>
            {
                var node = await watcher.GetFreshAsync(cancellationToken).ConfigureAwait(false);
                var verdict = ReadinessRules.Decide(node, setup.Current, options, role.View);
                return Results.Text(
                    verdict.Line + "\n",
                    statusCode: verdict.Ready
                        ? StatusCodes.Status200OK
                        : StatusCodes.Status503ServiceUnavailable
                );
            }
        );

        group.MapGet(
            "/status",
            async (
                NodeWatcher watcher,
                ReplicationSetupStatus setup,
                AgentOptions options,
                AgentMetrics metrics,
                RoleProvider role,
                HttpContext context,
                CancellationToken cancellationToken
            ) =>
            {
                var node = await watcher.GetFreshAsync(cancellationToken).ConfigureAwait(false);
                var setupNow = setup.Current;
                var view = role.View;
                var lease = role.Lease;
                var document = StatusDocument.From(
                    node,
                    setupNow,
                    ReadinessRules.Decide(node, setupNow, options, view),
                    options.Pod.PodName,
                    view.IsPrimary ? HealthRoles.Primary : HealthRoles.Replica,
                    (int)metrics.BackupsInProgress.Value
                ) with
                {
                    Term = lease?.Term,
                    Holder = lease?.Holder,
                    Candidate = role.Candidate,
                    Backup = context.RequestServices.GetService<StorageBackupRunner>()?.Status,
                };
                return Results.Json(document, StatusJsonContext.Default.StatusDocument);
            }
        );

        return group;
    }
}
