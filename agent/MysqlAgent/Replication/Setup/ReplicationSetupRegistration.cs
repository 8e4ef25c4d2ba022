using Microsoft.Extensions.DependencyInjection.Extensions;
using MysqlAgent.Health;

namespace MysqlAgent.Replication.Setup;

public static class ReplicationSetupRegistration
{
    public static IServiceCollection AddReplicationSetup(this IServiceCollection services)
    {
        services.TryAddSingleton<ReplicationSetupStatus>();
        services.AddHostedService<ReplicationSetupService>();
        return services;
    }
}
