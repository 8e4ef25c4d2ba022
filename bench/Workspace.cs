using System.Security.Cryptography;

namespace MysqlBench;

/// <summary>The bench's scratch folder (clone targets, secrets) under the temp dir; deleted at the end.</summary>
internal sealed class Workspace : IDisposable
{
    private int _next;

    public Workspace()
    {
        Root = Directory.CreateTempSubdirectory($"mysql-bench-{Environment.ProcessId}-").FullName;
        ReplicationPassword = NewSecret();
        BackupPassword = NewSecret();
        BackupToken = NewSecret();
        ReplicationPasswordFile = Processes.WritePrivateFile(
            Path.Combine(Root, "replication-password"),
            ReplicationPassword
        );
        BackupPasswordFile = Processes.WritePrivateFile(
            Path.Combine(Root, "backup-password"),
            BackupPassword
        );
        BackupTokenFile = Processes.WritePrivateFile(
            Path.Combine(Root, "backup-token"),
            BackupToken
        );
    }

    public string Root { get; }

    public string ReplicationPassword { get; }

    public string BackupPassword { get; }

    public string BackupToken { get; }

    public string ReplicationPasswordFile { get; }

    public string BackupPasswordFile { get; }

    public string BackupTokenFile { get; }

    /// <summary>A new, not yet existing path under the workspace.</summary>
    public string NewPath(string name) =>
        Path.Combine(Root, $"{name}-{Interlocked.Increment(ref _next)}");

    /// <summary>A file holding <paramref name="password"/>, for the *-password-file options.</summary>
    public string PasswordFile(string password) =>
        Processes.WritePrivateFile(NewPath("password"), password);

    /// <summary>A [client] defaults file for mariabackup and the mariadb client.</summary>
    public string ClientDefaults(string user, string password, int port) =>
        Processes.WritePrivateFile(
            NewPath("client.cnf"),
            $"[client]\nuser={user}\npassword={password}\nhost=127.0.0.1\nport={Processes.Number(port)}\n"
        );

    public static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    public void Dispose()
    {
        try
        {
            DeleteDirectory(Root);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static string NewSecret() =>
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
