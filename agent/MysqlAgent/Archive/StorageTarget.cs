using MysqlAgent.Configuration;
using MysqlAgent.Storage;

namespace MysqlAgent.Archive;

/// <summary>Turns <c>--target</c> (<c>file:/path</c> or <c>s3://bucket/prefix</c>) and the S3 options into a storage.</summary>
public static class StorageTarget
{
    public const string Syntax = "file:/path or s3://bucket[/prefix]";

    /// <summary>Null when <paramref name="target"/> is well formed, else the problem as one line.</summary>
    public static string? Check(string? target) =>
        target switch
        {
            null or "" => $"no --target: set it to {Syntax}",
            _ when target.StartsWith("file:", StringComparison.Ordinal) => target.Length
                > "file:".Length
            && target["file:".Length..].StartsWith('/')
                ? null
                : $"--target '{target}': a folder target is file: followed by an absolute path",
            _ when target.StartsWith("s3://", StringComparison.Ordinal) => target["s3://".Length..]
                .Split('/', 2)[0]
                .Length > 0
                ? null
                : $"--target '{target}' names no bucket: use {Syntax}",
            _ => $"--target '{target}' is not {Syntax}",
        };

    public static IBackupStorage Open(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var target = options.StorageTarget ?? "";
        if (Check(target) is { } problem)
        {
            throw new BackupStorageException(problem);
        }

        if (target.StartsWith("file:", StringComparison.Ordinal))
        {
            return new FolderBackupStorage(target["file:".Length..]);
        }

        var parts = target["s3://".Length..].Split('/', 2);
        var settings = new S3StorageSettings(
            parts[0],
            parts.Length > 1 ? parts[1] : "",
            Endpoint: options.S3Endpoint,
            Region: options.S3Region,
            PathStyle: options.S3PathStyle,
            CaFile: options.S3CaFile,
            AccessKeyIdFile: options.S3AccessKeyIdFile,
            SecretAccessKeyFile: options.S3SecretAccessKeyFile
        );
        return new S3BackupStorage(S3ClientFactory.Create(settings), settings);
    }
}
