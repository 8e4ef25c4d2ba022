namespace MysqlAgent.Storage;

/// <summary>Checks keys once for every storage, so a key means the same object in a folder and in a bucket.</summary>
public static class StorageKey
{
    /// <summary>Throws when <paramref name="key"/> is empty, absolute, or has an empty, '.' or '..' segment.</summary>
    public static string Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 || key[0] == '/' || key.Contains('\\', StringComparison.Ordinal))
        {
            throw new BackupStorageException(
                $"storage key '{key}' is not a relative '/'-separated name"
            );
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                throw new BackupStorageException(
                    $"storage key '{key}' has an empty, '.' or '..' segment"
                );
            }
        }

        return key;
    }
}
