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
}
