namespace MysqlAgent.Health;

/// <summary>/healthz, /readyz and /status on the HTTP port.</summary>
public static class HealthEndpoints
{
    public static IServiceCollection AddHealth(this IServiceCollection services) => services;

    public static RouteGroupBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("");
        // Liveness of the agent itself: never fails because mysqld is down, so Kubernetes
        // restarts the agent only when the agent is stuck.
        group.MapGet("/healthz", () => Results.Text("ok\n"));
        return group;
    }
}
