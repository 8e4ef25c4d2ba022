using System.Security.Cryptography;
using MysqlAgent.Common;

namespace MysqlLocal.State;

/// <summary>
/// The Secret's keys, one 0600 file each, as the manifests mount them: created once with random
/// values, never printed, kept until <c>down</c> deletes the set.
/// </summary>
public static class SecretFiles
{
    public const string RootPassword = "root-password";
    public const string ReplicationPassword = "replication-password";
    public const string BackupPassword = "backup-password";
    public const string BackupToken = "backup-token";

    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    public static void EnsureCreated(SetPaths paths)
    {
        Directory.CreateDirectory(paths.SecretsDir);
        File.SetUnixFileMode(
            paths.SecretsDir,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        );
        foreach (
            var key in new[] { RootPassword, ReplicationPassword, BackupPassword, BackupToken }
        )
        {
            var file = paths.Secret(key);
            if (!File.Exists(file))
            {
                AtomicFile.Write(
                    file,
                    RandomNumberGenerator.GetString(Alphabet, 24),
                    UnixFileMode.UserRead | UnixFileMode.UserWrite
                );
            }
        }
    }
}
