using System.Globalization;
using System.Text;
using MysqlAgent.Identity;

namespace MysqlInit;

internal static class ConfigPlanner
{
    public const string ServerIdFileName = "server-id.cnf";
    public const string PrimaryFileName = "primary.cnf";
    public const string ReplicaFileName = "replica.cnf";

    /// <exception cref="PodIdentityException">The hostname has no valid ordinal.</exception>
    /// <exception cref="ServerIdOutOfRangeException">Offset + ordinal is not a valid server-id.</exception>
    /// <exception cref="Errors.SourceFileException">The role's file cannot be read.</exception>
    public static ConfigPlan Plan(InitOptions options)
    {
        var identity = PodIdentity.Parse(options.Hostname);
        var serverId = ServerId.Compute(identity.Ordinal, options.ServerIdOffset);

        var (role, roleFile, staleFile) = identity.IsPrimary
            ? ("primary", PrimaryFileName, ReplicaFileName)
            : ("replica", ReplicaFileName, PrimaryFileName);

        var source = Path.Combine(options.ConfigMapDir, roleFile);
        var roleContent = SourceFileReader.Read(source, options.ConfigMapDir);

        return new ConfigPlan(
            identity.PodName,
            identity.Ordinal,
            serverId,
            role,
            [
                new PlannedFile(
                    Path.Combine(options.ConfDir, ServerIdFileName),
                    ServerIdFile(identity, serverId, options.Service),
                    null
                ),
                new PlannedFile(Path.Combine(options.ConfDir, roleFile), roleContent, source),
            ],
            Path.Combine(options.ConfDir, staleFile)
        );
    }

    /// <summary>Byte for byte what the classic example wrote, plus report_host when the service is known.</summary>
    private static byte[] ServerIdFile(PodIdentity identity, uint serverId, string? service)
    {
        var text = new StringBuilder()
            .Append("[mysqld]\n")
            .Append(CultureInfo.InvariantCulture, $"server-id={serverId}\n");
        if (service is not null)
        {
            text.Append(
                CultureInfo.InvariantCulture,
                $"report_host={identity.PeerHost(identity.Ordinal, service)}\n"
            );
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
