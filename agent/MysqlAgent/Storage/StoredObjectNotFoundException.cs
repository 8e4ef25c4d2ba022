namespace MysqlAgent.Storage;

/// <summary>The object asked for does not exist in backup storage.</summary>
public sealed class StoredObjectNotFoundException : BackupStorageException
{
    public StoredObjectNotFoundException(string location, string key)
        : base($"no object '{key}' in {location}")
    {
        Key = key;
    }

    public string Key { get; }
}
