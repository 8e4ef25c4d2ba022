using MysqlAgent.Configuration;
using Endpoint = MysqlAgent.Configuration.Endpoint;

namespace MysqlAgent.Clone;

/// <summary>The donor answered 401: retrying cannot help until the Secret is fixed.</summary>
public sealed class BackupTokenRejectedException : CloneException
{
    public BackupTokenRejectedException(Endpoint donor)
        : base(
            $"donor {donor} refused the backup (401): the backup token does not match the donor's: check the Secret",
            donor
        ) { }

    private BackupTokenRejectedException(string message, Endpoint donor)
        : base(message, donor) { }

    /// <summary>The 401 came from an agent that names another set: the address reached is not our donor at all.</summary>
    public static BackupTokenRejectedException OtherSet(
        Endpoint donor,
        Endpoint address,
        string donorSetId,
        string ownSetId
    ) =>
        new(
            $"the donor at {address} belongs to another set (set id {donorSetId}, this pod's is {ownSetId}): it refused the backup (401); {donor} reaches another set's agent, so check --connect-to and the ports this set uses",
            donor
        );
}
