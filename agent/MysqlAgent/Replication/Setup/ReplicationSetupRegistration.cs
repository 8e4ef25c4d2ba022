namespace MysqlAgent.Replication.Setup;

public static class ReplicationSetupRegistration
{
    public static IServiceCollection AddReplicationSetup(this IServiceCollection services)
    {
        // Pending until the setup service has run: on the primary that is its bootstrap (users,
        // writability), after which it reports "not needed". Readiness and /status read it.
        services.AddSingleton<ReplicationSetupStatus>();
        services.AddHostedService<ReplicationSetupService>();
        return services;
    }
}
